import Foundation

/// The event counts of a space–time cube (MODEL §8) kept sparse: at 1 M events in 1.5 M cells × 70 months the
/// dense cube would be 10⁸ values, nearly all zero. Compressed rows by cell: the non-zero bins of cell j are
/// `bins[rowStart[j]..<rowStart[j+1]]` (ascending) with their counts in `counts`.
public struct SparseSpaceTimeCounts: Sendable {
    public let cellCount: Int
    public let binCount: Int
    let rowStart: [Int]
    let bins: [Int32]
    let counts: [Int32]

    /// Counts from one (cell, bin) pair per event, in any order: a counting sort by cell, then each cell's few bins
    /// sorted and merged.
    public init(cellCount: Int, binCount: Int, eventCells: [Int], eventBins: [Int]) {
        precondition(eventCells.count == eventBins.count, "one bin per event")
        precondition(binCount < Int(Int32.max), "bins must fit in 32 bits")
        self.cellCount = cellCount
        self.binCount = binCount
        var start = [Int](repeating: 0, count: cellCount + 1)
        for c in eventCells {
            precondition(c >= 0 && c < cellCount, "event cell out of range")
            start[c + 1] += 1
        }
        for j in 0..<cellCount { start[j + 1] += start[j] }
        var fill = start
        var sortedBins = [Int32](repeating: 0, count: eventCells.count)
        for (c, b) in zip(eventCells, eventBins) {
            precondition(b >= 0 && b < binCount, "event bin out of range")
            sortedBins[fill[c]] = Int32(b)
            fill[c] += 1
        }
        // Sort each cell's bins and merge equal ones into (bin, count), compacting in place.
        var rowStart = [Int](repeating: 0, count: cellCount + 1)
        var counts = [Int32](repeating: 0, count: eventCells.count)
        var write = 0
        for j in 0..<cellCount {
            rowStart[j] = write
            let lo = start[j], hi = start[j + 1]
            if hi > lo {
                sortedBins[lo..<hi].sort()
                var k = lo
                while k < hi {
                    let b = sortedBins[k]
                    var m: Int32 = 0
                    while k < hi && sortedBins[k] == b {
                        m += 1
                        k += 1
                    }
                    sortedBins[write] = b
                    counts[write] = m
                    write += 1
                }
            }
        }
        rowStart[cellCount] = write
        sortedBins.removeLast(sortedBins.count - write)
        counts.removeLast(counts.count - write)
        self.rowStart = rowStart
        self.bins = sortedBins
        self.counts = counts
    }

    /// The dense cube, cell-major (`j·binCount + t`), for tests and small cubes.
    public func dense() -> [Double] {
        var cube = [Double](repeating: 0, count: cellCount * binCount)
        for j in 0..<cellCount {
            for e in rowStart[j]..<rowStart[j + 1] { cube[j * binCount + Int(bins[e])] = Double(counts[e]) }
        }
        return cube
    }

    /// X̄ and S over all N = n·T values, zeros included, exactly as `giStarMoments` of the dense cube gives them:
    /// the counts are integers, so Σx and Σx² are exact in any order.
    func moments() -> (mean: Double, sd: Double) {
        let total = cellCount * binCount
        guard total > 0 else { return (0, 0) }
        var sum = 0.0
        var sumSquares = 0.0
        var sameAsFirst = true
        let first = counts.first
        for c in counts {
            let x = Double(c)
            sum += x
            sumSquares += x * x
            if c != first { sameAsFirst = false }
        }
        // All N values equal: no non-zero entry, or every entry non-zero and with one value.
        let constant = counts.isEmpty || (counts.count == total && sameAsFirst)
        let n = Double(total)
        let mean = sum / n
        return (mean, constant ? 0 : Swift.max(0, sumSquares / n - mean * mean).squareRoot())
    }
}

/// The emerging hot-spot category of every cell (MODEL §8) from sparse counts: the same numbers as
/// `emergingHotSpots(spaceTimeGiStar(counts: counts.dense(), …))`, without any array of n·T values.
///
/// - The z of (j, t) is `(Σ x − X̄ W)/(S √((N W − W²)/(N − 1)))` with `W = |N(j)|·(t − max(0, t − τ) + 1)`; the
///   neighbourhood sums come by scattering the non-zero counts of j's neighbours into one row of T sums (integers,
///   so exact and identical to the dense sums). A cell none of whose neighbours has an event has Σ x = 0 in every
///   bin, so its whole z-series, bins and category depend on |N(j)| alone: computed once per |N(j)|.
/// - Benjamini–Hochberg over the N p-values by counting: the rejection set at α is `{p ≤ p_(k*)}` and only p ≤ 0.10
///   matter (see `giBinLevels`), so the p ≤ 0.10 of the cells with events nearby are sorted, and those of the empty
///   neighbourhoods enter as one value with its multiplicity.
/// Cells run in parallel in fixed chunks; the result does not depend on the thread count.
public func sparseEmergingHotSpots(_ cube: SparseSpaceTimeCounts, spatial: SpatialWeights, timeNeighbours: Int = 1,
                                   alpha: Double = 0.05) -> [EmergingCategory] {
    SparseSpaceTimeGiStar(cube, spatial: spatial, timeNeighbours: timeNeighbours).categories(alpha: alpha)
}

/// The space–time Gi* of a sparse cube, one cell's z-series at a time (see `sparseEmergingHotSpots`).
struct SparseSpaceTimeGiStar {
    let cube: SparseSpaceTimeCounts
    let spatial: SpatialWeights
    let timeNeighbours: Int
    let mean: Double
    let sd: Double
    let total: Double
    let maxCardinality: Int
    /// z and p of a bin whose neighbourhood sum is 0, per (|N(j)|, t) at `card·T + t`: the same for every cell.
    let zeroZP: [(z: Double, p: Double)]
    static let chunkSize = 4096

    init(_ cube: SparseSpaceTimeCounts, spatial: SpatialWeights, timeNeighbours: Int) {
        precondition(spatial.count == cube.cellCount, "one row of spatial weights per cell")
        precondition(timeNeighbours >= 0, "time neighbours must be ≥ 0")
        self.cube = cube
        self.spatial = spatial
        self.timeNeighbours = timeNeighbours
        let (mean, sd) = cube.moments()
        self.mean = mean
        self.sd = sd
        let total = Double(cube.cellCount * cube.binCount)
        self.total = total
        let maxCardinality = (0..<cube.cellCount).reduce(0) { Swift.max($0, spatial.cardinality(of: $1)) }
        self.maxCardinality = maxCardinality
        let T = cube.binCount
        var zeroZP = [(z: Double, p: Double)](repeating: (0, 1), count: (maxCardinality + 1) * T)
        for card in 0...maxCardinality {
            for t in 0..<T {
                if let zp = Self.zp(local: 0, cardinality: Double(card), bin: t, timeNeighbours: timeNeighbours,
                                    mean: mean, sd: sd, total: total) {
                    zeroZP[card * T + t] = zp
                }
            }
        }
        self.zeroZP = zeroZP
    }

    var isDegenerate: Bool { !(sd > 0 && sd.isFinite) }

    /// z and p of one (cell, bin) from its neighbourhood sum and |N(j)|, as `spaceTimeGiStar` forms them.
    @inline(__always)
    static func zp(local: Double, cardinality: Double, bin t: Int, timeNeighbours: Int, mean: Double, sd: Double,
                   total: Double) -> (z: Double, p: Double)? {
        let start = Swift.max(0, t - timeNeighbours)
        let w = cardinality * Double(t - start + 1)
        let spread = total * w - w * w
        guard spread > 0 else { return nil }
        let z = (local - mean * w) / (sd * (spread / (total - 1)).squareRoot())
        return (z, twoSidedNormalP(z))
    }

    /// Fills `spaceSum` with Σ_{k ∈ N(j)} x_kt per bin; false when every neighbour is empty.
    @inline(__always)
    func neighbourhoodSums(cell j: Int, into spaceSum: UnsafeMutableBufferPointer<Double>,
                           offsets: UnsafeBufferPointer<Int>, neighbours: UnsafeBufferPointer<Int>,
                           rowStart: UnsafeBufferPointer<Int>, bins: UnsafeBufferPointer<Int32>,
                           counts: UnsafeBufferPointer<Int32>) -> Bool {
        var any = false
        for slot in offsets[j]..<offsets[j + 1] {
            let k = neighbours[slot]
            let lo = rowStart[k], hi = rowStart[k + 1]
            guard hi > lo else { continue }
            if !any {
                spaceSum.initialize(repeating: 0)
                any = true
            }
            for e in lo..<hi { spaceSum[Int(bins[e])] += Double(counts[e]) }
        }
        return any
    }

    /// z and p per bin of a cell from its neighbourhood sums (nil: an empty neighbourhood); a bin whose sum is 0
    /// takes the shared values (`zero` true), one whose spread is ≤ 0 gets z = 0, p = 1, as in the dense cube.
    @inline(__always)
    func zSeries(spaceSum: UnsafeMutableBufferPointer<Double>?, cardinality card: Int,
                 _ body: (_ t: Int, _ z: Double, _ p: Double, _ zero: Bool) -> Void) {
        let T = cube.binCount
        let row = card * T
        for t in 0..<T {
            var local = 0.0
            if let spaceSum {
                for u in Swift.max(0, t - timeNeighbours)...t { local += spaceSum[u] }
            }
            if local == 0 {
                let (z, p) = zeroZP[row + t]
                body(t, z, p, true)
            } else if let (z, p) = Self.zp(local: local, cardinality: Double(card), bin: t, timeNeighbours: timeNeighbours,
                                           mean: mean, sd: sd, total: total) {
                body(t, z, p, false)
            } else {
                body(t, 0, 1, false)
            }
        }
    }

    /// The z-series of one cell (for tests).
    func zSeries(cell j: Int) -> [Double] {
        var out = [Double](repeating: 0, count: cube.binCount)
        guard !isDegenerate else { return out }
        withBuffers { offsets, neighbours, rowStart, bins, counts in
            let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(1, cube.binCount))
            defer { sums.deallocate() }
            let any = neighbourhoodSums(cell: j, into: sums, offsets: offsets, neighbours: neighbours,
                                        rowStart: rowStart, bins: bins, counts: counts)
            zSeries(spaceSum: any ? sums : nil, cardinality: spatial.cardinality(of: j)) { t, z, _, _ in out[t] = z }
        }
        return out
    }

    func withBuffers<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>,
                                 UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> R) -> R {
        spatial.offsets.withUnsafeBufferPointer { offsets in
            spatial.neighbours.withUnsafeBufferPointer { neighbours in
                cube.rowStart.withUnsafeBufferPointer { rowStart in
                    cube.bins.withUnsafeBufferPointer { bins in
                        cube.counts.withUnsafeBufferPointer { counts in
                            body(offsets, neighbours, rowStart, bins, counts)
                        }
                    }
                }
            }
        }
    }

    /// The Benjamini–Hochberg cut-offs at 0.01, 0.05 and 0.10 over all N p-values (−1: nothing passes).
    func cutoffs() -> (Double, Double, Double) {
        let cells = cube.cellCount, T = cube.binCount
        let chunks = (cells + Self.chunkSize - 1) / Self.chunkSize
        let keys = (maxCardinality + 1) * T
        // Per chunk: the p ≤ 0.10 of the bins with events nearby, and how many bins with an empty neighbourhood
        // sum there are per (|N(j)|, t) (they share one p).
        var small = [[Double]](repeating: [], count: chunks)
        var zeroCounts = [[Int]](repeating: [], count: chunks)
        withBuffers { offsets, neighbours, rowStart, bins, counts in
            small.withUnsafeMutableBufferPointer { smallOut in
                zeroCounts.withUnsafeMutableBufferPointer { zeroOut in
                    parallelForEachChunk(count: cells, chunkSize: Self.chunkSize) { chunk, range in
                        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(1, T))
                        defer { sums.deallocate() }
                        var found: [Double] = []
                        var zero = [Int](repeating: 0, count: keys)
                        var emptyCells = [Int](repeating: 0, count: maxCardinality + 1)
                        for j in range {
                            let card = offsets[j + 1] - offsets[j]
                            guard neighbourhoodSums(cell: j, into: sums, offsets: offsets, neighbours: neighbours,
                                                    rowStart: rowStart, bins: bins, counts: counts) else {
                                emptyCells[card] += 1
                                continue
                            }
                            zSeries(spaceSum: sums, cardinality: card) { t, _, p, isZero in
                                if isZero { zero[card * T + t] += 1 } else if p <= 0.10 { found.append(p) }
                            }
                        }
                        for card in 0...maxCardinality where emptyCells[card] > 0 {
                            for t in 0..<T { zero[card * T + t] += emptyCells[card] }
                        }
                        smallOut[chunk] = found
                        zeroOut[chunk] = zero
                    }
                }
            }
        }
        // (p, multiplicity), ascending p.
        var groups: [(p: Double, count: Int)] = []
        for list in small { for p in list { groups.append((p, 1)) } }
        for key in 0..<keys {
            var m = 0
            for part in zeroCounts { m += part[key] }
            if m > 0, zeroZP[key].p <= 0.10 { groups.append((zeroZP[key].p, m)) }
        }
        groups.sort { $0.p < $1.p }
        // The largest p with p ≤ rank·α/N: checking each group at its last rank is enough (a larger rank only
        // loosens the bound), and equal p-values split over several groups give the same cut.
        var cut = (-1.0, -1.0, -1.0)
        var rank = 0
        for g in groups {
            rank += g.count
            if g.p <= Double(rank) * 0.01 / total { cut.0 = g.p }
            if g.p <= Double(rank) * 0.05 / total { cut.1 = g.p }
            if g.p <= Double(rank) * 0.10 / total { cut.2 = g.p }
        }
        return cut
    }

    func categories(alpha: Double) -> [EmergingCategory] {
        let cells = cube.cellCount, T = cube.binCount
        guard cells > 0 else { return [] }
        guard T > 0, !isDegenerate else { return [EmergingCategory](repeating: .noPattern, count: cells) }
        let (cut01, cut05, cut10) = cutoffs()
        @inline(__always) func level(_ z: Double, _ p: Double) -> Int8 {
            let l: Int8 = p <= cut01 ? 3 : p <= cut05 ? 2 : p <= cut10 ? 1 : 0
            return z > 0 ? l : z < 0 ? -l : 0
        }
        /// The category of one z-series (`series` already filled with z).
        func classify(series: UnsafeMutableBufferPointer<Double>, hot: UnsafeMutableBufferPointer<Bool>,
                      cold: UnsafeMutableBufferPointer<Bool>) -> EmergingCategory {
            EmergingCategory.classifyBins(hot: UnsafeBufferPointer(hot), cold: UnsafeBufferPointer(cold)) {
                for t in 0..<T { series[t] = roundedToNanoUnits(series[t]) }
                return mannKendallTrend(UnsafeBufferPointer(series), alpha: alpha)
            }
        }
        // The level of a bin with an empty neighbourhood sum, per (|N(j)|, t); the category of an empty
        // neighbourhood, per |N(j)|.
        let zeroLevel = zeroZP.map { level($0.z, $0.p) }
        var emptyCategory = [EmergingCategory](repeating: .noPattern, count: maxCardinality + 1)
        do {
            let series = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
            let hot = UnsafeMutableBufferPointer<Bool>.allocate(capacity: T)
            let cold = UnsafeMutableBufferPointer<Bool>.allocate(capacity: T)
            defer { series.deallocate(); hot.deallocate(); cold.deallocate() }
            for card in 0...maxCardinality {
                zSeries(spaceSum: nil, cardinality: card) { t, z, p, _ in
                    let l = level(z, p)
                    series[t] = z
                    hot[t] = l >= 2
                    cold[t] = l <= -2
                }
                emptyCategory[card] = classify(series: series, hot: hot, cold: cold)
            }
        }
        return [EmergingCategory](unsafeUninitializedCapacity: cells) { buffer, initialized in
            let base = buffer.baseAddress!
            withBuffers { offsets, neighbours, rowStart, bins, counts in
                parallelForEachChunk(count: cells, chunkSize: Self.chunkSize) { _, range in
                    let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
                    let series = UnsafeMutableBufferPointer<Double>.allocate(capacity: T)
                    let hot = UnsafeMutableBufferPointer<Bool>.allocate(capacity: T)
                    let cold = UnsafeMutableBufferPointer<Bool>.allocate(capacity: T)
                    defer { sums.deallocate(); series.deallocate(); hot.deallocate(); cold.deallocate() }
                    for j in range {
                        let card = offsets[j + 1] - offsets[j]
                        guard neighbourhoodSums(cell: j, into: sums, offsets: offsets, neighbours: neighbours,
                                                rowStart: rowStart, bins: bins, counts: counts) else {
                            (base + j).initialize(to: emptyCategory[card])
                            continue
                        }
                        zSeries(spaceSum: sums, cardinality: card) { t, z, p, isZero in
                            let l = isZero ? zeroLevel[card * T + t] : level(z, p)
                            series[t] = z
                            hot[t] = l >= 2
                            cold[t] = l <= -2
                        }
                        (base + j).initialize(to: classify(series: series, hot: hot, cold: cold))
                    }
                }
            }
            initialized = cells
        }
    }
}

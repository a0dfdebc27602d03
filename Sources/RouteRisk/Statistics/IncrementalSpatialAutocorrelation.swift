import Foundation

/// The Gi* distance band chosen automatically (`--band auto`), and the evidence for it.
public struct BandChoice: Sendable, Codable, Equatable {
    /// The band D, in the units of the centres (metres).
    public let band: Double
    /// How it was chosen: `first_peak` (the first statistically significant peak of Moran's I z over the
    /// distances), `knn_fallback` (no such peak: the mean distance to the k-th nearest neighbour),
    /// `standard_distance` (that mean exceeded one standard distance, which is used instead), or `default`
    /// (fewer than two cells: 2·s).
    public let rule: String
    /// The distances tried, ascending.
    public let distances: [Double]
    /// Global Moran's I z-score at each distance (0 where undefined: fewer than four cells with a neighbour,
    /// all values equal).
    public let zScores: [Double]
    /// Global Moran's I at each distance (0 where undefined).
    public let moransI: [Double]
    /// k of the k-nearest-neighbour fallback, nil otherwise.
    public let neighbours: Int?
    /// One sentence saying why.
    public let reason: String

    public init(band: Double, rule: String, distances: [Double], zScores: [Double], moransI: [Double],
                neighbours: Int?, reason: String) {
        self.band = band
        self.rule = rule
        self.distances = distances
        self.zScores = zScores
        self.moransI = moransI
        self.neighbours = neighbours
        self.reason = reason
    }
}

/// The Gi* distance band as ArcGIS Pro's Optimized Hot Spot Analysis chooses it ("How Optimized Hot Spot Analysis
/// works", Scale of analysis; its script `OptimizedHotSpotAnalysis.py` with `MoransI_Increment.GlobalI_Step` and
/// `SSUtilities`), for the values of the cells (MODEL §6's x_j, zeros included) at their centres:
///
/// 1. Nearest-neighbour distances d_i (to the nearest other centre). Locational outliers are those with
///    `(d_i − mean)/sd ≥ 3` (population sd; none when sd ≤ 1e-9·mean, a regular grid). The start distance is the
///    largest d_i of the others (every non-outlier has a neighbour), the increment their mean.
/// 2. Ten distances `start + k·increment`, k = 0…9. If any exceeds one standard distance of the centres
///    (`√(Σ|c − c̄|²/n)`), the ten run instead from the start (or, if the start itself exceeds it, from 0.2 of it)
///    up to that standard distance, in ten equal steps, the standard distance itself not included.
/// 3. At each distance, global Moran's I with fixed-distance weights (`|c_i − c_j| ≤ D·(1+1e-9)`, no self),
///    row-standardised as ArcGIS runs it (`rowStandardized: false` gives binary weights), its z under the
///    randomisation assumption; cells with no neighbour at that distance are left out of that distance's
///    statistic (n, mean and variance included), as ArcGIS does.
/// 4. A peak is a distance whose z exceeds 1.65, after z has risen at least once, and whose successor's z is lower
///    (`SSUtilities.returnPeakIndices(levelFilter = 1.65)`); the band is the first peak's distance. ArcGIS's second
///    choice, the highest peak, exists only when a first peak does, so it is never reached and not offered here.
/// 5. Without a peak: k = 5 % of the cells, truncated and clamped to 3…30 (and to n − 1), and the band is the mean
///    distance to each centre's k-th nearest neighbour; if that exceeds one standard distance, the standard
///    distance (`OptHotSpots.knnDecision`).
/// 6. A band below 0.1 % of the larger side of the centres' envelope is raised to it.
///
/// ArcGIS rounds its distances up for display (`roof`) and adds 0.001 units to the distances on gridded data;
/// here the MODEL §6 relative tolerance (1 + 1e-9) plays that part. `cellSize` sizes the neighbour searches only.
/// Weights are never materialised: every pair within the largest distance is visited twice (to count the
/// neighbours at each distance, then to accumulate the statistic), in parallel over fixed chunks of cells, so the
/// result does not depend on the thread count.
public func incrementalSpatialAutocorrelationBand(centres: [PlanarPoint], values: [Double], cellSize: Double,
                                                  rowStandardized: Bool = true) -> BandChoice {
    precondition(centres.count == values.count, "one value per centre")
    precondition(cellSize > 0 && cellSize.isFinite, "cell size must be positive and finite")
    let n = centres.count
    guard n >= 2 else {
        return BandChoice(band: 2 * cellSize, rule: "default", distances: [], zScores: [], moransI: [],
                          neighbours: nil, reason: "fewer than two cells: the default band 2·s")
    }
    let grid = BucketGrid(points: centres, bucketSize: cellSize)

    // 1. Start distance and increment from the nearest-neighbour distances, without locational outliers.
    let nearest = kthNearestDistances(centres, k: 1, grid: grid, cellSize: cellSize)
    var nnMean = 0.0
    for d in nearest {
        nnMean += d
    }
    nnMean /= Double(n)
    var nnVariance = 0.0
    for d in nearest {
        nnVariance += (d - nnMean) * (d - nnMean)
    }
    let nnSD = (nnVariance / Double(n)).squareRoot()
    var start = 0.0
    var increment = 0.0
    var kept = 0
    for d in nearest where nnSD <= 1e-9 * nnMean || (d - nnMean) / nnSD < 3 {
        start = Swift.max(start, d)
        increment += d
        kept += 1
    }
    increment /= Double(Swift.max(1, kept))

    // 2. The ten distances, capped by one standard distance.
    let standardDistance = standardDistanceOf(centres)
    let distanceCount = 10
    var distances = (0..<distanceCount).map { start + Double($0) * increment }
    if distances.contains(where: { $0 > standardDistance }) {
        let from = start > standardDistance ? 0.2 * standardDistance : start
        let step = (standardDistance - from) / Double(distanceCount)
        distances = (0..<distanceCount).map { from + Double($0) * step }
    }

    // 3. Moran's I z at each distance; 4. the first peak.
    let statistics = incrementalMoransI(centres: centres, values: values, distances: distances,
                                        rowStandardized: rowStandardized)
    let zScores = statistics.map { $0.z.isFinite ? $0.z : 0 }
    let moransI = statistics.map { $0.i.isFinite ? $0.i : 0 }
    let minimumBand = 0.001 * envelopeLargerSide(centres)
    func floored(_ band: Double) -> (Double, String) {
        band < minimumBand ? (minimumBand, "; raised to 0.1 % of the extent") : (band, "")
    }
    if let peak = firstPeakIndex(zScores, level: 1.65) {
        let (band, note) = floored(distances[peak])
        return BandChoice(band: band, rule: "first_peak", distances: distances, zScores: zScores, moransI: moransI,
                          neighbours: nil,
                          reason: "first peak of the global Moran's I z-score (z = \(format(zScores[peak]))) at "
                              + "\(format(distances[peak] / 1000)) km over \(distanceCount) distances from "
                              + "\(format(distances[0] / 1000)) km\(note)")
    }

    // 5. No peak: the mean distance to the k-th nearest neighbour, at most one standard distance.
    let k = Swift.min(n - 1, Swift.max(3, Swift.min(30, Int(0.05 * Double(n)))))
    let kth = kthNearestDistances(centres, k: k, grid: grid, cellSize: cellSize)
    var kthMean = 0.0
    for d in kth {
        kthMean += d
    }
    kthMean /= Double(n)
    if kthMean > standardDistance {
        let (band, note) = floored(standardDistance)
        return BandChoice(band: band, rule: "standard_distance", distances: distances, zScores: zScores,
                          moransI: moransI, neighbours: k,
                          reason: "no significant peak of the global Moran's I z-score over \(distanceCount) "
                              + "distances, and the mean distance to the \(k)th nearest neighbour "
                              + "(\(format(kthMean / 1000)) km) exceeds one standard distance: "
                              + "\(format(standardDistance / 1000)) km\(note)")
    }
    let (band, note) = floored(kthMean)
    return BandChoice(band: band, rule: "knn_fallback", distances: distances, zScores: zScores, moransI: moransI,
                      neighbours: k,
                      reason: "no significant peak of the global Moran's I z-score over \(distanceCount) distances: "
                          + "the mean distance to the \(k)th nearest neighbour, \(format(kthMean / 1000)) km\(note)")
}

private func format(_ value: Double) -> String {
    String(format: "%.2f", value)
}

/// The first peak of a z-series as ArcGIS finds it (`SSUtilities.returnPeakIndices`): index c is a peak when z has
/// risen at some step before it (`z[b+1] > z[b]` for some b < c), `z[c+1] < z[c]`, and `z[c] > level`. The last
/// distance is never a peak.
func firstPeakIndex(_ z: [Double], level: Double) -> Int? {
    guard z.count >= 2 else { return nil }
    var goneUp = false
    for c in 0..<(z.count - 1) {
        let step = z[c + 1] - z[c]
        if step > 0 { goneUp = true }
        if step < 0 && goneUp && z[c] > level { return c }
    }
    return nil
}

/// One standard distance of points: `√(Σ(x − x̄)²/n + Σ(y − ȳ)²/n)` (ArcGIS `standardDistanceCutoff`).
func standardDistanceOf(_ points: [PlanarPoint]) -> Double {
    guard !points.isEmpty else { return 0 }
    let n = Double(points.count)
    var mx = 0.0
    var my = 0.0
    for p in points {
        mx += p.x
        my += p.y
    }
    mx /= n
    my /= n
    var sx = 0.0
    var sy = 0.0
    for p in points {
        sx += (p.x - mx) * (p.x - mx)
        sy += (p.y - my) * (p.y - my)
    }
    return (sx / n + sy / n).squareRoot()
}

/// The larger side of the points' envelope.
private func envelopeLargerSide(_ points: [PlanarPoint]) -> Double {
    guard let first = points.first else { return 0 }
    var minX = first.x, maxX = first.x, minY = first.y, maxY = first.y
    for p in points {
        minX = Swift.min(minX, p.x)
        maxX = Swift.max(maxX, p.x)
        minY = Swift.min(minY, p.y)
        maxY = Swift.max(maxY, p.y)
    }
    return Swift.max(maxX - minX, maxY - minY)
}

/// The distance from each point to its k-th nearest other point (k ≥ 1, k < n), found in the bucket grid by
/// widening the search radius until at least k others lie within it.
func kthNearestDistances(_ points: [PlanarPoint], k: Int, grid: BucketGrid, cellSize: Double) -> [Double] {
    let n = points.count
    precondition(k >= 1 && k < n, "need 1 ≤ k < n")
    return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
        let out = buffer.baseAddress!
        parallelForEachChunk(count: n, chunkSize: 1024) { _, range in
            var found: [Double] = []
            for i in range {
                let p = points[i]
                var radius = cellSize * Swift.max(1, Double(k).squareRoot())
                while true {
                    found.removeAll(keepingCapacity: true)
                    let limit = radius * radius
                    grid.forEachCandidate(near: p, radius: radius) { slot in
                        guard grid.indices[slot] != i else { return }
                        let dx = grid.xs[slot] - p.x
                        let dy = grid.ys[slot] - p.y
                        let d2 = dx * dx + dy * dy
                        if d2 <= limit { found.append(d2) }
                    }
                    if found.count >= k { break }
                    radius *= 2
                }
                found.sort()
                (out + i).initialize(to: found[k - 1].squareRoot())
            }
        }
        initialized = n
    }
}

/// Global Moran's I and its randomisation z at each of `distances` (ascending), ArcGIS's way: fixed-distance
/// weights without self (`d ≤ D·(1+1e-9)`), binary or row-standardised, and at each distance only the cells that
/// have a neighbour there. Each entry also gives the number of cells used.
func incrementalMoransI(centres: [PlanarPoint], values: [Double], distances: [Double],
                        rowStandardized: Bool) -> [(i: Double, z: Double, cells: Int)] {
    let n = centres.count
    let count = distances.count
    guard n > 0, count > 0 else { return [] }
    let reaches = distances.map { $0 * (1 + 1e-9) }
    let reachSquares = reaches.map { $0 * $0 }
    let maxReach = reaches.max()!
    let maxSquare = maxReach * maxReach
    // Buckets of a third of the largest reach: 8×8 bucket look-ups per cell, about 2.3× the candidates in reach.
    let grid = BucketGrid(points: centres, bucketSize: maxReach > 0 ? maxReach / 3 : 1)
    let chunkSize = 256
    let chunks = (n + chunkSize - 1) / chunkSize

    /// The first distance index whose reach covers squared distance d2 (count: none).
    @inline(__always)
    func binOf(_ d2: Double) -> Int {
        var b = 0
        while b < count && d2 > reachSquares[b] {
            b += 1
        }
        return b
    }

    // Pass 1: neighbour counts W_i at each distance, row by row.
    var cardinality = [Int32](repeating: 0, count: n * count)
    cardinality.withUnsafeMutableBufferPointer { card in
        let base = card.baseAddress!
        parallelForEachChunk(count: n, chunkSize: chunkSize) { _, range in
            for i in range {
                let row = base + i * count
                let p = centres[i]
                grid.forEachCandidate(near: p, radius: maxReach) { slot in
                    guard grid.indices[slot] != i else { return }
                    let dx = grid.xs[slot] - p.x
                    let dy = grid.ys[slot] - p.y
                    let d2 = dx * dx + dy * dy
                    guard d2 <= maxSquare else { return }
                    let b = binOf(d2)
                    if b < count { row[b] += 1 }
                }
                for c in 1..<Swift.max(1, count) {
                    row[c] += row[c - 1]
                }
            }
        }
    }

    // Per distance: the cells with a neighbour, their mean, Σ(y − ȳ)², Σ(y − ȳ)⁴.
    var used = [Int](repeating: 0, count: count)
    var means = [Double](repeating: 0, count: count)
    var m2 = [Double](repeating: 0, count: count)
    var m4 = [Double](repeating: 0, count: count)
    var s0 = [Double](repeating: 0, count: count)
    var squaredCardinality = [Double](repeating: 0, count: count)
    for c in 0..<count {
        var sum = 0.0
        var cells = 0
        for i in 0..<n where cardinality[i * count + c] > 0 {
            sum += values[i]
            cells += 1
            let w = Double(cardinality[i * count + c])
            s0[c] += w
            squaredCardinality[c] += w * w
        }
        used[c] = cells
        let mean = cells > 0 ? sum / Double(cells) : 0
        means[c] = mean
        for i in 0..<n where cardinality[i * count + c] > 0 {
            let d = values[i] - mean
            m2[c] += d * d
            m4[c] += d * d * d * d
        }
    }
    var inverse = [Double](repeating: 0, count: rowStandardized ? n * count : 0)
    if rowStandardized {
        for index in 0..<(n * count) where cardinality[index] > 0 {
            inverse[index] = 1 / Double(cardinality[index])
        }
    }

    // Pass 2: per chunk, Σ w_ij (y_i − ȳ)(y_j − ȳ), and S1, S2 for row-standardised weights.
    var partials = [Double](repeating: 0, count: chunks * count * 3)
    partials.withUnsafeMutableBufferPointer { partialBuffer in
        let partialBase = partialBuffer.baseAddress!
        cardinality.withUnsafeBufferPointer { card in
            inverse.withUnsafeBufferPointer { inv in
                parallelForEachChunk(count: n, chunkSize: chunkSize) { chunk, range in
                    let cross = partialBase + chunk * count * 3
                    let s1 = cross + count
                    let s2 = s1 + count
                    let neighbourSums = UnsafeMutablePointer<Double>.allocate(capacity: count)
                    let columnInverse = UnsafeMutablePointer<Double>.allocate(capacity: count)
                    defer {
                        neighbourSums.deallocate()
                        columnInverse.deallocate()
                    }
                    for i in range {
                        for c in 0..<count {
                            neighbourSums[c] = 0
                            columnInverse[c] = 0
                        }
                        let p = centres[i]
                        grid.forEachCandidate(near: p, radius: maxReach) { slot in
                            let j = grid.indices[slot]
                            guard j != i else { return }
                            let dx = grid.xs[slot] - p.x
                            let dy = grid.ys[slot] - p.y
                            let d2 = dx * dx + dy * dy
                            guard d2 <= maxSquare else { return }
                            let b = binOf(d2)
                            guard b < count else { return }
                            neighbourSums[b] += values[j]
                            if rowStandardized {
                                let row = j * count
                                for c in b..<count {
                                    columnInverse[c] += inv[row + c]
                                }
                            }
                        }
                        var running = 0.0
                        for c in 0..<count {
                            running += neighbourSums[c]
                            let w = card[i * count + c]
                            guard w > 0 else { continue }
                            let wd = Double(w)
                            let lag = running - wd * means[c]
                            let deviation = values[i] - means[c]
                            if rowStandardized {
                                let rowWeight = inv[i * count + c]
                                cross[c] += rowWeight * deviation * lag
                                s1[c] += rowWeight + rowWeight * columnInverse[c]
                                let total = 1 + columnInverse[c]
                                s2[c] += total * total
                            } else {
                                cross[c] += deviation * lag
                            }
                        }
                    }
                }
            }
        }
    }

    return (0..<count).map { c in
        var cross = 0.0
        var s1 = 0.0
        var s2 = 0.0
        for chunk in 0..<chunks {
            let base = chunk * count * 3
            cross += partials[base + c]
            s1 += partials[base + count + c]
            s2 += partials[base + 2 * count + c]
        }
        let cells = used[c]
        let nd = Double(cells)
        let weightSum = rowStandardized ? nd : s0[c]
        if !rowStandardized {
            // Symmetric binary weights: S1 = ½Σ(1 + 1)² over ordered pairs = 2·S0, S2 = Σ(2W_i)².
            s1 = 2 * s0[c]
            s2 = 4 * squaredCardinality[c]
        }
        guard cells > 1, m2[c] > 0, weightSum > 0 else { return (.nan, .nan, cells) }
        let moran = nd / weightSum * cross / m2[c]
        guard cells > 3 else { return (moran, .nan, cells) }
        let variance = moransIRandomizationVariance(n: nd, s0: weightSum, s1: s1, s2: s2,
                                                    kurtosis: nd * m4[c] / (m2[c] * m2[c]))
        guard variance > 0, variance.isFinite else { return (moran, .nan, cells) }
        return (moran, (moran - (-1 / (nd - 1))) / variance.squareRoot(), cells)
    }
}

import Foundation

/// Gi* over a space–time cube (MODEL §8), stored cell-major: the value of (cell j, bin t) is at `j·binCount + t`.
public struct SpaceTimeGiStarResult: Sendable, Equatable {
    /// Number of cells n.
    public let cellCount: Int
    /// Number of time bins T.
    public let binCount: Int
    /// Gi* z per (cell, bin), cell-major.
    public let z: [Double]
    /// Two-sided normal p, `erfc(|z|/√2)`, per (cell, bin), cell-major.
    public let p: [Double]
    /// ArcGIS `Gi_Bin` (±3 / ±2 / ±1 / 0) from Benjamini–Hochberg over all n·T p-values, cell-major.
    public let giBin: [Int8]

    public init(cellCount: Int, binCount: Int, z: [Double], p: [Double], giBin: [Int8]) {
        precondition(z.count == cellCount * binCount && p.count == z.count && giBin.count == z.count,
                     "one z, p and bin per (cell, bin)")
        self.cellCount = cellCount
        self.binCount = binCount
        self.z = z
        self.p = p
        self.giBin = giBin
    }

    /// Flat index of (cell, bin).
    @inlinable
    public func index(cell: Int, bin: Int) -> Int { cell * binCount + bin }
}

/// Space–time Getis-Ord Gi* (MODEL §8; the ArcGIS Emerging Hot Spot Analysis cube statistic).
///
/// `counts[j·bins + t]` is the raw event count of cell j in bin t (zeros included). The cube's neighbours of (j, t)
/// are the (k, u) with k in `spatial.neighbours(of: j)` (the distance band, self included) and
/// `t − timeNeighbours ≤ u ≤ t` (only the bins that exist: fewer at the start), all with weight 1, so
/// `W_jt = S1_jt = |N(j)|·(t − max(0, t − τ) + 1)`. X̄ and S are over all N = n·T values, and
/// `Gi*_jt = (Σ x − X̄ W) / (S·√((N·S1 − W²)/(N − 1)))`, `p = erfc(|z|/√2)`; S = 0 or `N·S1 − W² ≤ 0` gives
/// z = 0, p = 1. The bins are Benjamini–Hochberg over all N p-values at 0.10, 0.05 and 0.01 (MODEL §6).
///
/// No cube weights are built: each cell's spatial neighbour sum per bin is formed once from the spatial list, and
/// the time window is summed from it. Cells run in parallel; every sum has one fixed order, so the result does not
/// depend on the thread count.
public func spaceTimeGiStar(counts: [Double], cells: Int, bins: Int, spatial: SpatialWeights,
                            timeNeighbours: Int = 1) -> SpaceTimeGiStarResult {
    precondition(cells >= 0 && bins >= 0 && counts.count == cells * bins, "counts must hold cells × bins values")
    precondition(spatial.count == cells, "one row of spatial weights per cell")
    precondition(timeNeighbours >= 0, "time neighbours must be ≥ 0")
    let total = cells * bins
    guard total > 0 else {
        return SpaceTimeGiStarResult(cellCount: cells, binCount: bins, z: [], p: [], giBin: [])
    }
    let nd = Double(total)
    let (mean, sd) = giStarMoments(counts)

    var z = [Double](repeating: 0, count: total)
    var p = [Double](repeating: 1, count: total)
    if sd > 0 && sd.isFinite {
        counts.withUnsafeBufferPointer { x in
            spatial.offsets.withUnsafeBufferPointer { offsets in
                spatial.neighbours.withUnsafeBufferPointer { neighbours in
                    z.withUnsafeMutableBufferPointer { zOut in
                        p.withUnsafeMutableBufferPointer { pOut in
                            let zBase = zOut.baseAddress!
                            let pBase = pOut.baseAddress!
                            parallelForEachChunk(count: cells, chunkSize: 512) { _, range in
                                let spaceSum = UnsafeMutablePointer<Double>.allocate(capacity: bins)
                                defer { spaceSum.deallocate() }
                                for j in range {
                                    spaceSum.initialize(repeating: 0, count: bins)
                                    for slot in offsets[j]..<offsets[j + 1] {
                                        let row = neighbours[slot] * bins
                                        for t in 0..<bins {
                                            spaceSum[t] += x[row + t]
                                        }
                                    }
                                    let card = Double(offsets[j + 1] - offsets[j])
                                    for t in 0..<bins {
                                        let start = Swift.max(0, t - timeNeighbours)
                                        var local = 0.0
                                        for u in start...t {
                                            local += spaceSum[u]
                                        }
                                        let w = card * Double(t - start + 1)
                                        let spread = nd * w - w * w
                                        guard spread > 0 else { continue }
                                        let value = (local - mean * w) / (sd * (spread / (nd - 1)).squareRoot())
                                        zBase[j * bins + t] = value
                                        pBase[j * bins + t] = twoSidedNormalP(value)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let levels = giBinLevels(z: z, p: p)
    return SpaceTimeGiStarResult(cellCount: cells, binCount: bins, z: z, p: p, giBin: levels)
}

/// ArcGIS `Gi_Bin` as `giBins(z:p:)` (MODEL §6), for millions of values: one sort of the p-values ≤ 0.10 only.
///
/// The Benjamini–Hochberg rejection set at α is exactly `{i : p_i ≤ p_(k*)}`: equal p-values cannot straddle the
/// cut-off (if `p_(k*) = p_(k*+1)` then rank k*+1 would pass as well), and only `p ≤ α` can pass
/// (`p_(k) ≤ kα/n ≤ α`), so the smallest p-values alone fix k*, with their ranks among all n.
func giBinLevels(z: [Double], p: [Double]) -> [Int8] {
    precondition(z.count == p.count, "one p per z")
    let n = p.count
    guard n > 0 else { return [] }
    let alphas = [0.01, 0.05, 0.10]
    var small = p.filter { $0 <= 0.10 }
    small.sort()
    let total = Double(n)
    // For each α the largest passing p-value (−1: none passes).
    let cutoffs: [Double] = alphas.map { alpha in
        var cut = -1.0
        for rank in stride(from: small.count, through: 1, by: -1) where small[rank - 1] <= Double(rank) * alpha / total {
            cut = small[rank - 1]
            break
        }
        return cut
    }
    let cut01 = cutoffs[0]
    let cut05 = cutoffs[1]
    let cut10 = cutoffs[2]
    return [Int8](unsafeUninitializedCapacity: n) { buffer, initialized in
        let base = buffer.baseAddress!
        z.withUnsafeBufferPointer { zs in
            p.withUnsafeBufferPointer { ps in
                parallelForEachChunk(count: n, chunkSize: 1 << 16) { _, range in
                    for i in range {
                        let pi = ps[i]
                        let level: Int8 = pi <= cut01 ? 3 : pi <= cut05 ? 2 : pi <= cut10 ? 1 : 0
                        let zi = zs[i]
                        (base + i).initialize(to: zi > 0 ? level : zi < 0 ? -level : 0)
                    }
                }
            }
        }
        initialized = n
    }
}

/// The emerging hot-spot category of every cell (MODEL §8) from a space–time Gi* cube: `hot_t = gi_bin ≥ 2`,
/// `cold_t = gi_bin ≤ −2`, Mann–Kendall (α = 0.05) on the cell's z-series rounded to 1e-9, on −z for the cold side.
/// Cells run in parallel; Mann–Kendall runs only where the decision needs a trend.
public func emergingHotSpots(_ cube: SpaceTimeGiStarResult, alpha: Double = 0.05) -> [EmergingCategory] {
    let cells = cube.cellCount
    let bins = cube.binCount
    guard cells > 0 else { return [] }
    return [EmergingCategory](unsafeUninitializedCapacity: cells) { buffer, initialized in
        let base = buffer.baseAddress!
        cube.z.withUnsafeBufferPointer { z in
            cube.giBin.withUnsafeBufferPointer { levels in
                parallelForEachChunk(count: cells, chunkSize: 1024) { _, range in
                    let hot = UnsafeMutableBufferPointer<Bool>.allocate(capacity: bins)
                    let cold = UnsafeMutableBufferPointer<Bool>.allocate(capacity: bins)
                    let series = UnsafeMutableBufferPointer<Double>.allocate(capacity: bins)
                    defer {
                        hot.deallocate()
                        cold.deallocate()
                        series.deallocate()
                    }
                    for j in range {
                        let row = j * bins
                        for t in 0..<bins {
                            let level = levels[row + t]
                            hot[t] = level >= 2
                            cold[t] = level <= -2
                        }
                        let category = EmergingCategory.classifyBins(hot: UnsafeBufferPointer(hot),
                                                                     cold: UnsafeBufferPointer(cold)) {
                            for t in 0..<bins {
                                series[t] = roundedToNanoUnits(z[row + t])
                            }
                            return mannKendallTrend(UnsafeBufferPointer(series), alpha: alpha)
                        }
                        (base + j).initialize(to: category)
                    }
                }
            }
        }
        initialized = cells
    }
}

/// Space–time Gi* and the emerging hot-spot category of every cell in one call (MODEL §8); see
/// `spaceTimeGiStar(counts:cells:bins:spatial:timeNeighbours:)` and `emergingHotSpots(_:alpha:)`.
public func emergingHotSpots(counts: [Double], cells: Int, bins: Int, spatial: SpatialWeights,
                             timeNeighbours: Int = 1) -> [EmergingCategory] {
    emergingHotSpots(spaceTimeGiStar(counts: counts, cells: cells, bins: bins, spatial: spatial,
                                     timeNeighbours: timeNeighbours))
}

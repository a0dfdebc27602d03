import Foundation

/// Gi* z-scores and their two-sided normal p-values, one per item.
public struct GiStarResult: Sendable, Equatable {
    public let z: [Double]
    public let p: [Double]

    public init(z: [Double], p: [Double]) {
        self.z = z
        self.p = p
    }
}

/// Getis-Ord Gi* with binary weights (Ord & Getis 1995, eq. 3; PySAL esda `G_Local(transform="B", star=True)`):
/// `Gi*_j = (Σ_k w_jk x_k − X̄ W_j) / (S·√((n S1_j − W_j²)/(n − 1)))`, `p = erfc(|z|/√2)` (MODEL §6).
///
/// `weights` must include each item's self-neighbour for the star statistic. Binary weights
/// give `S1_j = W_j`. Where `S = 0` (all values equal) or `n S1_j − W_j² ≤ 0`, z = 0 and p = 1.
/// Works over any N items, so a space–time cube of n·T values (MODEL §8) can use it as it is.
public func getisOrdGiStar(_ values: [Double], weights: SpatialWeights) -> GiStarResult {
    let n = values.count
    precondition(weights.count == n, "one row of weights per value")
    guard n > 0 else { return GiStarResult(z: [], p: []) }
    let nd = Double(n)
    let (mean, sd) = giStarMoments(values)

    var z = [Double](repeating: 0, count: n)
    var p = [Double](repeating: 1, count: n)
    guard sd > 0, sd.isFinite else { return GiStarResult(z: z, p: p) }
    // Rows in parallel chunks over the compressed rows; each row's sum keeps its one order (ascending neighbours).
    values.withUnsafeBufferPointer { x in
        weights.offsets.withUnsafeBufferPointer { offsets in
            weights.neighbours.withUnsafeBufferPointer { neighbours in
                z.withUnsafeMutableBufferPointer { zOut in
                    p.withUnsafeMutableBufferPointer { pOut in
                        parallelForEachChunk(count: n, chunkSize: 1 << 14) { _, range in
                            for j in range {
                                var local = 0.0
                                for slot in offsets[j]..<offsets[j + 1] {
                                    local += x[neighbours[slot]]
                                }
                                let w = Double(offsets[j + 1] - offsets[j])
                                let s1 = w
                                let spread = nd * s1 - w * w
                                guard spread > 0 else { continue }
                                let zj = (local - mean * w) / (sd * (spread / (nd - 1)).squareRoot())
                                zOut[j] = zj
                                pOut[j] = twoSidedNormalP(zj)
                            }
                        }
                    }
                }
            }
        }
    }
    return GiStarResult(z: z, p: p)
}

/// X̄ and S of MODEL §6 (`S = √(Σx²/n − X̄²)`, the population form), with S = 0 exactly when
/// all values are equal: the floating formula would leave rounding noise there. Shared by
/// Gi*, its permutations and the space–time cube so all three standardise alike.
func giStarMoments(_ values: [Double]) -> (mean: Double, sd: Double) {
    guard let first = values.first else { return (0, 0) }
    var sum = 0.0
    var sumSquares = 0.0
    var constant = true
    for x in values {
        sum += x
        sumSquares += x * x
        if x != first { constant = false }
    }
    let n = Double(values.count)
    let mean = sum / n
    return (mean, constant ? 0 : Swift.max(0, sumSquares / n - mean * mean).squareRoot())
}

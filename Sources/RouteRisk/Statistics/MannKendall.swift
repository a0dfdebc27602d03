import Foundation

/// Direction of a monotonic trend (MODEL §7).
public enum Trend: String, Sendable {
    case rising, falling, none
}

/// Mann–Kendall test and Sen's slope of one series.
public struct MannKendallResult: Sendable, Equatable {
    /// `S = Σ_{k<l} sgn(y_l − y_k)`.
    public let s: Int
    /// Var(S) with the tie correction.
    public let variance: Double
    public let z: Double
    /// Two-sided normal p-value of z.
    public let p: Double
    public let trend: Trend
    /// Median pairwise slope, per time step.
    public let senSlope: Double

    public init(s: Int, variance: Double, z: Double, p: Double, trend: Trend, senSlope: Double) {
        self.s = s
        self.variance = variance
        self.z = z
        self.p = p
        self.trend = trend
        self.senSlope = senSlope
    }
}

/// Mann–Kendall trend test (Mann 1945; Kendall 1975) with Sen's slope (Sen 1968), as pymannkendall's
/// `original_test` (MODEL §7). Returns nil when T < 4.
///
/// `Var(S) = [T(T−1)(2T+5) − Σ_g t_g(t_g−1)(2t_g+5)]/18` over groups of exactly equal values;
/// `Z = (S∓1)/√Var` (0 when S = 0); Var = 0 gives Z = 0, p = 1. `trend` is rising/falling when
/// p < alpha and Z > 0 / Z < 0.
public func mannKendall(_ y: [Double], alpha: Double = 0.05) -> MannKendallResult? {
    let t = y.count
    guard t >= 4 else { return nil }

    var s = 0
    var slopes: [Double] = []
    slopes.reserveCapacity(t * (t - 1) / 2)
    y.withUnsafeBufferPointer { y in
        for k in 0..<(t - 1) {
            let yk = y[k]
            for l in (k + 1)..<t {
                // sign(y_l − y_k) without a branch (a NaN counts 0, as the comparisons say).
                s += (y[l] > yk ? 1 : 0) - (y[l] < yk ? 1 : 0)
                slopes.append((y[l] - yk) / Double(l - k))
            }
        }
    }

    // Tie groups: runs of exactly equal values in sorted order.
    let sorted = y.sorted()
    var tieTerm = 0
    var start = 0
    while start < t {
        var end = start + 1
        while end < t && sorted[end] == sorted[start] {
            end += 1
        }
        let g = end - start
        tieTerm += g * (g - 1) * (2 * g + 5)
        start = end
    }
    let variance = Double(t * (t - 1) * (2 * t + 5) - tieTerm) / 18

    var z = 0.0
    var p = 1.0
    if variance > 0 {
        if s > 0 {
            z = Double(s - 1) / variance.squareRoot()
        } else if s < 0 {
            z = Double(s + 1) / variance.squareRoot()
        }
        p = twoSidedNormalP(z)
    }
    let trend: Trend = p < alpha && z > 0 ? .rising : p < alpha && z < 0 ? .falling : .none
    return MannKendallResult(s: s, variance: variance, z: z, p: p, trend: trend, senSlope: selectMedian(&slopes))
}

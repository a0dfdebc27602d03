import Foundation

/// The seventeen emerging hot-spot categories of ArcGIS Pro's Emerging Hot Spot Analysis (MODEL §8): eight hot,
/// eight cold (the mirror images), and `no_pattern`.
///
/// "Hot" and "cold" bins are the statistically significant ones (`gi_bin ≥ 2` / `≤ −2` for cells, the Poisson test
/// for routes); "≥ 90 %" means `count ≥ 0.9·T`, decided exactly as `10·count ≥ 9·T`. The trend is Mann–Kendall
/// (MODEL §7, α = 0.05) on the series (the cell's z-series, a route's monthly counts) for the hot side and on the
/// negated series for the cold side.
public enum EmergingCategory: String, Sendable, CaseIterable, Codable {
    /// Hot in the final time step and never a significant hot spot before.
    case newHotSpot = "new_hot_spot"
    /// A single uninterrupted run of at least two hot bins ending in the final time step, never hot before that run,
    /// and fewer than 90 % of all bins hot.
    case consecutiveHotSpot = "consecutive_hot_spot"
    /// Hot in at least 90 % of the time steps including the final one, with a significant increase in the
    /// intensity of clustering of high values over time.
    case intensifyingHotSpot = "intensifying_hot_spot"
    /// Hot in at least 90 % of the time steps including the final one, with no discernible trend in intensity.
    case persistentHotSpot = "persistent_hot_spot"
    /// Hot in at least 90 % of the time steps including the final one, with a significant decrease in the
    /// intensity of clustering of high values over time.
    case diminishingHotSpot = "diminishing_hot_spot"
    /// Hot in the final time step with an on-and-off history of being hot: fewer than 90 % of the bins hot and
    /// none of them ever a significant cold spot.
    case sporadicHotSpot = "sporadic_hot_spot"
    /// Hot in the final time step after having been a significant cold spot in an earlier time step; fewer than
    /// 90 % of the bins hot.
    case oscillatingHotSpot = "oscillating_hot_spot"
    /// Not hot in the final time step, but hot in at least 90 % of the time steps.
    case historicalHotSpot = "historical_hot_spot"
    /// Cold in the final time step and never a significant cold spot before.
    case newColdSpot = "new_cold_spot"
    /// A single uninterrupted run of at least two cold bins ending in the final time step, never cold before that
    /// run, and fewer than 90 % of all bins cold.
    case consecutiveColdSpot = "consecutive_cold_spot"
    /// Cold in at least 90 % of the time steps including the final one, with a significant increase in the
    /// intensity of clustering of low values over time.
    case intensifyingColdSpot = "intensifying_cold_spot"
    /// Cold in at least 90 % of the time steps including the final one, with no discernible trend in intensity.
    case persistentColdSpot = "persistent_cold_spot"
    /// Cold in at least 90 % of the time steps including the final one, with a significant decrease in the
    /// intensity of clustering of low values over time.
    case diminishingColdSpot = "diminishing_cold_spot"
    /// Cold in the final time step with an on-and-off history of being cold: fewer than 90 % of the bins cold and
    /// none of them ever a significant hot spot.
    case sporadicColdSpot = "sporadic_cold_spot"
    /// Cold in the final time step after having been a significant hot spot in an earlier time step; fewer than
    /// 90 % of the bins cold.
    case oscillatingColdSpot = "oscillating_cold_spot"
    /// Not cold in the final time step, but cold in at least 90 % of the time steps.
    case historicalColdSpot = "historical_cold_spot"
    /// None of the above.
    case noPattern = "no_pattern"

    /// True for the eight hot categories.
    public var isHot: Bool {
        switch self {
        case .newHotSpot, .consecutiveHotSpot, .intensifyingHotSpot, .persistentHotSpot, .diminishingHotSpot,
             .sporadicHotSpot, .oscillatingHotSpot, .historicalHotSpot:
            return true
        default:
            return false
        }
    }

    /// True for the eight cold categories.
    public var isCold: Bool { self != .noPattern && !isHot }

    /// The category of one location from its significant hot and cold bins and its series (MODEL §8).
    ///
    /// `series` is the value the trend is measured on, oldest first: the cell's Gi* z-series, or a route's monthly
    /// event counts. It is rounded to 1e-9 (half away from zero) before Mann–Kendall, so that ties are exact; integer
    /// counts are unchanged. The hot side uses the trend of the series, the cold side the trend of its negation
    /// (computed here as the exact mirror: S, Z and the sign flip, Var and p do not change). Mann–Kendall is only
    /// run when the decision needs it. A bin may not be both hot and cold.
    public static func classify(hot: [Bool], cold: [Bool], series: [Double], alpha: Double = 0.05) -> EmergingCategory {
        precondition(hot.count == cold.count && hot.count == series.count, "one hot, cold and series value per bin")
        return hot.withUnsafeBufferPointer { h in
            cold.withUnsafeBufferPointer { c in
                classifyBins(hot: h, cold: c) {
                    var rounded = series.map(roundedToNanoUnits)
                    return rounded.withUnsafeMutableBufferPointer { mannKendallTrend(UnsafeBufferPointer($0), alpha: alpha) }
                }
            }
        }
    }

    /// The category when the caller already has the Mann–Kendall trend of the series itself (the z-series or the
    /// counts, never their negation: the cold side mirrors it here).
    public static func classify(hot: [Bool], cold: [Bool], seriesTrend: Trend) -> EmergingCategory {
        precondition(hot.count == cold.count, "one hot and one cold flag per bin")
        return hot.withUnsafeBufferPointer { h in
            cold.withUnsafeBufferPointer { c in classifyBins(hot: h, cold: c) { seriesTrend } }
        }
    }

    /// The decision of MODEL §8, in its order. `seriesTrend` is called at most once, only for a location hot (cold)
    /// in the final bin and in at least 90 % of the bins.
    static func classifyBins(hot: UnsafeBufferPointer<Bool>, cold: UnsafeBufferPointer<Bool>,
                             seriesTrend: () -> Trend) -> EmergingCategory {
        let count = hot.count
        guard count > 0 else { return .noPattern }
        var hotCount = 0
        var coldCount = 0
        for t in 0..<count {
            precondition(!(hot[t] && cold[t]), "a bin cannot be both hot and cold")
            if hot[t] { hotCount += 1 }
            if cold[t] { coldCount += 1 }
        }
        let last = count - 1
        if hot[last] {
            return side(same: hot, sameCount: hotCount, oppositeCount: coldCount, hotSide: true) { seriesTrend() }
        }
        if cold[last] {
            return side(same: cold, sameCount: coldCount, oppositeCount: hotCount, hotSide: false) {
                // Mann–Kendall on −series is the mirror of Mann–Kendall on the series.
                switch seriesTrend() {
                case .rising: return .falling
                case .falling: return .rising
                case .none: return .none
                }
            }
        }
        if atLeastNinetyPercent(hotCount, of: count) { return .historicalHotSpot }
        if atLeastNinetyPercent(coldCount, of: count) { return .historicalColdSpot }
        return .noPattern
    }

    /// `count ≥ 0.9·T`, exactly.
    @inline(__always)
    static func atLeastNinetyPercent(_ count: Int, of total: Int) -> Bool {
        10 * count >= 9 * total
    }

    /// One side of the decision for a location whose final bin is on that side; `trend` is the trend of the series
    /// oriented so that `rising` means "intensifying" on this side.
    private static func side(same: UnsafeBufferPointer<Bool>, sameCount: Int, oppositeCount: Int, hotSide: Bool,
                             trend: () -> Trend) -> EmergingCategory {
        if sameCount == 1 { return hotSide ? .newHotSpot : .newColdSpot }
        var run = 0
        var t = same.count - 1
        while t >= 0 && same[t] {
            run += 1
            t -= 1
        }
        let ninety = atLeastNinetyPercent(sameCount, of: same.count)
        if run >= 2 && run == sameCount && !ninety { return hotSide ? .consecutiveHotSpot : .consecutiveColdSpot }
        if ninety {
            switch trend() {
            case .rising: return hotSide ? .intensifyingHotSpot : .intensifyingColdSpot
            case .falling: return hotSide ? .diminishingHotSpot : .diminishingColdSpot
            case .none: return hotSide ? .persistentHotSpot : .persistentColdSpot
            }
        }
        if oppositeCount == 0 { return hotSide ? .sporadicHotSpot : .sporadicColdSpot }
        return hotSide ? .oscillatingHotSpot : .oscillatingColdSpot
    }
}

/// A value rounded to 1e-9, half away from zero (MODEL §8): symmetric, so rounding −y gives exactly −(rounding y).
@inline(__always)
func roundedToNanoUnits(_ y: Double) -> Double {
    (y * 1e9).rounded(.toNearestOrAwayFromZero) / 1e9
}

/// Mann–Kendall trend (MODEL §7) of one series without Sen's slope and without allocating: the same S, tie-corrected
/// Var(S), Z, p and decision as `mannKendall`, in one pass over the T(T−1)/2 pairs.
///
/// The tie term `Σ_g t_g(t_g−1)(2t_g+5)` is gathered pair by pair: with `m_k` = the number of later values equal to
/// `y_k`, a tie group of size t holds the members m = t−1, …, 0, so `Σ m = t(t−1)/2`, `Σ m² = (t−1)t(2t−1)/6` and
/// `t(t−1)(2t+5) = 6·Σ m² + 12·Σ m`. T < 4 gives `.none`.
func mannKendallTrend(_ y: UnsafeBufferPointer<Double>, alpha: Double = 0.05) -> Trend {
    let count = y.count
    guard count >= 4 else { return .none }
    var s = 0
    var tieTerm = 0
    let base = y.baseAddress!
    let zero = SIMD4<Int64>(repeating: 0)
    let one = SIMD4<Int64>(repeating: 1)
    for k in 0..<(count - 1) {
        let yk = y[k]
        // Four pairs at a time (SIMD compares), then the rest one by one.
        let splat = SIMD4<Double>(repeating: yk)
        var upLanes = zero
        var downLanes = zero
        var equalLanes = zero
        var l = k + 1
        while l + 4 <= count {
            let block = UnsafeRawPointer(base + l).loadUnaligned(as: SIMD4<Double>.self)
            upLanes &+= zero.replacing(with: one, where: block .> splat)
            downLanes &+= zero.replacing(with: one, where: block .< splat)
            equalLanes &+= zero.replacing(with: one, where: block .== splat)
            l += 4
        }
        var up = Int(upLanes.wrappedSum())
        var down = Int(downLanes.wrappedSum())
        var equal = Int(equalLanes.wrappedSum())
        while l < count {
            let yl = y[l]
            up &+= yl > yk ? 1 : 0
            down &+= yl < yk ? 1 : 0
            equal &+= yl == yk ? 1 : 0
            l += 1
        }
        s += up - down
        tieTerm += 6 * equal * equal + 12 * equal
    }
    let variance = Double(count * (count - 1) * (2 * count + 5) - tieTerm) / 18
    guard variance > 0 else { return .none }
    var z = 0.0
    if s > 0 {
        z = Double(s - 1) / variance.squareRoot()
    } else if s < 0 {
        z = Double(s + 1) / variance.squareRoot()
    }
    let p = twoSidedNormalP(z)
    return p < alpha && z > 0 ? .rising : p < alpha && z < 0 ? .falling : .none
}

import Foundation

/// Per-month significance of one route's corridor against the average route (MODEL §8).
public struct RouteMonthSignificance: Sendable, Equatable {
    /// Expected count `E_rt = (K_t / Σ_r A_r)·A_r`.
    public let expected: Double
    /// `k > E` and `P(Poisson(E) ≥ k) ≤ 0.05`.
    public let hot: Bool
    /// `k < E` and `P(Poisson(E) ≤ k) ≤ 0.05`.
    public let cold: Bool
}

/// The hot and cold months of every route (MODEL §8): `monthlyCounts[r][t]` = k_rt, the events in r's corridor in
/// month t; `E_rt = (K_t/ΣA)·A_r` with `K_t = Σ_r k_rt`; hot if `k > E` and `P(Poisson(E) ≥ k) ≤ alpha`, cold if
/// `k < E` and `P(Poisson(E) ≤ k) ≤ alpha`, neither when E = 0 (or ΣA = 0). No correction across routes.
public func routeMonthlySignificance(monthlyCounts: [[Int]], corridorAreas: [Double],
                                     alpha: Double = 0.05) -> [[RouteMonthSignificance]] {
    precondition(monthlyCounts.count == corridorAreas.count, "one corridor area per route")
    guard let months = monthlyCounts.first?.count else { return [] }
    precondition(monthlyCounts.allSatisfy { $0.count == months }, "every route needs the same months")
    var areaSum = 0.0
    for a in corridorAreas {
        areaSum += a
    }
    var monthTotals = [Int](repeating: 0, count: months)
    for row in monthlyCounts {
        for t in 0..<months {
            monthTotals[t] += row[t]
        }
    }
    // Each route's months alone: in parallel over contiguous ranges of routes (the same values whatever the threads).
    return try! parallelRanges(monthlyCounts.count, minimumPerWorker: 256) { routes in routes.map { r in
        (0..<months).map { t in
            let k = monthlyCounts[r][t]
            let expected = areaSum > 0 ? Double(monthTotals[t]) / areaSum * corridorAreas[r] : 0
            guard expected > 0, expected.isFinite else {
                return RouteMonthSignificance(expected: 0, hot: false, cold: false)
            }
            let kd = Double(k)
            let hot = kd > expected && poissonUpperTail(atLeast: k, mean: expected) <= alpha
            let cold = kd < expected && poissonLowerTail(atMost: k, mean: expected) <= alpha
            return RouteMonthSignificance(expected: expected, hot: hot, cold: cold)
        }
    }}
}

/// The emerging category of every route from its monthly corridor counts (MODEL §8): the months of
/// `routeMonthlySignificance(monthlyCounts:corridorAreas:)` as hot and cold bins, and Mann–Kendall (α = 0.05) on
/// k_rt for the hot side, on −k_rt for the cold side, in the same seventeen categories as the cells.
public func routeEmergingCategories(monthlyCounts: [[Int]], corridorAreas: [Double]) -> [EmergingCategory] {
    let significance = routeMonthlySignificance(monthlyCounts: monthlyCounts, corridorAreas: corridorAreas)
    return try! parallelRanges(monthlyCounts.count, minimumPerWorker: 256) { routes in routes.map { r in
        EmergingCategory.classify(hot: significance[r].map(\.hot), cold: significance[r].map(\.cold),
                                  series: monthlyCounts[r].map(Double.init))
    }}
}

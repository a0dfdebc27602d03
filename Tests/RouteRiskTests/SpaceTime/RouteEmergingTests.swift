import XCTest
@testable import RouteRisk

final class RouteEmergingTests: XCTestCase {
    func testHandBuiltMonthlyTable() {
        // Areas 1, 1, 2 (ΣA = 4). Months 1–4: k = (10, 10, 20), K = 40, E = (10, 10, 20): neither.
        // Month 5: k = (10, 10, 5), K = 25, E = (6.25, 6.25, 12.5): route 0 P(X ≥ 10 | 6.25) = 0.1022 (no);
        //   route 2 P(X ≤ 5 | 12.5) = 0.01482 ≤ 0.05 → cold.
        // Month 6: k = (30, 10, 5), K = 45, E = (11.25, 11.25, 22.5): route 0 P(X ≥ 30 | 11.25) = 2.61e-6 → hot;
        //   route 1 P(X ≤ 10 | 11.25) = 0.430 (no); route 2 P(X ≤ 5 | 22.5) = 1.03e-5 → cold.
        // (scipy 1.17: `poisson.sf(k - 1, E)` for P(X ≥ k) and `poisson.cdf(k, E)` for P(X ≤ k).)
        let counts = [[10, 10, 10, 10, 10, 30], [10, 10, 10, 10, 10, 10], [20, 20, 20, 20, 5, 5]]
        let areas = [1.0, 1.0, 2.0]
        let months = routeMonthlySignificance(monthlyCounts: counts, corridorAreas: areas)
        XCTAssertEqual(months[0].map(\.expected), [10, 10, 10, 10, 6.25, 11.25])
        XCTAssertEqual(months[2].map(\.expected), [20, 20, 20, 20, 12.5, 22.5])
        XCTAssertEqual(months[0].map(\.hot), [false, false, false, false, false, true])
        XCTAssertEqual(months[0].map(\.cold), [false, false, false, false, false, false])
        XCTAssertEqual(months[1].map { $0.hot || $0.cold }, [false, false, false, false, false, false])
        XCTAssertEqual(months[2].map(\.cold), [false, false, false, false, true, true])
        XCTAssertEqual(poissonLowerTail(atMost: 5, mean: 12.5), 0.014822874597441575, accuracy: 1e-12)
        XCTAssertEqual(routeEmergingCategories(monthlyCounts: counts, corridorAreas: areas),
                       [.newHotSpot, .noPattern, .consecutiveColdSpot])
    }

    func testTrendsOnTheCounts() {
        // Equal areas; route 0 rises 20, 25, …, 65 and route 1 stays at 5. Every month E = (k0 + 5)/2 for both:
        // month 1 E = 12.5, P(X ≥ 20) = 0.0306 (hot) and P(X ≤ 5) = 0.0148 (cold); later months more extreme
        // (same scipy calls). All ten months hot (cold): the trend decides. Route 0's counts rise
        // (S = 45, p = 8e-5): intensifying. Route 1's −k is constant (all ties, Var = 0): persistent.
        let counts = [(0..<10).map { 20 + 5 * $0 }, [Int](repeating: 5, count: 10)]
        XCTAssertEqual(routeEmergingCategories(monthlyCounts: counts, corridorAreas: [3.5, 3.5]),
                       [.intensifyingHotSpot, .persistentColdSpot])
        // Reversed in time: route 0 falls, diminishing.
        let reversed = counts.map { Array($0.reversed()) }
        XCTAssertEqual(routeEmergingCategories(monthlyCounts: reversed, corridorAreas: [3.5, 3.5]),
                       [.diminishingHotSpot, .persistentColdSpot])
        // A cold route whose counts fall (−k rises) intensifies as a cold spot: route 1 at 5, 4, …, 0 against a
        // busy route 0 at 40 every month (E ≥ 20 for route 1, every P(X ≤ k) ≤ 2e-5).
        let sinking = [[Int](repeating: 40, count: 6), [5, 4, 3, 2, 1, 0]]
        XCTAssertEqual(routeEmergingCategories(monthlyCounts: sinking, corridorAreas: [1, 1]),
                       [.persistentHotSpot, .intensifyingColdSpot])
    }

    func testNoExpectationMeansNeither() {
        // Month 1 has no events anywhere (E = 0) and route 1 has no corridor area (E = 0 always).
        let counts = [[0, 9, 9, 9], [0, 3, 3, 3], [0, 0, 0, 0]]
        let months = routeMonthlySignificance(monthlyCounts: counts, corridorAreas: [1, 0, 1])
        XCTAssertEqual(months[0][0], RouteMonthSignificance(expected: 0, hot: false, cold: false))
        XCTAssertTrue(months[1].allSatisfy { !$0.hot && !$0.cold && $0.expected == 0 })
        XCTAssertEqual(routeMonthlySignificance(monthlyCounts: [[1, 2]], corridorAreas: [0]).first?.map(\.hot), [false, false])
        XCTAssertEqual(routeEmergingCategories(monthlyCounts: [], corridorAreas: []), [])
    }
}

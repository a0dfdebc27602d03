import XCTest
@testable import RouteRisk

/// MODEL §10 metrics on a hand-built case.
final class ForecastMetricsTests: XCTestCase {
    func testHitRatePAIAndPEIStarByHand() throws {
        // 10 cells; the model's scores pick cells 2 and 5 (k = 2 of n = 10, area fraction 0.2).
        let scores = [0.1, 0.0, 0.9, 0.3, 0.0, 0.8, 0.2, 0.0, 0.0, 0.05]
        let chosen = ForecastMetrics.topCells(scores, k: 2)
        XCTAssertEqual(chosen, [2, 5])
        // 8 test events: 3 in cell 2, 1 in cell 5, 4 in cell 7 (the model missed the busiest cell).
        var counts = [Int](repeating: 0, count: 10)
        counts[2] = 3; counts[5] = 1; counts[7] = 4
        let skill = try XCTUnwrap(ForecastMetrics.skill(chosen: chosen, testCounts: counts, n: 10))
        XCTAssertEqual(skill.hitRate, 4.0 / 8.0)       // 4 of 8 events hit
        XCTAssertEqual(skill.areaFraction, 0.2)
        XCTAssertEqual(skill.pai, 0.5 / 0.2, accuracy: 1e-12)  // 2.5
        XCTAssertEqual(skill.peiStar, 4.0 / 7.0, accuracy: 1e-12)  // the best two cells held 4 + 3 = 7
    }

    func testTiesGoToTheLowerIndexWhichIsQROrder() {
        XCTAssertEqual(ForecastMetrics.topCells([1, 2, 2, 2, 0], k: 2), [1, 2])
    }

    func testNoTestEventsGivesNoRates() {
        XCTAssertNil(ForecastMetrics.skill(chosen: [0], testCounts: [0, 0], n: 2))
    }

    func testCoverage() throws {
        // ⌈1 % · 250⌉ = 3; an area of 2000 km² over cells of 21.65 km² needs ⌈92.4⌉ = 93 cells.
        XCTAssertEqual(try Coverage.parse("1%").cellCount(n: 250, cellArea: 1), 3)
        let cellArea = 3.0.squareRoot() / 2 * 5000 * 5000
        XCTAssertEqual(try Coverage.parse("2000km2").cellCount(n: 10_000, cellArea: cellArea), 93)
        XCTAssertEqual(try Coverage.parse("100%").cellCount(n: 7, cellArea: 1), 7)
        XCTAssertThrowsError(try Coverage.parse("lots"))
    }
}

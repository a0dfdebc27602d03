import XCTest
@testable import RouteRisk

/// `ForecastMetrics.topCells` (a bounded heap) chooses the same cells in the same order as
/// sorting every cell by (score descending, index ascending), ties included.
final class TopCellsTests: XCTestCase {
    func testHeapSelectionEqualsAFullSort() {
        var state: UInt64 = 11
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for trial in 0..<40 {
            let n = 1 + Int(next() % 3000)
            // Few distinct values (many ties), zeros, and now and then all equal.
            let distinct = trial % 7 == 0 ? 1 : 1 + Int(next() % 50)
            let scores = (0..<n).map { _ in next() % 3 == 0 ? 0 : Double(next() % UInt64(distinct)) * 0.25 }
            let sorted = scores.indices.sorted { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
            for k in [0, 1, 2, n / 100, n / 3, n - 1, n, n + 5] where k >= 0 {
                XCTAssertEqual(ForecastMetrics.topCells(scores, k: k), Array(sorted.prefix(k)), "n \(n) k \(k)")
            }
        }
    }
}

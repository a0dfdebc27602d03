import XCTest
@testable import RouteRisk

final class MedianTests: XCTestCase {
    func testSelectionMedianEqualsTheSortedMedian() {
        // The definition: sort, take the middle (odd) or the mean of the two middle values (even).
        var rng = SplitMix64(seed: 17)
        for n in [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000] {
            for _ in 0..<20 {
                var values = (0..<n).map { _ in Double(rng.next() % 7) / 2 - 1 }  // many ties
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                XCTAssertEqual(selectMedian(&values), expected, "n = \(n)")
            }
        }
        // Without ties, all equal, and sorted either way (n past the insertion-sort size).
        for n in [17, 64, 257, 2556] {
            let distinct = (0..<n).map { _ in Double(rng.next() % 1_000_000) / 1000 }
            for case var values in [distinct, [Double](repeating: 2.5, count: n), distinct.sorted(), distinct.sorted().reversed()] {
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                XCTAssertEqual(selectMedian(&values), expected, "n = \(n)")
                XCTAssertEqual(values.sorted(), sorted, "a permutation, n = \(n)")
            }
        }
        var mixed = [5.0, -1, 3, 3, 8, 0]  // sorted −1, 0, 3, 3, 5, 8 → 3
        XCTAssertEqual(selectMedian(&mixed), 3)
        var pair = [4.0, 1]  // (1 + 4)/2
        XCTAssertEqual(selectMedian(&pair), 2.5)
    }
}

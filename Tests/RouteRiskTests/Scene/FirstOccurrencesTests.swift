import XCTest
@testable import RouteRisk

/// `firstOccurrences` against a `Dictionary<CodePointKey, Int>` filled in order (what the CSV reader used), and
/// by hand where String's == and code points disagree.
final class FirstOccurrencesTests: XCTestCase {
    func testByHand() {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are == as Swift Strings, different by code points.
        let ids: [String?] = ["a", nil, "b", "a", "\u{E9}", "e\u{301}", "b", nil, "\u{E9}", ""]
        XCTAssertEqual(firstOccurrences(ids), [-1, -1, -1, 0, -1, -1, 2, -1, 4, -1])
        XCTAssertEqual(firstOccurrences([]), [])
    }

    func testSameAsADictionaryInFileOrder() {
        defer { Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount }
        var rng = SplitMix64(seed: 21)
        // 50,000 ids from 20,000 distinct ones (many repeated), some missing, a few non-ASCII.
        let ids: [String?] = (0..<50_000).map { _ in
            let k = Int(rng.uniform(0, 20_000))
            if k % 97 == 0 { return nil }
            return k % 89 == 0 ? "Δ-\(k)" : "ID-\(k)"
        }
        var seen: [CodePointKey: Int] = [:]
        let expected = ids.enumerated().map { i, id -> Int in
            guard let id else { return -1 }
            if let first = seen[CodePointKey(string: id)] { return first }
            seen[CodePointKey(string: id)] = i
            return -1
        }
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            XCTAssertEqual(firstOccurrences(ids), expected, "\(threads) threads")
        }
    }
}

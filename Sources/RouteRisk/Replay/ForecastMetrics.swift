import Foundation

/// How many cells a forecast may choose (MODEL §10 `--coverage`).
public enum Coverage: Sendable, Equatable, CustomStringConvertible {
    /// A share of the study-area cells: k = ⌈share · n⌉.
    case share(Double)
    /// An area budget in m²: the fewest cells whose area reaches it.
    case area(Double)

    /// "1%", "0.5 %", or an area such as "2000km2".
    public static func parse(_ text: String) throws -> Coverage {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s.hasSuffix("km2") || s.hasSuffix("km²") {
            let number = s.replacingOccurrences(of: "km2", with: "").replacingOccurrences(of: "km²", with: "")
            if let v = Double(number.trimmingCharacters(in: .whitespaces)), v > 0, v.isFinite { return .area(v * 1e6) }
        } else if s.hasSuffix("%") {
            if let v = Double(s.dropLast().trimmingCharacters(in: .whitespaces)), v > 0, v <= 100 { return .share(v / 100) }
        }
        throw RunError.usage("--coverage: expected a share such as 1% or an area such as 2000km2, found '\(text)'")
    }

    /// k for n cells of `cellArea` m² each (at least 1, at most n).
    public func cellCount(n: Int, cellArea: Double) -> Int {
        let k: Int
        switch self {
        case .share(let f): k = Int((f * Double(n)).rounded(.up))
        case .area(let a): k = Int((a / cellArea).rounded(.up))
        }
        return min(n, max(1, k))
    }

    public var description: String {
        switch self {
        case .share(let f): return "\(Explanation.number(f * 100))%"
        case .area(let a): return "\(Explanation.number(a / 1e6))km2"
        }
    }
}

/// Forecast skill of a set of chosen cells against the events of a test period (MODEL §10).
public enum ForecastMetrics {
    /// The `k` cells with the highest score; ties by cell index, which is (q, r) order.
    ///
    /// A bounded heap of the k best so far (its root the worst of them), so the n cells cost
    /// O(n log k), then the k are sorted: the same cells, in the same order, as sorting all n.
    public static func topCells(_ scores: [Double], k: Int) -> [Int] {
        let k = Swift.min(k, scores.count)
        guard k > 0 else { return [] }
        // a ranks before b: higher score, ties by lower index.
        @inline(__always) func before(_ a: Int, _ b: Int) -> Bool {
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && before(heap[worst], heap[l]) { worst = l }
                if r < heap.count && before(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for j in scores.indices {
            if heap.count < k {
                heap.append(j)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard before(heap[parent], heap[i]) else { break }
                    heap.swapAt(i, parent)
                    i = parent
                }
            } else if before(j, heap[0]) {
                heap[0] = j
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }

    public struct Skill: Equatable, Sendable {
        public let hitRate: Double
        public let areaFraction: Double
        /// Predictive accuracy index, hit rate / area fraction (Chainey, Tompson & Uhlig 2008).
        public let pai: Double
        /// Test events in the chosen cells / the most test events any k cells held (White, Hunt & Green 2023).
        public let peiStar: Double
    }

    /// `testCounts[j]` is the number of test events in cell j; nil when there are none.
    public static func skill(chosen: [Int], testCounts: [Int], n: Int) -> Skill? {
        let total = testCounts.reduce(0, +)
        guard total > 0, !chosen.isEmpty, n > 0 else { return nil }
        let hits = chosen.reduce(0) { $0 + testCounts[$1] }
        // The most test events any k cells held (zeros add nothing: only the non-zero counts are sorted).
        let best = testCounts.filter { $0 > 0 }.sorted(by: >).prefix(chosen.count).reduce(0, +)
        let hitRate = Double(hits) / Double(total)
        let areaFraction = Double(chosen.count) / Double(n)
        return Skill(hitRate: hitRate, areaFraction: areaFraction, pai: hitRate / areaFraction, peiStar: Double(hits) / Double(best))
    }
}

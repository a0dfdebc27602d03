import XCTest
@testable import RouteRisk

final class EmergingCategoryTests: XCTestCase {
    /// `H` = hot bin, `C` = cold bin, anything else = neither; oldest first. The series defaults to a constant
    /// (Mann–Kendall S = 0: no trend).
    private func category(_ pattern: String, series: [Double]? = nil) -> EmergingCategory {
        let hot = pattern.map { $0 == "H" }
        let cold = pattern.map { $0 == "C" }
        return EmergingCategory.classify(hot: hot, cold: cold,
                                         series: series ?? [Double](repeating: 0, count: pattern.count))
    }

    private let rising = (1...10).map(Double.init)
    private let falling = (1...10).reversed().map(Double.init)

    func testSeventeenRawValues() {
        XCTAssertEqual(EmergingCategory.allCases.map(\.rawValue), [
            "new_hot_spot", "consecutive_hot_spot", "intensifying_hot_spot", "persistent_hot_spot",
            "diminishing_hot_spot", "sporadic_hot_spot", "oscillating_hot_spot", "historical_hot_spot",
            "new_cold_spot", "consecutive_cold_spot", "intensifying_cold_spot", "persistent_cold_spot",
            "diminishing_cold_spot", "sporadic_cold_spot", "oscillating_cold_spot", "historical_cold_spot",
            "no_pattern",
        ])
        XCTAssertEqual(EmergingCategory.allCases.filter(\.isHot).count, 8)
        XCTAssertEqual(EmergingCategory.allCases.filter(\.isCold).count, 8)
        let encoded = try? JSONEncoder().encode([EmergingCategory.newHotSpot])
        XCTAssertEqual(encoded.flatMap { String(data: $0, encoding: .utf8) }, "[\"new_hot_spot\"]")
    }

    func testHotCategories() {
        // The series 1…10 has S = 45, Var = 10·9·25/18 = 125, Z = 44/√125 = 3.94, p = 8e-5: rising.
        XCTAssertEqual(category(".........H"), .newHotSpot)
        XCTAssertEqual(category("........HH"), .consecutiveHotSpot)
        XCTAssertEqual(category("HHHHHHHHHH", series: rising), .intensifyingHotSpot)
        XCTAssertEqual(category("HHHHHHHHHH"), .persistentHotSpot)
        XCTAssertEqual(category("HHHHHHHHHH", series: falling), .diminishingHotSpot)
        XCTAssertEqual(category("H.H.H....H"), .sporadicHotSpot)
        XCTAssertEqual(category("C.H.H....H"), .oscillatingHotSpot)
        XCTAssertEqual(category("HHHHHHHHH."), .historicalHotSpot)
    }

    func testColdCategoriesMirrorTheHotOnes() {
        // The cold side's trend is that of −z: a falling z-series intensifies a cold spot.
        XCTAssertEqual(category(".........C"), .newColdSpot)
        XCTAssertEqual(category("........CC"), .consecutiveColdSpot)
        XCTAssertEqual(category("CCCCCCCCCC", series: falling), .intensifyingColdSpot)
        XCTAssertEqual(category("CCCCCCCCCC"), .persistentColdSpot)
        XCTAssertEqual(category("CCCCCCCCCC", series: rising), .diminishingColdSpot)
        XCTAssertEqual(category("C.C.C....C"), .sporadicColdSpot)
        XCTAssertEqual(category("H.C.C....C"), .oscillatingColdSpot)
        XCTAssertEqual(category("CCCCCCCCC."), .historicalColdSpot)
        XCTAssertEqual(category(".........."), .noPattern)
    }

    func testNinetyPercentRuleAtTenBins() {
        // 9 of 10 = 90 % counts as "≥ 90 %"; 8 of 10 does not.
        XCTAssertEqual(category("HHHHHHHHH."), .historicalHotSpot)
        XCTAssertEqual(category("HHHHHHHH.."), .noPattern)
        XCTAssertEqual(category("CCCCCCCCC."), .historicalColdSpot)
        XCTAssertEqual(category(".CCCCCCCC."), .noPattern)
        // A final run of 9 with nothing before it is ≥ 90 %: no longer consecutive but persistent/intensifying.
        XCTAssertEqual(category(".HHHHHHHHH"), .persistentHotSpot)
        XCTAssertEqual(category(".HHHHHHHHH", series: rising), .intensifyingHotSpot)
        XCTAssertEqual(category(".HHHHHHHHH", series: falling), .diminishingHotSpot)
        // A final run of 8: below 90 %, so consecutive whatever the trend.
        XCTAssertEqual(category("..HHHHHHHH", series: rising), .consecutiveHotSpot)
        XCTAssertEqual(category("..CCCCCCCC", series: rising), .consecutiveColdSpot)
        // 9 hot with a gap and the final bin hot: ≥ 90 %, so the trend decides, not sporadic.
        XCTAssertEqual(category("HHHH.HHHHH"), .persistentHotSpot)
        // 8 hot with gaps and the final bin hot: below 90 %, sporadic.
        XCTAssertEqual(category("HH.H.HHHHH"), .sporadicHotSpot)
    }

    func testNinetyPercentAtSeventyTwoMonths() {
        // 0.9·72 = 64.8: 65 hot months of 72 are ≥ 90 %, 64 are not.
        XCTAssertEqual(category(String(repeating: "H", count: 65) + String(repeating: ".", count: 7)),
                       .historicalHotSpot)
        XCTAssertEqual(category(String(repeating: "H", count: 64) + String(repeating: ".", count: 8)), .noPattern)
        // 18 of 20 = 90 % exactly.
        XCTAssertEqual(category(String(repeating: "C", count: 18) + ".."), .historicalColdSpot)
        XCTAssertEqual(category(String(repeating: "C", count: 17) + "..."), .noPattern)
        XCTAssertTrue(EmergingCategory.atLeastNinetyPercent(63, of: 70))
        XCTAssertFalse(EmergingCategory.atLeastNinetyPercent(62, of: 70))
    }

    func testFinalTimeStepEdgeCases() {
        // Only the final bin hot: new, even after a cold spell (ArcGIS: never a hot spot before).
        XCTAssertEqual(category("CC.......H"), .newHotSpot)
        // A final run of 2 with an earlier hot bin: the hot bins are not one run, so sporadic, not consecutive.
        XCTAssertEqual(category("....H...HH"), .sporadicHotSpot)
        // A final run of 1 after earlier hot bins: sporadic, not new.
        XCTAssertEqual(category("....H....H"), .sporadicHotSpot)
        // The same with a cold bin earlier: oscillating.
        XCTAssertEqual(category("..C.H....H"), .oscillatingHotSpot)
        XCTAssertEqual(category("..C.H...HH"), .oscillatingHotSpot)
        // Consecutive does not look at cold bins before the run.
        XCTAssertEqual(category("CC......HH"), .consecutiveHotSpot)
        // The final bin neither: only ≥ 90 % makes a historical spot, whatever the run before it.
        XCTAssertEqual(category("........H."), .noPattern)
        XCTAssertEqual(category("HHHHHHHHHH."), .historicalHotSpot)
        // One bin: hot → new, cold → new cold.
        XCTAssertEqual(category("H"), .newHotSpot)
        XCTAssertEqual(category("C"), .newColdSpot)
        XCTAssertEqual(category(""), .noPattern)
        // Two bins both hot: ≥ 90 %, and T < 4 gives no trend, so persistent.
        XCTAssertEqual(category("HH", series: [1, 2]), .persistentHotSpot)
    }

    func testTrendUsesTheSeriesRoundedToNanoUnits() {
        // A rise of 1e-11 per bin is below the 1e-9 rounding: every value rounds to 2, so no trend.
        let tiny = (0..<10).map { 2 + Double($0) * 1e-11 }
        XCTAssertEqual(mannKendall(tiny)?.trend, .rising)
        XCTAssertEqual(category("HHHHHHHHHH", series: tiny), .persistentHotSpot)
        // A rise of 1e-8 per bin survives it.
        let small = (0..<10).map { 2 + Double($0) * 1e-8 }
        XCTAssertEqual(category("HHHHHHHHHH", series: small), .intensifyingHotSpot)
        XCTAssertEqual(roundedToNanoUnits(-2.0000000005), -roundedToNanoUnits(2.0000000005))
    }

    func testColdSideTrendEqualsMannKendallOnTheNegatedSeries() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let t = 4 + Int(rng.next() % 20)
            let series = (0..<t).map { _ in Double(Int(rng.next() % 7)) + (rng.next() % 2 == 0 ? 0 : 0.25) }
            let cold = [Bool](repeating: true, count: t)
            let hot = [Bool](repeating: false, count: t)
            let expected: EmergingCategory
            switch mannKendall(series.map { -$0 })!.trend {
            case .rising: expected = .intensifyingColdSpot
            case .falling: expected = .diminishingColdSpot
            case .none: expected = .persistentColdSpot
            }
            XCTAssertEqual(EmergingCategory.classify(hot: hot, cold: cold, series: series), expected)
            XCTAssertEqual(EmergingCategory.classify(hot: hot, cold: cold, seriesTrend: mannKendall(series)!.trend),
                           expected)
        }
    }

    func testFastMannKendallMatchesTheFullTest() {
        var rng = SplitMix64(seed: 5)
        var seen: Set<String> = []
        for _ in 0..<2000 {
            let t = Int(rng.next() % 40)
            // Few distinct values, so that ties and tie groups of every size occur.
            let levels = 1 + Int(rng.next() % 6)
            let drift = rng.uniform(-0.3, 0.3)
            let series = (0..<t).map { Double(Int(rng.next() % UInt64(levels))) + drift * Double($0) }
            let fast = series.withUnsafeBufferPointer { mannKendallTrend($0) }
            XCTAssertEqual(fast, mannKendall(series)?.trend ?? .none, "\(series)")
            seen.insert(fast.rawValue)
        }
        XCTAssertEqual(seen, ["rising", "falling", "none"])
    }
}

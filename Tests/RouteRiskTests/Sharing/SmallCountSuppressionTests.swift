import XCTest
@testable import RouteRisk

final class SmallCountSuppressionTests: XCTestCase {
    func testSuppressesOnlyCountsFromOneToKMinusOne() throws {
        let rule = try SmallCountSuppression(minimumCount: 5)
        XCTAssertEqual((0...7).map(rule.suppresses), [false, true, true, true, true, false, false, false])
    }

    func testKBelowTwoIsAUsageError() {
        for text in ["1", "0", "-3", "five", "2.5", ""] {
            XCTAssertThrowsError(try SmallCountSuppression.parse(text), text) { error in
                guard case RunError.usage(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("--share"), message)
            }
        }
        XCTAssertEqual(try SmallCountSuppression.parse(" 2 ").minimumCount, 2)
    }

    /// Two significant digits, half away from zero (values worked out by hand).
    func testRoundingToTwoSignificantDigits() {
        let cases: [(Double, Double)] = [
            (0.012345, 0.012), (1234, 1200), (95.5, 96), (-0.0347, -0.035), (0.0, 0.0), (7, 7),
            (0.99, 0.99), (0.996, 1.0), (123_456_789, 120_000_000), (2.5e-7, 2.5e-7), (2.55e-7, 2.6e-7),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(SmallCountSuppression.rounded(value), expected, accuracy: abs(expected) * 1e-12, "\(value)")
        }
        XCTAssertTrue(SmallCountSuppression.rounded(.nan).isNaN)
    }

    func testOneWithheldRowTakesTheNextSmallestWithIt() throws {
        let rule = try SmallCountSuppression(minimumCount: 5)
        // Index 1 (3) is withheld; the next smallest non-zero is 7, at indices 2 and 4.
        XCTAssertEqual(SharedFeatures.rowsToWithhold(rule, counts: [0, 3, 7, 9, 7]), [1, 2])
        XCTAssertEqual(SharedFeatures.rowsToWithhold(rule, counts: [0, 3, 7, 9, 7], keys: ["a", "b", "z", "d", "c"]), [1, 4])
        // Two withheld already: no complement; none withheld: none.
        XCTAssertEqual(SharedFeatures.rowsToWithhold(rule, counts: [1, 4, 7]), [0, 1])
        XCTAssertEqual(SharedFeatures.rowsToWithhold(rule, counts: [0, 5, 7]), [])
        // A single withheld row with nothing else to hide behind stays the only one.
        XCTAssertEqual(SharedFeatures.rowsToWithhold(rule, counts: [0, 2, 0]), [1])
    }

    func testWithheldFieldsAreNullAndIntensityRounded() throws {
        let rule = try SmallCountSuppression(minimumCount: 3)
        let fields: [FieldDefinition] = [
            .init(name: "q", kind: .integer), .init(name: "events", kind: .integer), .init(name: "weight", kind: .real),
            .init(name: "intensity_km2", kind: .real), .init(name: "gi_z", kind: .real), .init(name: "forecast", kind: .real),
        ]
        var tally = 0
        let small = SharedFeatures.apply(
            rule, fields: fields, values: [.integer(4), .integer(2), .real(1.7), .real(0.012345), .real(2.1), .real(0.3)], tally: &tally)
        XCTAssertTrue(small.suppressed)
        XCTAssertEqual(small.values, [.integer(4), .null, .null, .real(0.012), .real(2.1), .real(0.3)])
        XCTAssertEqual(tally, 3)
        let large = SharedFeatures.apply(
            rule, fields: fields, values: [.integer(4), .integer(3), .real(1.7), .real(0.012345), .real(2.1), .real(0.3)], tally: &tally)
        XCTAssertFalse(large.suppressed)
        XCTAssertEqual(large.values[1], .integer(3))
        let none = SharedFeatures.apply(
            rule, fields: fields, values: [.integer(4), .integer(0), .real(0), .real(0.012345), .real(2.1), .real(0.3)], tally: &tally)
        XCTAssertFalse(none.suppressed, "a cell with no event is unaffected")
        XCTAssertEqual(tally, 3)
    }

    func testExplanationSaysFewerThanK() throws {
        let rule = try SmallCountSuppression(minimumCount: 5)
        var facts = Explanation.Facts(
            events: 3, persons: 7, corridorKm: 2, period: "since 2021-01", rateRatio: 1.5, risk: 1.2,
            riskClass: .elevated, crossings: 0, landings: 0, evasionKm: nil, evasionIsCrossing: false,
            nearestPost: nil, trend: .none, trendP: 0.5, share: rule, withheld: true)
        let sentence = Explanation.sentence(facts)
        XCTAssertTrue(sentence.hasPrefix("fewer than 5 interceptions within 2 km since 2021-01 (risk 1.2, elevated)"), sentence)
        XCTAssertFalse(sentence.contains("7 persons"))
        XCTAssertFalse(sentence.contains("1.5×"))
        facts.events = 9
        XCTAssertTrue(Explanation.sentence(facts).hasPrefix("a withheld number of interceptions within 2 km"))
        facts.withheld = false
        XCTAssertTrue(Explanation.sentence(facts).hasPrefix("9 interceptions (7 persons) within 2 km since 2021-01, 1.5× the average route"))
    }
}

import Foundation
import XCTest
@testable import RouteRisk

/// `cFormat` against `String(format:)` (the formatter it replaces), and a few values printed by hand.
final class CFormatTests: XCTestCase {
    func testSameDigitsAsStringFormat() {
        var rng = SplitMix64(seed: 11)
        // Halfway cases in decimal (0.05, 0.25, 2.5 …: C rounds the binary value, ties to even), tiny, huge,
        // negative and random values.
        var values: [Double] = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 2.5, 3.5, 0.125, 1e-7, 9.95, 9.949999, 99.95,
                                -1.25, 1234567.5, 1e300, -2.5e-12, 0.001, 0.00099999]
        for _ in 0..<2000 {
            values.append(rng.uniform(-1000, 1000))
            values.append(exp(rng.uniform(-20, 20)))
        }
        for format in ["%.0f", "%.1f", "%.2f", "%.7f", "p = %.2g", "%.15g", "%.17g"] {
            for v in values {
                XCTAssertEqual(cFormat(format, v), String(format: format, v), "\(format) of \(v)")
            }
        }
    }

    func testByHand() {
        XCTAssertEqual(cFormat("%.1f", 0.25), "0.2")   // 0.25 is exact: a tie, to even
        XCTAssertEqual(cFormat("%.1f", 0.35), "0.3")   // 0.35 is 0.34999…
        XCTAssertEqual(cFormat("%.0f", 2.5), "2")
        XCTAssertEqual(cFormat("%.7f", -12.25), "-12.2500000")
        XCTAssertEqual(cFormat("p = %.2g", 0.012345), "p = 0.012")
        XCTAssertEqual(Explanation.spaced("rising_fast"), "rising fast")
    }
}

import XCTest
@testable import RouteRisk

final class BenjaminiHochbergTests: XCTestCase {
    func testSmallListByHand() {
        // n = 5, α = 0.05: sorted 0.005 (#3) ≤ 0.01 ✓, 0.01 (#0) ≤ 0.02 ✓, 0.03 (#2) ≤ 0.03 ✓, 0.04 (#1) ≤ 0.04 ✓,
        // 0.5 (#4) ≤ 0.05 ✗ → k* = 4.
        XCTAssertEqual(benjaminiHochbergRejected([0.01, 0.04, 0.03, 0.005, 0.5], alpha: 0.05),
                       [true, true, true, true, false])
    }

    func testStepUpRejectsAnEarlierRankThatFailsItsOwnThreshold() {
        // n = 4, α = 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05. Rank 1 (0.02) fails 0.0125, but rank 3
        // (0.022 ≤ 0.0375) passes, so ranks 1–3 are rejected. A step-down rule would reject nothing.
        XCTAssertEqual(benjaminiHochbergRejected([0.02, 0.021, 0.022, 0.8], alpha: 0.05), [true, true, true, false])
    }

    func testThresholdIsInclusiveAndTiesShareTheirFate() {
        // n = 2, α = 0.04: thresholds 0.02 and 0.04; p = 0.02 and 0.04 both sit on them (≤).
        XCTAssertEqual(benjaminiHochbergRejected([0.04, 0.02], alpha: 0.04), [true, true])
        // Three equal p = 0.04 at α = 0.05: rank 3 passes 0.04 ≤ 0.05, so all three are rejected.
        XCTAssertEqual(benjaminiHochbergRejected([0.04, 0.04, 0.04], alpha: 0.05), [true, true, true])
        // Nothing passes: 0.2 > 0.05·k/2 for k = 1, 2.
        XCTAssertEqual(benjaminiHochbergRejected([0.2, 0.3], alpha: 0.05), [false, false])
        XCTAssertEqual(benjaminiHochbergRejected([], alpha: 0.05), [])
    }

    func testGiBinsByHand() {
        // Sorted p: 0.0005 (#3), 0.001 (#0), 0.002 (#1), 0.03 (#2), 0.08 (#4); n = 5.
        // α = 0.01: thresholds 0.002, 0.004, 0.006, 0.008, 0.01 → ranks 1–3 pass (0.002 ≤ 0.006), 0.03 > 0.008 → {3, 0, 1}.
        // α = 0.05: thresholds 0.01 … 0.05 → 0.03 ≤ 0.04, 0.08 > 0.05 → {3, 0, 1, 2}.
        // α = 0.10: 0.08 ≤ 0.10 → all.
        // Bins with the sign of z: #0 +3, #1 −3, #2 +2, #3 z = 0 → 0, #4 +1.
        let z = [4.0, -4, 2.2, 0, 1.8]
        let p = [0.001, 0.002, 0.03, 0.0005, 0.08]
        XCTAssertEqual(giBins(z: z, p: p), [3, -3, 2, 0, 1])
        XCTAssertEqual(giBins(z: [-1.0, 0.5], p: [0.3, 0.6]), [0, 0])
    }
}

import XCTest
@testable import RouteRisk

final class NormalDistributionTests: XCTestCase {
    func testTwoSidedPAgainstTables() {
        // Standard normal table: 2·(1 − Φ(1.959963984540054)) = 0.05; 2·(1 − Φ(2.5758293035489)) = 0.01;
        // z = 0 → 1; far tail 2·(1 − Φ(10)) = 1.5239706048321052e-23 (erfc(10/√2), where 1 − Φ would give 0).
        XCTAssertEqual(twoSidedNormalP(1.959963984540054), 0.05, accuracy: 1e-15)
        XCTAssertEqual(twoSidedNormalP(-2.5758293035489004), 0.01, accuracy: 1e-15)
        XCTAssertEqual(twoSidedNormalP(0), 1)
        XCTAssertEqual(twoSidedNormalP(10), 1.5239706048321052e-23, accuracy: 1e-35)
    }
}

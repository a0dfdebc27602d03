import XCTest
@testable import RouteRisk

final class EmpiricalBayesTests: XCTestCase {
    func testThreeRoutesByHand() throws {
        // n = 12, 3, 1; E = 6, 2, 8. m = 16/16 = 1; θ = 2, 1.5, 0.125.
        // ΣE(θ − m)² = 6·1 + 2·0.25 + 8·0.765625 = 12.625; /ΣE = 0.7890625; Ē = 16/3, m/Ē = 0.1875;
        // s² = 0.7890625 − 0.1875 = 0.6015625 = 77/128.
        // C = s²/(s² + m/E): 77/(77 + 128/6) = 231/295; 77/(77 + 64) = 77/141; 77/(77 + 16) = 77/93.
        // risk = 1 + 231/295 = 526/295; 1 + (77/141)·0.5 = 359/282; 1 − (77/93)·0.875 = 205/744.
        let risk = try XCTUnwrap(empiricalBayesRisk(observed: [12, 3, 1], expected: [6, 2, 8]))
        XCTAssertEqual(risk[0], 526.0 / 295, accuracy: 1e-12)
        XCTAssertEqual(risk[1], 359.0 / 282, accuracy: 1e-12)
        XCTAssertEqual(risk[2], 205.0 / 744, accuracy: 1e-12)
    }

    func testGeneralMeanRate() throws {
        // n = 9, 1; E = 1, 3: m = 10/4 = 2.5; θ = 9, 1/3. ΣE(θ − m)² = 1·42.25 + 3·(13/6)² = 42.25 + 14.083333 = 56.333333;
        // /4 = 14.083333; Ē = 2, m/Ē = 1.25; s² = 12.833333 = 77/6.
        // C = (77/6)/(77/6 + 2.5) = 77/92; (77/6)/(77/6 + 5/6) = 77/82.
        // risk = 2.5 + (77/92)·6.5 = 2.5 + 5.4402174 = 7.9402174; 2.5 − (77/82)·(13/6) = 2.5 − 2.0345528 = 0.4654472.
        let risk = try XCTUnwrap(empiricalBayesRisk(observed: [9, 1], expected: [1, 3]))
        XCTAssertEqual(risk[0], 2.5 + 77.0 / 92 * 6.5, accuracy: 1e-12)
        XCTAssertEqual(risk[1], 2.5 - 77.0 / 82 * 13 / 6, accuracy: 1e-12)
    }

    func testVarianceFloorShrinksEveryRouteToTheMean() throws {
        // All θ equal: n = 2, 4, 6; E = 1, 2, 3 → θ = 2, m = 2, s² = 0 − 2/2 < 0 → 0 → risk = m.
        XCTAssertEqual(try XCTUnwrap(empiricalBayesRisk(observed: [2, 4, 6], expected: [1, 2, 3])), [2, 2, 2])
        // Unequal θ but little evidence: n = 4, 1; E = 1, 1: m = 2.5, ΣE(θ − m)²/ΣE = (2.25 + 2.25)/2 = 2.25,
        // m/Ē = 2.5 → s² = −0.25 → 0 → risk = 2.5 for both.
        XCTAssertEqual(try XCTUnwrap(empiricalBayesRisk(observed: [4, 1], expected: [1, 1])), [2.5, 2.5])
    }

    func testNoWeightOnAnyRouteGivesNil() {
        XCTAssertNil(empiricalBayesRisk(observed: [0, 0], expected: [0, 0]))
        XCTAssertNil(empiricalBayesRisk(observed: [0, 0], expected: [1, 2]))
        XCTAssertNil(empiricalBayesRisk(observed: [], expected: []))
        XCTAssertNil(empiricalBayesRisk(observed: [1], expected: [1, 2]))
    }

    func testZeroExpectedRouteGetsTheMean() throws {
        // E = 0 has no evidence: C = 0, risk = m. The others: n = 3, 1; E = 2, 2 → m = 1; θ = 1.5, 0.5;
        // ΣE(θ − m)²/ΣE = (0.5 + 0.5)/4 = 0.25; Ē = 4/3, m/Ē = 0.75 → s² < 0 → 0 → all m.
        XCTAssertEqual(try XCTUnwrap(empiricalBayesRisk(observed: [3, 1, 0], expected: [2, 2, 0])), [1, 1, 1])
    }
}

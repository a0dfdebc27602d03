import XCTest
@testable import RouteRisk

final class PoissonTests: XCTestCase {
    func testSmallCasesByHand() {
        // P(X ≥ 3 | 2) = 1 − e⁻²(1 + 2 + 2) = 1 − 5e⁻² = 0.32332358381693654.
        XCTAssertEqual(poissonUpperTail(atLeast: 3, mean: 2), 1 - 5 * exp(-2.0), accuracy: 1e-15)
        // P(X ≤ 3 | 2) = e⁻²(1 + 2 + 2 + 4/3) = (19/3)e⁻² = 0.857123460498547.
        XCTAssertEqual(poissonLowerTail(atMost: 3, mean: 2), 19.0 / 3 * exp(-2.0), accuracy: 1e-15)
        // P(X ≥ 1 | 0.5) = 1 − e^−0.5; P(X ≤ 0 | 3) = e⁻³.
        XCTAssertEqual(poissonUpperTail(atLeast: 1, mean: 0.5), -expm1(-0.5), accuracy: 1e-15)
        XCTAssertEqual(poissonLowerTail(atMost: 0, mean: 3), exp(-3.0), accuracy: 1e-16)
        // P(X ≥ 1 | 10⁻¹⁰) = 1 − e^(−10⁻¹⁰) = 10⁻¹⁰ − 5·10⁻²¹ + …: no cancellation.
        XCTAssertEqual(poissonUpperTail(atLeast: 1, mean: 1e-10), -expm1(-1e-10), accuracy: 1e-24)
    }

    func testEdgeCases() {
        XCTAssertEqual(poissonUpperTail(atLeast: 0, mean: 5), 1)
        XCTAssertEqual(poissonUpperTail(atLeast: -2, mean: 5), 1)
        XCTAssertEqual(poissonUpperTail(atLeast: 0, mean: 0), 1)
        XCTAssertEqual(poissonUpperTail(atLeast: 1, mean: 0), 0)
        XCTAssertEqual(poissonLowerTail(atMost: 0, mean: 0), 1)
        XCTAssertEqual(poissonLowerTail(atMost: -1, mean: 4), 0)
    }

    func testTailsAgainstHighPrecisionReferences() {
        // P(X ≥ k | μ) = P(k, μ) and P(X ≤ k | μ) = Q(k + 1, μ) from mpmath 1.3 gammainc(regularized=True) at 60 digits,
        // computed separately (and the two μ = 10⁶ upper tails re-checked by direct summation of the pmf).
        // scipy.stats.poisson agrees to 1e-14 except sf at μ = 10⁶, k = 1 005 000, where it is off by 5e-6 relative.
        let upper: [(Int, Double, Double)] = [
            (1100, 1000, 0.00096263040586655716),
            (1001, 1000, 0.49159063283149401),
            (1000, 1000, 0.50420524418021551),
            (1_000_000, 1e6, 0.50013298076087259),
            (1_000_005, 1e6, 0.49813827750389722),
            (1_005_000, 1e6, 2.9340340480316411e-7),
            (1_010_000, 1e6, 9.0392063980996577e-24),
            (40, 2, 1.9171583415942735e-37),
            (5, 1e-3, 8.3263918642115033e-18),
            (60, 1000, 1.0),
        ]
        for (k, mean, expected) in upper {
            let value = poissonUpperTail(atLeast: k, mean: mean)
            XCTAssertEqual(value, expected, accuracy: 1e-12 * expected, "P(X ≥ \(k) | \(mean))")
        }
        let lower: [(Int, Double, Double)] = [
            (900, 1000, 0.00069776732779630678),
            (1000, 1000, 0.50840936716850599),
            (10, 100, 1.1376879516952979e-30),
            (995_000, 1e6, 2.8148203838965314e-7),
            (990_000, 1e6, 6.4777570152898862e-24),
            (150, 100, 0.99999876690558084),
            (1_999_999, 1e6, 1.0),
        ]
        for (k, mean, expected) in lower {
            let value = poissonLowerTail(atMost: k, mean: mean)
            XCTAssertEqual(value, expected, accuracy: 1e-12 * expected, "P(X ≤ \(k) | \(mean))")
        }
    }

    func testTailsAreComplementary() {
        // P(X ≥ k) + P(X ≤ k − 1) = 1 over both branches of the expansion.
        for mean in [0.3, 4.5, 37.0, 980.0] {
            for k in [1, 2, 5, 30, 40, 1000, 1100] {
                let sum = poissonUpperTail(atLeast: k, mean: mean) + poissonLowerTail(atMost: k - 1, mean: mean)
                XCTAssertEqual(sum, 1, accuracy: 1e-14, "k = \(k), μ = \(mean)")
            }
        }
    }

    func testDensityAgreesWithTheDirectFormula() {
        // λ^x e^(−λ)/x!: 3⁴e⁻³/24 = 81/24·e⁻³ = 0.16803135574154081; 10¹⁰e⁻¹⁰/10! = 0.1251100357211333.
        XCTAssertEqual(poissonDensity(4, 3), 81.0 / 24 * exp(-3.0), accuracy: 1e-16)
        XCTAssertEqual(poissonDensity(10, 10), 0.1251100357211333, accuracy: 1e-15)
    }
}

import XCTest
@testable import RouteRisk

final class MannKendallTests: XCTestCase {
    func testTiedSeriesByHand() throws {
        // y = 1, 2, 2, 3, 1, 4 (T = 6). S row by row (k < l): from 1: +1 +1 +1 0 +1 = 4; from 2: 0 +1 −1 +1 = 1;
        // from 2: +1 −1 +1 = 1; from 3: −1 +1 = 0; from 1: +1 → S = 7.
        // Ties: {1, 1} and {2, 2}, each 2·1·9 = 18. Var = (6·5·17 − 36)/18 = (510 − 36)/18 = 26.3333.
        // Z = (7 − 1)/√26.3333 = 6/5.1316014 = 1.1692256; p = erfc(1.1692256/√2) = 0.2423127 → no trend.
        // Sen: the 15 slopes sorted −2, −0.5, −1/3, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.6, 2/3, 2/3, 1, 1, 3 → 8th = 0.5.
        let result = try XCTUnwrap(mannKendall([1, 2, 2, 3, 1, 4]))
        XCTAssertEqual(result.s, 7)
        XCTAssertEqual(result.variance, 474.0 / 18, accuracy: 1e-12)
        XCTAssertEqual(result.z, 6 / (474.0 / 18).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(result.z, 1.1692256, accuracy: 1e-7)
        XCTAssertEqual(result.p, 0.2423127, accuracy: 1e-7)
        XCTAssertEqual(result.trend, .none)
        XCTAssertEqual(result.senSlope, 0.5)
    }

    func testAgainstPymannkendall() throws {
        // Reference values from pymannkendall 1.4.3 `original_test` (trend, s, var_s, z, p, slope), run separately.
        // Its p is 2·(1 − Φ(|z|)), so p is compared relatively at 1e-9.
        let cases: [([Double], Trend, Int, Double, Double, Double, Double)] = [
            ([1, 2, 2, 3, 1, 4], .none, 7, 26.333333333333332, 1.1692256444309357, 0.2423127316722784, 0.5),
            ([0, 1, 0, 2, 3, 1, 4, 2, 5, 3, 6, 4], .rising, 43, 207.66666666666666, 2.9145123129731174,
             0.0035624475545075196, 0.5),
            ([0, 2, 3, 9], .none, 6, 8.666666666666666, 1.6984155512168937, 0.08942935902899363, 2.5),
            ([5, 5, 4, 4, 4, 3, 3, 2, 2, 1, 0, 0, 0], .falling, -69, 258.3333333333333, -4.230762914500135,
             2.329000478207277e-05, -0.5),
        ]
        for (y, trend, s, variance, z, p, slope) in cases {
            let result = try XCTUnwrap(mannKendall(y))
            XCTAssertEqual(result.trend, trend, "\(y)")
            XCTAssertEqual(result.s, s, "\(y)")
            XCTAssertEqual(result.variance, variance, accuracy: 1e-9, "\(y)")
            XCTAssertEqual(result.z, z, accuracy: 1e-12, "\(y)")
            XCTAssertEqual(result.p, p, accuracy: 1e-9 * p, "\(y)")
            XCTAssertEqual(result.senSlope, slope, accuracy: 1e-12, "\(y)")
        }
    }

    func testMonotoneSeriesByHand() throws {
        // y = 1…10: S = 45 (all pairs rise), Var = 10·9·25/18 = 125, Z = 44/√125 = 3.9354796, p = 8.30307e-5 → rising.
        let rising = try XCTUnwrap(mannKendall((1...10).map(Double.init)))
        XCTAssertEqual(rising.s, 45)
        XCTAssertEqual(rising.variance, 125)
        XCTAssertEqual(rising.z, 44 / 125.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(rising.p, 8.303070332644999e-05, accuracy: 1e-15)
        XCTAssertEqual(rising.trend, .rising)
        XCTAssertEqual(rising.senSlope, 1)
        let falling = try XCTUnwrap(mannKendall((1...10).reversed().map(Double.init)))
        XCTAssertEqual(falling.s, -45)
        XCTAssertEqual(falling.z, -44 / 125.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(falling.trend, .falling)
        XCTAssertEqual(falling.senSlope, -1)
    }

    func testSenSlopeOfAnEvenNumberOfPairsIsTheMeanOfTheMiddleTwo() throws {
        // y = 0, 2, 3, 9: slopes 2/1, 3/2, 9/3, 1/1, 7/2, 6/1 → sorted 1, 1.5, 2, 3, 3.5, 6 → (2 + 3)/2 = 2.5.
        XCTAssertEqual(try XCTUnwrap(mannKendall([0, 2, 3, 9])).senSlope, 2.5)
    }

    func testAllTiedGivesZeroVarianceAndNoTrend() throws {
        // One tie group of 4: Var = (4·3·13 − 4·3·13)/18 = 0 → Z = 0, p = 1.
        let result = try XCTUnwrap(mannKendall([3, 3, 3, 3]))
        XCTAssertEqual(result, MannKendallResult(s: 0, variance: 0, z: 0, p: 1, trend: .none, senSlope: 0))
    }

    func testFewerThanFourValuesGiveNil() {
        XCTAssertNil(mannKendall([1, 2, 3]))
        XCTAssertNil(mannKendall([]))
        XCTAssertNotNil(mannKendall([1, 2, 3, 4]))
    }

    func testAlphaDecidesTheTrend() throws {
        // The 12-month series above has p = 0.00356: rising at 0.05, none at 0.001.
        let y: [Double] = [0, 1, 0, 2, 3, 1, 4, 2, 5, 3, 6, 4]
        XCTAssertEqual(try XCTUnwrap(mannKendall(y, alpha: 0.001)).trend, .none)
        XCTAssertEqual(try XCTUnwrap(mannKendall(y, alpha: 0.05)).trend, .rising)
    }
}

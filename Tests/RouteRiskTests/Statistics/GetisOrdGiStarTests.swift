import XCTest
@testable import RouteRisk

final class GetisOrdGiStarTests: XCTestCase {
    func testEsdaBinaryStarReference() {
        // PySAL esda test_getisord.py, test_star_binary: G_Local(y, DistanceBand(points, 15), transform="B",
        // star=True).Zs[0] = −1.39727626.
        // By hand: n = 6, Σy = 28.2, X̄ = 4.7, Σy² = 161.24, S² = 161.24/6 − 4.7² = 26.87333 − 22.09 = 4.78333,
        // S = 2.187083; point 0 has {0, 1, 3}: W = 3, Σwy = 2 + 3 + 5 = 10,
        // z = (10 − 14.1)/(2.187083·√((6·3 − 9)/5)) = −4.1/(2.187083·1.341641) = −4.1/2.934285 = −1.397276.
        // Point 4 has {1, 2, 3, 4, 5}: W = 5, Σwy = 26.2, z = (26.2 − 23.5)/(S·√((30 − 25)/5)) = 2.7/2.187083 = 1.234521.
        let y = [2, 3, 3.2, 5, 8, 7]
        let w = SpatialWeights.distanceBand(points: SpatialWeightsTests.esdaPoints, threshold: 15)
        let result = getisOrdGiStar(y, weights: w)
        XCTAssertEqual(result.z[0], -1.39727626, accuracy: 1e-8)
        XCTAssertEqual(result.z[4], 1.2345208835198738, accuracy: 1e-8)
        // p = erfc(|z|/√2) = 2·(1 − Φ(1.39727626)) = 0.16233051.
        XCTAssertEqual(result.p[0], 0.16233051131343829, accuracy: 1e-10)
        XCTAssertEqual(result.p[0], erfc(abs(result.z[0]) / 2.0.squareRoot()))
    }

    func testFourPointsOnALineByHand() {
        // x = 1, 2, 3, 6 at positions 0, 1, 2, 3 with band 1 (self and adjacent).
        // X̄ = 12/4 = 3, Σx²/n = 50/4 = 12.5, S² = 12.5 − 9 = 3.5.
        // j = 0: {0,1}, W = 2: (3 − 6)/(√3.5·√((8 − 4)/3)) = −3/√(14/3) = −3/2.1602469 = −1.3887301.
        // j = 1: {0,1,2}, W = 3: (6 − 9)/(√3.5·√((12 − 9)/3)) = −3/√3.5 = −1.6035675.
        // j = 2: {1,2,3}: (11 − 9)/√3.5 = 1.0690450.   j = 3: {2,3}: (9 − 6)/√(14/3) = 1.3887301.
        let points = (0..<4).map { PlanarPoint(x: Double($0), y: 0) }
        let w = SpatialWeights.distanceBand(points: points, threshold: 1)
        let z = getisOrdGiStar([1, 2, 3, 6], weights: w).z
        XCTAssertEqual(z[0], -3 / (14.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(z[1], -3 / 3.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(z[2], 2 / 3.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(z[3], 3 / (14.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(z[1], -1.6035675, accuracy: 1e-7)
    }

    func testInvariantUnderPositiveScaling() {
        var rng = SplitMix64(seed: 3)
        let points = (0..<200).map { _ in PlanarPoint(x: rng.uniform(0, 30_000), y: rng.uniform(0, 30_000)) }
        let values = (0..<200).map { _ in rng.next() % 3 == 0 ? 0 : rng.uniform(0, 10) }
        let w = SpatialWeights.distanceBand(points: points, threshold: 4000)
        let base = getisOrdGiStar(values, weights: w)
        // A power of two scales every operation exactly.
        XCTAssertEqual(getisOrdGiStar(values.map { $0 * 4 }, weights: w), base)
        let scaled = getisOrdGiStar(values.map { $0 * 3.7 }, weights: w)
        for j in values.indices {
            XCTAssertEqual(scaled.z[j], base.z[j], accuracy: 1e-12 * Swift.max(1, abs(base.z[j])))
        }
        XCTAssertTrue(base.z.contains { abs($0) > 1 })
    }

    func testConstantValuesGiveZeroAndOne() {
        // S = 0: every z = 0 and p = 1 (0.1 is not exact in binary, so the floating S² need not be 0).
        let w = SpatialWeights(neighbourLists: [[0, 1], [0, 1, 2], [1, 2]])
        XCTAssertEqual(getisOrdGiStar([0.1, 0.1, 0.1], weights: w), GiStarResult(z: [0, 0, 0], p: [1, 1, 1]))
        XCTAssertEqual(getisOrdGiStar([0, 0, 0], weights: w), GiStarResult(z: [0, 0, 0], p: [1, 1, 1]))
    }

    func testAnItemNeighbouringEveryItemGetsZeroAndOne() {
        // j = 1 sees all n = 3: n·S1 − W² = 3·3 − 9 = 0 → z 0, p 1. j = 0 sees {0,1}: values 1, 2, 6,
        // X̄ = 3, S² = 41/3 − 9 = 14/3; z0 = (3 − 6)/(√(14/3)·√((6 − 4)/2)) = −3/2.1602469 = −1.3887301.
        let w = SpatialWeights(neighbourLists: [[0, 1], [0, 1, 2], [1, 2]])
        let result = getisOrdGiStar([1, 2, 6], weights: w)
        XCTAssertEqual(result.z[1], 0)
        XCTAssertEqual(result.p[1], 1)
        XCTAssertEqual(result.z[0], -3 / (14.0 / 3).squareRoot(), accuracy: 1e-12)
    }
}

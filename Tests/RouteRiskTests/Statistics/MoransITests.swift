import XCTest
@testable import RouteRisk

final class MoransITests: XCTestCase {
    /// The 5 × 5 rook lattice of libpysal `lat2W(5, 5, rook=True)`: cell i = 5·row + column.
    static func rookLattice() -> SpatialWeights {
        SpatialWeights(neighbourLists: (0..<25).map { i in
            let row = i / 5, column = i % 5
            var list: [Int] = []
            if row > 0 { list.append(i - 5) }
            if column > 0 { list.append(i - 1) }
            if column < 4 { list.append(i + 1) }
            if row < 4 { list.append(i + 5) }
            return list
        })
    }

    // Reference values: PySAL esda 2.9.0 `Moran(y, w, transformation=…, permutations=0)` with libpysal 4.14.1
    // weights (pip install esda libpysal), printed with repr:
    //   import numpy as np, esda, libpysal
    //   y = np.array([3,1,4,1,5,9,2,6,5,3,5,8,9,7,9,3,2,3,8,4,6,2,6,4,3], float)
    //   w = libpysal.weights.lat2W(5, 5, rook=True); w.transform = tr
    //   m = esda.Moran(y, w, transformation=tr, permutations=0); print(m.I, m.EI, m.VI_rand, m.z_rand)
    private let lattice: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3]

    func testRookLatticeBinaryAgainstEsda() {
        let m = globalMoransI(lattice, weights: MoransITests.rookLattice())
        XCTAssertEqual(m.i, 0.022445112388917946, accuracy: 1e-14)
        XCTAssertEqual(m.expected, -0.041666666666666664, accuracy: 1e-15)
        XCTAssertEqual(m.variance, 0.0222102035207147, accuracy: 1e-14)
        XCTAssertEqual(m.z, 0.43019123676532306, accuracy: 1e-12)
    }

    func testRookLatticeRowStandardisedAgainstEsda() {
        let m = globalMoransI(lattice, weights: MoransITests.rookLattice(), rowStandardized: true)
        XCTAssertEqual(m.i, 0.002461230179473785, accuracy: 1e-14)
        XCTAssertEqual(m.expected, -0.041666666666666664, accuracy: 1e-15)
        XCTAssertEqual(m.variance, 0.02343618290184607, accuracy: 1e-14)
        XCTAssertEqual(m.z, 0.2882503145854514, accuracy: 1e-12)
    }

    /// Twelve points with an uneven distance band (libpysal `DistanceBand(pts, threshold=1.5, binary=True)`).
    static let bandPoints: [PlanarPoint] = [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2.5, 1), (0, 2.2), (1, 2), (2, 2),
                                            (3, 3), (4, 3), (3.5, 4)].map { PlanarPoint(x: $0.0, y: $0.1) }
    private let bandValues: [Double] = [1.5, 2, 0, 3, 4.5, 1, 0, 2, 7, 5, 6, 4]

    func testDistanceBandAgainstEsda() {
        // Same script: esda.Moran(y2, DistanceBand(pts, 1.5, binary=True), transformation "B" and "R").
        let weights = SpatialWeights.distanceBand(points: MoransITests.bandPoints, threshold: 1.5, includeSelf: false)
        XCTAssertEqual(Array(weights.neighbours(of: 4)), [0, 1, 2, 3, 5, 7, 8])
        let b = globalMoransI(bandValues, weights: weights)
        XCTAssertEqual(b.i, 0.1343101343101343, accuracy: 1e-14)
        XCTAssertEqual(b.expected, -0.09090909090909091, accuracy: 1e-15)
        XCTAssertEqual(b.variance, 0.030250289746349246, accuracy: 1e-14)
        XCTAssertEqual(b.z, 1.2949132976054283, accuracy: 1e-12)
        let r = globalMoransI(bandValues, weights: weights, rowStandardized: true)
        XCTAssertEqual(r.i, 0.22354497354497355, accuracy: 1e-14)
        XCTAssertEqual(r.variance, 0.03860136672388464, accuracy: 1e-14)
        XCTAssertEqual(r.z, 1.6005007121989159, accuracy: 1e-12)
    }

    func testAsymmetricWeightsUseTheGeneralS1AndS2() {
        // Directed ring 0 → 1 → 2 → 3 → 0 (binary): S0 = 4, S1 = ½Σ(w_ij + w_ji)² = ½·8 = 4, S2 = Σ(1 + 1)² = 16.
        // y = 1, 2, 3, 4: z = −1.5, −0.5, 0.5, 1.5, Σz² = 5, Σz⁴ = 10.25, b2 = 4·10.25/25 = 1.64.
        // Σ w_ij z_i z_j = 0.75 − 0.25 + 0.75 − 2.25 = −1, I = (4/4)·(−1/5) = −0.2.
        // Var = [4(7·4 − 64 + 48) − 1.64(12·4 − 128 + 96)] / (3·2·1·16) − 1/9 = (48 − 26.24)/96 − 1/9 = 0.115555…
        let weights = SpatialWeights(neighbourLists: [[1], [2], [3], [0]])
        let m = globalMoransI([1, 2, 3, 4], weights: weights)
        XCTAssertEqual(m.i, -0.2, accuracy: 1e-15)
        XCTAssertEqual(m.variance, 21.76 / 96 - 1.0 / 9, accuracy: 1e-15)
        XCTAssertEqual(m.z, (-0.2 + 1.0 / 3) / (21.76 / 96 - 1.0 / 9).squareRoot(), accuracy: 1e-13)
    }

    func testUndefinedCases() {
        let weights = MoransITests.rookLattice()
        let constant = globalMoransI([Double](repeating: 2, count: 25), weights: weights)
        XCTAssertTrue(constant.i.isNaN)
        XCTAssertTrue(constant.z.isNaN)
        XCTAssertEqual(constant.expected, -1.0 / 24, accuracy: 1e-15)
        let three = globalMoransI([1, 2, 4], weights: SpatialWeights(neighbourLists: [[1], [0, 2], [1]]))
        XCTAssertFalse(three.i.isNaN)
        XCTAssertTrue(three.variance.isNaN)
    }
}

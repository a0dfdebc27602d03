import XCTest
@testable import RouteRisk

// The reference values below come from this independent numpy/scipy script (numpy 2.4, scipy 1.17), which builds
// the full (n·T) × (n·T) binary cube weight matrix and applies MODEL §6's formula to the flattened cube:
//
//   def cube_gistar(x, spatial, tau):
//       n, T = x.shape; N = n * T; W = np.zeros((N, N))
//       for j in range(n):
//           for t in range(T):
//               for k in range(n):
//                   if spatial[j][k]:
//                       for u in range(max(0, t - tau), t + 1): W[j * T + t, k * T + u] = 1
//       v = x.reshape(-1).astype(float); mean = v.mean(); s = np.sqrt((v ** 2).mean() - mean ** 2)
//       wsum = W.sum(1); s1 = (W ** 2).sum(1)
//       z = (W @ v - mean * wsum) / (s * np.sqrt((N * s1 - wsum ** 2) / (N - 1)))
//       return z, scipy.special.erfc(np.abs(z) / np.sqrt(2))
//   def bh(p, alpha):   # ranks 1..k* of the stable ascending order, k* the largest k with p_(k) <= k·alpha/n
//       order = np.argsort(p, kind="stable"); n = len(p)
//       ok = np.nonzero(p[order] <= np.arange(1, n + 1) * alpha / n)[0]
//       rej = np.zeros(n, bool)
//       if len(ok): rej[order[: ok.max() + 1]] = True
//       return rej
//   x = np.array([[0, 2, 1, 4], [1, 3, 0, 5], [0, 0, 2, 1]]); spatial = [[1, 1, 0], [1, 1, 1], [0, 1, 1]]
//   for tau in (1, 2): print(cube_gistar(x, spatial, tau))
//   rng = np.random.default_rng(7); x2 = rng.poisson(1.0, size=(6, 5)); x2[2:4, 3:] += 6
//   spatial2 = [[1 if abs(a - b) <= 1 else 0 for b in range(6)] for a in range(6)]
//   z2, p2 = cube_gistar(x2, spatial2, 1)
//   bins = np.where(bh(p2, .01), 3, np.where(bh(p2, .05), 2, np.where(bh(p2, .10), 1, 0))) * np.sign(z2)
final class SpaceTimeGiStarTests: XCTestCase {
    /// Three cells on a line (0–1–2, each its own neighbour) × four bins.
    private let lineWeights = SpatialWeights(neighbourLists: [[0, 1], [0, 1, 2], [1, 2]])
    private let tinyCube: [Double] = [0, 2, 1, 4, /* cell 1 */ 1, 3, 0, 5, /* cell 2 */ 0, 0, 2, 1]

    func testTinyCubeAgainstMaterialisedCubeWeights() {
        // By hand, τ = 1: N = 12, Σx = 19, X̄ = 19/12 = 1.583333, Σx² = 61, S² = 61/12 − X̄² = 2.576389, S = 1.605113.
        // (cell 0, bin 1): neighbours cells {0, 1} × bins {1} (no bin before the first): Σ = 0 + 1 = 1, W = 2,
        // z = (1 − 2·1.583333)/(1.605113·√((12·2 − 4)/11)) = −2.166667/(1.605113·1.348400) = −1.001078.
        // (cell 1, bin 4): cells {0, 1, 2} × bins {3, 4}: Σ = 1 + 4 + 0 + 5 + 2 + 1 = 13, W = 6,
        // z = (13 − 9.5)/(1.605113·√((72 − 36)/11)) = 3.5/(1.605113·1.809068) = 1.205334.
        // All twelve values: the script above, printed with repr.
        let expectedZ1 = [-1.0010775865195494, -0.12175712645946331, -0.12175712645946331, 1.3393283910540976,
                          -1.4912141618660497, -1.2053340568818443, -0.5165717386636476, 1.2053340568818443,
                          -1.0010775865195494, -0.8522998852162438, -0.48702850583785356, 0.6087856322973172]
        let expectedP1 = [0.31678930005576555, 0.9030913693716451, 0.9030913693716451, 0.18046379005182356,
                          0.1359052767053236, 0.22807436718659058, 0.6054551483168502, 0.22807436718659058,
                          0.31678930005576555, 0.39404766973131977, 0.6262381300685178, 0.5426665382098843]
        let cube1 = spaceTimeGiStar(counts: tinyCube, cells: 3, bins: 4, spatial: lineWeights)
        XCTAssertEqual(cube1.cellCount, 3)
        XCTAssertEqual(cube1.binCount, 4)
        for i in 0..<12 {
            XCTAssertEqual(cube1.z[i], expectedZ1[i], accuracy: 1e-12, "z at \(i)")
            XCTAssertEqual(cube1.p[i], expectedP1[i], accuracy: 1e-12, "p at \(i)")
        }
        XCTAssertEqual(cube1.z[cube1.index(cell: 1, bin: 3)], 3.5 / (61.0 / 12 - 19.0 * 19 / 144).squareRoot()
                           / (36.0 / 11).squareRoot(), accuracy: 1e-12)

        // τ = 2 (two bins back): the same script.
        let expectedZ2 = [-1.0010775865195494, -0.12175712645946331, -0.860952897772746, 1.894096375100041,
                          -1.4912141618660497, -1.2053340568818443, -2.0876998266124693, 1.4912141618660497,
                          -1.0010775865195494, -0.8522998852162438, -1.2053340568818443, 0.5165717386636476]
        let cube2 = spaceTimeGiStar(counts: tinyCube, cells: 3, bins: 4, spatial: lineWeights, timeNeighbours: 2)
        for i in 0..<12 {
            XCTAssertEqual(cube2.z[i], expectedZ2[i], accuracy: 1e-12, "z at \(i)")
        }
        // No correction passes at n·T = 12 here (smallest p = 0.037 > 1·0.10/12).
        XCTAssertEqual(cube2.giBin, [Int8](repeating: 0, count: 12))
    }

    func testBinsUseBenjaminiHochbergOverTheWholeCube() {
        // Six cells on a line (self and adjacent) × five bins, Poisson(1) counts with a burst in cells 2–3 late on:
        // the script above (numpy rng seed 7; BH at 0.01/0.05/0.10 over all 30 p-values).
        let counts: [Double] = [3, 0, 1, 2, 0, 0, 0, 1, 3, 1, 0, 1, 0, 7, 8, 1, 0, 0, 7, 7, 1, 0, 3, 1, 1,
                                1, 1, 1, 0, 1]
        let expectedZ = [-0.14369017841121584, -0.8887065877646336, -1.1146489405861506, 0.015062823521434412,
                         -0.21087952930008258, -0.5632412944810574, -1.2288900970495797, -1.4209041747135767,
                         0.6912506795903886, 2.035349223238366, -1.0752788349183824, -1.6129182523775734,
                         -1.6129182523775734, 1.4593069902463758, 4.339518155206329, -0.8192600646997199,
                         -1.4209041747135767, -1.2288900970495797, 1.4593069902463758, 3.955489999878335,
                         -0.5632412944810574, -1.2288900970495797, -1.0368760193855828, 0.3072225242623948,
                         1.2672929125823789, -0.45159770357810686, -0.8887065877646336, -0.43682188212159956,
                         -0.43682188212159956, -0.8887065877646336]
        var expectedBins = [Int8](repeating: 0, count: 30)
        expectedBins[14] = 3
        expectedBins[19] = 3
        let weights = SpatialWeights(neighbourLists: (0..<6).map { j in (Swift.max(0, j - 1)...Swift.min(5, j + 1)).map { $0 } })
        let cube = spaceTimeGiStar(counts: counts, cells: 6, bins: 5, spatial: weights)
        for i in 0..<30 {
            XCTAssertEqual(cube.z[i], expectedZ[i], accuracy: 1e-12, "z at \(i)")
        }
        XCTAssertEqual(cube.giBin, expectedBins)
        XCTAssertEqual(cube.giBin.map(Int.init), giBins(z: cube.z, p: cube.p))
    }

    func testOneBinIsTheSpatialGiStar() {
        var rng = SplitMix64(seed: 21)
        let points = (0..<300).map { _ in PlanarPoint(x: rng.uniform(0, 20_000), y: rng.uniform(0, 20_000)) }
        let values = (0..<300).map { _ in Double(rng.next() % 5) }
        let weights = SpatialWeights.distanceBand(points: points, threshold: 2500)
        let spatial = getisOrdGiStar(values, weights: weights)
        let cube = spaceTimeGiStar(counts: values, cells: 300, bins: 1, spatial: weights)
        for j in 0..<300 {
            XCTAssertEqual(cube.z[j], spatial.z[j], accuracy: 1e-12)
            XCTAssertEqual(cube.p[j], spatial.p[j], accuracy: 1e-12)
        }
        XCTAssertEqual(cube.giBin.map(Int.init), giBins(z: spatial.z, p: spatial.p))
    }

    func testFastBinsEqualGiBins() {
        var rng = SplitMix64(seed: 8)
        for round in 0..<30 {
            let n = 1 + Int(rng.next() % 3000)
            // Many exact ties (z on a coarse grid) and p-values of every size.
            let z = (0..<n).map { _ in Double(Int(rng.next() % 81) - 40) / 10 * (round % 3 == 0 ? 0.5 : 1) }
            let p = z.map(twoSidedNormalP)
            XCTAssertEqual(giBinLevels(z: z, p: p).map(Int.init), giBins(z: z, p: p), "round \(round)")
        }
        XCTAssertEqual(giBinLevels(z: [], p: []), [])
    }

    func testConstantCubeGivesZeroAndOne() {
        let cube = spaceTimeGiStar(counts: [Double](repeating: 0.1, count: 12), cells: 3, bins: 4, spatial: lineWeights)
        XCTAssertEqual(cube.z, [Double](repeating: 0, count: 12))
        XCTAssertEqual(cube.p, [Double](repeating: 1, count: 12))
        XCTAssertEqual(cube.giBin, [Int8](repeating: 0, count: 12))
        XCTAssertEqual(emergingHotSpots(cube), [.noPattern, .noPattern, .noPattern])
    }

    /// 40 cells on a line × 24 months, Poisson(1) background; planted patterns at the far ends of the line.
    private func plantedCube() -> (counts: [Double], weights: SpatialWeights, cells: Int, bins: Int) {
        let cells = 40
        let bins = 24
        var rng = SplitMix64(seed: 99)
        var counts = [Double](repeating: 0, count: cells * bins)
        for i in counts.indices {
            // Poisson(1) by inversion.
            let u = rng.uniform(0, 1)
            var k = 0
            var cdf = exp(-1.0)
            var term = cdf
            while u > cdf && k < 20 {
                k += 1
                term /= Double(k)
                cdf += term
            }
            counts[i] = Double(k)
        }
        // Cells 5–7: a burst in the final month only (z = 5.5 there, below 0 before).
        for j in 5...7 { counts[j * bins + bins - 1] = 80 }
        // Cells 20–22: busy every month, rising (the first month, with no month before it in its window, has
        // z = 2.7, bin 1; the other 23 of 24 are bin 3, so ≥ 90 % hot).
        for j in 20...22 { for t in 0..<bins { counts[j * bins + t] = 30 + Double(t) } }
        // Cells 32–34: busy every month, falling (all 24 months bin 3).
        for j in 32...34 { for t in 0..<bins { counts[j * bins + t] = 53 - Double(t) } }
        let weights = SpatialWeights(neighbourLists: (0..<cells).map { j in
            (Swift.max(0, j - 1)...Swift.min(cells - 1, j + 1)).map { $0 }
        })
        return (counts, weights, cells, bins)
    }

    func testPlantedPatternsAreFound() {
        let planted = plantedCube()
        let cube = spaceTimeGiStar(counts: planted.counts, cells: planted.cells, bins: planted.bins,
                                   spatial: planted.weights)
        let categories = emergingHotSpots(cube)
        XCTAssertEqual(categories[6], .newHotSpot)
        XCTAssertEqual(categories[21], .intensifyingHotSpot)
        XCTAssertEqual(categories[33], .diminishingHotSpot)
        XCTAssertEqual(categories[13], .noPattern)
        // The one-call form gives the same.
        XCTAssertEqual(emergingHotSpots(counts: planted.counts, cells: planted.cells, bins: planted.bins,
                                        spatial: planted.weights), categories)
        // Every cell's category is the public classifier's on its bins and z-series.
        for j in 0..<planted.cells {
            let row = (0..<planted.bins).map { cube.index(cell: j, bin: $0) }
            let expected = EmergingCategory.classify(hot: row.map { cube.giBin[$0] >= 2 },
                                                     cold: row.map { cube.giBin[$0] <= -2 },
                                                     series: row.map { cube.z[$0] })
            XCTAssertEqual(categories[j], expected, "cell \(j)")
        }
    }

    func testRepeatable() {
        let planted = plantedCube()
        let a = spaceTimeGiStar(counts: planted.counts, cells: planted.cells, bins: planted.bins, spatial: planted.weights)
        let b = spaceTimeGiStar(counts: planted.counts, cells: planted.cells, bins: planted.bins, spatial: planted.weights)
        XCTAssertEqual(a, b)
    }
}

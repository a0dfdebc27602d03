import XCTest
@testable import RouteRisk

final class BandwidthTests: XCTestCase {
    func testSilvermanOddCountByHand() {
        // x = 0, 1, 2, 3, 14 on a line: x̄ = 20/5 = 4; distances 4, 3, 2, 1, 10 → median 3.
        // SD = √((16 + 9 + 4 + 1 + 100)/5) = √26 = 5.0990; √(1/ln 2)·3 = 1.2011225·3 = 3.6033675 (smaller).
        // h = 0.9 · 3.6033675 · 5^(−0.2) = 0.9 · 3.6033675 · 0.7247797 = 2.3504826.
        let points = [0.0, 1, 2, 3, 14].map { PlanarPoint(x: $0, y: 0) }
        XCTAssertEqual(silvermanBandwidth(points), 2.350482557785164, accuracy: 1e-12)
    }

    func testSilvermanEvenCountTakesTheMeanOfTheTwoMiddleDistances() {
        // x = 0, 2, 4, 14: x̄ = 5; distances 5, 3, 1, 9 → sorted 1, 3, 5, 9 → median (3 + 5)/2 = 4.
        // SD = √((25 + 9 + 1 + 81)/4) = √29 = 5.385; √(1/ln 2)·4 = 4.8044899 (smaller).
        // h = 0.9 · 4.8044899 · 4^(−0.2) = 0.9 · 4.8044899 · 0.7578583 = 3.2770100.
        let points = [0.0, 2, 4, 14].map { PlanarPoint(x: 0, y: $0) }
        XCTAssertEqual(silvermanBandwidth(points), 3.2770100401280935, accuracy: 1e-12)
    }

    func testSilvermanUsesStandardDistanceWhenItIsSmaller() {
        // Square of side 2: x̄ = (1, 1); every distance √2, so SD = √2 = Dm and min(√2, 1.2011·√2) = √2.
        // h = 0.9 · √2 · 4^(−0.2) = 0.9 · 1.4142136 · 0.7578583 = 0.9645961.
        let points = [(0.0, 0.0), (2, 0), (0, 2), (2, 2)].map { PlanarPoint(x: $0.0, y: $0.1) }
        XCTAssertEqual(silvermanBandwidth(points), 0.9 * 2.0.squareRoot() * pow(4, -0.2), accuracy: 1e-12)
    }

    func testCrossValidationScoreOnThreePointsByHand() {
        // (0,0), (3,0), (0,4), h = 5, A = 100: distances 3, 4, 5.
        // K(3) = 3/(25π)·(1 − 9/25)² = 3/(25π)·0.4096 = 1.2288/(25π); K(4) = 3/(25π)·(9/25)² = 0.3888/(25π); K(5) = 0.
        // Inner sums: point 0: (1.2288 + 0.3888)/(25π); point 1: 1.2288/(25π); point 2: 0.3888/(25π).
        // CV = (1/3) Σ log(0.95 · ½ · sum_i + 0.05/100) = −5.091363512004082.
        let sample = [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 3, y: 0), PlanarPoint(x: 0, y: 4)]
        XCTAssertEqual(likelihoodCrossValidationScore(sample: sample, bandwidth: 5, studyArea: 100),
                       -5.091363512004082, accuracy: 1e-12)
        // With h = 1 no pair is close: CV = log(0.05/100) = log(0.0005) = −7.600902459542082.
        XCTAssertEqual(likelihoodCrossValidationScore(sample: sample, bandwidth: 1, studyArea: 100),
                       log(0.0005), accuracy: 1e-12)
    }

    func testCandidatesKeepThoseAtLeastHalfTheCellSize() {
        XCTAssertEqual(likelihoodCrossValidationCandidates(cellSize: 5000),
                       [3000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 50_000, 75_000, 100_000])
        XCTAssertEqual(likelihoodCrossValidationCandidates(cellSize: 2000).first, 1000)
        XCTAssertEqual(likelihoodCrossValidationCandidates(cellSize: 2000).count, 13)
        XCTAssertEqual(likelihoodCrossValidationCandidates(cellSize: 300_000), [])
    }

    /// Two tight clusters 300 km apart, each of 60 points spread over about 1 km.
    private func twoClusters() -> [PlanarPoint] {
        var rng = SplitMix64(seed: 11)
        var points: [PlanarPoint] = []
        for centre in [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 300_000, y: 50_000)] {
            for _ in 0..<60 {
                points.append(PlanarPoint(x: centre.x + rng.uniform(-500, 500), y: centre.y + rng.uniform(-500, 500)))
            }
        }
        return points
    }

    func testCrossValidationPicksAClusterScaleBandwidth() {
        let points = twoClusters()
        let area = 1e11  // 100 000 km²
        let h = likelihoodCrossValidationBandwidth(sample: points, totalCount: points.count, cellSize: 1000,
                                                   studyArea: area)
        // Clusters ~1 km across: a bandwidth of a few kilometres, not the 100 km that spans the scene.
        XCTAssertGreaterThanOrEqual(h, 1000)
        XCTAssertLessThanOrEqual(h, 5000)
        // The global rule over-smooths the same data (SD ≈ 152 km → h ≈ 0.9·152 km·120^(−0.2) ≈ 53 km).
        XCTAssertGreaterThan(silvermanBandwidth(points), 40_000)
        // The winner has the largest CV of the candidates.
        let best = likelihoodCrossValidationScore(sample: points, bandwidth: h, studyArea: area)
        for c in likelihoodCrossValidationCandidates(cellSize: 1000) {
            XCTAssertLessThanOrEqual(likelihoodCrossValidationScore(sample: points, bandwidth: c, studyArea: area), best)
        }
    }

    func testThinnedSampleIsScaledByTheSixthRootOfTheSamplingFraction() {
        // m/N = 1/64 → (1/64)^(1/6) = 1/2.
        let points = twoClusters()
        let full = likelihoodCrossValidationBandwidth(sample: points, totalCount: points.count, cellSize: 1000,
                                                      studyArea: 1e11)
        let scaled = likelihoodCrossValidationBandwidth(sample: points, totalCount: 64 * points.count, cellSize: 1000,
                                                        studyArea: 1e11)
        XCTAssertEqual(scaled, full / 2, accuracy: 1e-9)
    }

    func testCrossValidationTiesGoToTheLargerBandwidth() {
        // Two points 200 km apart: no candidate reaches the other, every CV = log(0.05/A): all tie, 100 km wins.
        let sample = [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 200_000, y: 0)]
        XCTAssertEqual(likelihoodCrossValidationBandwidth(sample: sample, totalCount: 2, cellSize: 1000, studyArea: 1e10),
                       100_000)
    }

    func testThinningTakesEveryCeilNOverMthStartingWithTheFirst() {
        // N = 12, M = 5: ⌈12/5⌉ = 3 → indices 0, 3, 6, 9.
        XCTAssertEqual(thinnedSample(Array(0..<12), limit: 5), [0, 3, 6, 9])
        // N = 10, M = 5: step 2 → 0, 2, 4, 6, 8.
        XCTAssertEqual(thinnedSample(Array(0..<10), limit: 5), [0, 2, 4, 6, 8])
        // N = 11, M = 5: step 3 → 0, 3, 6, 9.
        XCTAssertEqual(thinnedSample(Array(0..<11), limit: 5), [0, 3, 6, 9])
        // N ≤ M: unchanged.
        XCTAssertEqual(thinnedSample(Array(0..<5), limit: 5), [0, 1, 2, 3, 4])
        // Default M = 5000, N = 10 001: step 3 → ⌈10 001/3⌉ = 3334 elements, the last index 9999.
        let big = thinnedSample(Array(0..<10_001))
        XCTAssertEqual(big.count, 3334)
        XCTAssertEqual(big.last, 9999)
    }

    func testChooseBandwidthFallsBackToTwoCellSizes() {
        let few = (0..<9).map { PlanarPoint(x: Double($0) * 100, y: 0) }
        for method in [BandwidthMethod.automatic, .silverman] {
            let choice = chooseBandwidth(method: method, points: few, sampleSortedForCV: few, cellSize: 5000,
                                         studyArea: 1e10)
            XCTAssertEqual(choice.bandwidth, 10_000)
            XCTAssertEqual(choice.method, "fallback_2s")
            XCTAssertNotNil(choice.note)
        }
        // Silverman on ten events at one point gives h = 0.
        let stacked = Array(repeating: PlanarPoint(x: 5, y: 5), count: 10)
        let zero = chooseBandwidth(method: .silverman, points: stacked, sampleSortedForCV: stacked, cellSize: 5000,
                                   studyArea: 1e10)
        XCTAssertEqual(zero.bandwidth, 10_000)
        XCTAssertEqual(zero.method, "fallback_2s")
    }

    func testChooseBandwidthFixedIsUsedAsGiven() {
        let few = [PlanarPoint(x: 0, y: 0)]
        let choice = chooseBandwidth(method: .fixed(12_000), points: few, sampleSortedForCV: few, cellSize: 5000,
                                     studyArea: 1e10)
        XCTAssertEqual(choice, BandwidthChoice(bandwidth: 12_000, method: "fixed"))
    }

    func testChooseBandwidthAutomaticReportsCandidatesAndSample() {
        let points = twoClusters()
        let choice = chooseBandwidth(method: .automatic, points: points, sampleSortedForCV: points, cellSize: 1000,
                                     studyArea: 1e11)
        XCTAssertEqual(choice.method, "likelihood_cv")
        XCTAssertEqual(choice.bandwidth, likelihoodCrossValidationBandwidth(
            sample: points, totalCount: points.count, cellSize: 1000, studyArea: 1e11))
        XCTAssertEqual(choice.candidatesTried?.count, 13)
        XCTAssertEqual(choice.sampleSize, 120)
        XCTAssertNil(choice.note)
        let silverman = chooseBandwidth(method: .silverman, points: points, sampleSortedForCV: points, cellSize: 1000,
                                        studyArea: 1e11)
        XCTAssertEqual(silverman.method, "silverman")
        XCTAssertEqual(silverman.bandwidth, silvermanBandwidth(points))
    }
}

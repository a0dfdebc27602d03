import XCTest
@testable import RouteRisk

final class IncrementalSpatialAutocorrelationTests: XCTestCase {
    /// Hex-cell centres (s = 1 km) of a columns × rows block, column-major.
    private func hexBlock(columns: Int, rows: Int) -> [PlanarPoint] {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        var centres: [PlanarPoint] = []
        for q in 0..<columns {
            for r in 0..<rows {
                centres.append(grid.center(of: HexCoordinate(q: q, r: r - q / 2)))
            }
        }
        return centres
    }

    func testPeakRuleOfArcGIS() {
        // A peak: z above 1.65, after a rise, with a lower successor.
        XCTAssertEqual(firstPeakIndex([1, 2, 3, 2], level: 1.65), 2)
        XCTAssertEqual(firstPeakIndex([2, 3, 2.5, 4, 1], level: 1.65), 1)
        // No rise before index 0, so a falling start is no peak; the later one is.
        XCTAssertEqual(firstPeakIndex([5, 4, 6, 5], level: 1.65), 2)
        XCTAssertNil(firstPeakIndex([5, 4, 3, 2], level: 1.65))
        // Below the level: no peak.
        XCTAssertNil(firstPeakIndex([1, 1.6, 1.5], level: 1.65))
        // A plateau then a fall: the last value of the plateau.
        XCTAssertEqual(firstPeakIndex([1, 2, 2, 1], level: 1.65), 2)
        // Rising to the end: the last distance is never a peak.
        XCTAssertNil(firstPeakIndex([1, 2, 3, 4], level: 1.65))
        XCTAssertNil(firstPeakIndex([3], level: 1.65))
    }

    func testBlobsGiveAClearFirstPeak() {
        // 900 cells; value 10 within 2.5 km of the points of a 12 km lattice, else 0: clusters about 5 km across.
        let centres = hexBlock(columns: 30, rows: 30)
        let values = centres.map { p -> Double in
            let bx = (p.x / 12_000).rounded() * 12_000
            let by = (p.y / 12_000).rounded() * 12_000
            return hypot(p.x - bx, p.y - by) <= 2500 ? 10 : 0
        }
        let choice = incrementalSpatialAutocorrelationBand(centres: centres, values: values, cellSize: 1000)
        // Regular grid: every nearest neighbour at s, so start = increment = 1 km, ten distances 1…10 km (all below
        // one standard distance, about 12 km).
        XCTAssertEqual(choice.distances.count, 10)
        for (k, d) in choice.distances.enumerated() {
            XCTAssertEqual(d, Double(k + 1) * 1000, accuracy: 1e-6)
        }
        XCTAssertEqual(choice.rule, "first_peak")
        XCTAssertNil(choice.neighbours)
        // z rises from 1 to 2 km and falls after: the first peak is 2 km.
        XCTAssertGreaterThan(choice.zScores[1], choice.zScores[0])
        XCTAssertGreaterThan(choice.zScores[1], choice.zScores[2])
        XCTAssertEqual(choice.band, choice.distances[1], accuracy: 1e-9)
        XCTAssertTrue(choice.reason.hasPrefix("first peak"))

        // Each distance's statistic is global Moran's I with the same weights built explicitly (no cell lacks a
        // neighbour here), row-standardised as ArcGIS runs it, and binary on request.
        for k in [0, 1, 4] {
            let weights = SpatialWeights.distanceBand(points: centres, threshold: choice.distances[k], includeSelf: false)
            let row = globalMoransI(values, weights: weights, rowStandardized: true)
            XCTAssertEqual(choice.zScores[k], row.z, accuracy: 1e-9 * Swift.max(1, abs(row.z)))
            XCTAssertEqual(choice.moransI[k], row.i, accuracy: 1e-12)
        }
        let binary = incrementalMoransI(centres: centres, values: values, distances: choice.distances,
                                        rowStandardized: false)
        let weights = SpatialWeights.distanceBand(points: centres, threshold: 3000, includeSelf: false)
        let expected = globalMoransI(values, weights: weights)
        XCTAssertEqual(binary[2].z, expected.z, accuracy: 1e-9 * abs(expected.z))
        XCTAssertEqual(binary[2].i, expected.i, accuracy: 1e-12)
        XCTAssertEqual(binary[2].cells, 900)
    }

    func testNoPeakFallsBackToNearestNeighbours() {
        // A linear gradient: Moran's z never falls with the distance (the 20 × 20 block's standard distance, 7.63 km,
        // caps the ten distances at 1, 1.66, …, 6.97 km; the first two hold the same neighbours), so there is no peak.
        let centres = hexBlock(columns: 20, rows: 20)
        let values = centres.map { $0.x / 1000 }
        let choice = incrementalSpatialAutocorrelationBand(centres: centres, values: values, cellSize: 1000)
        XCTAssertEqual(zip(choice.zScores.dropFirst(), choice.zScores).filter { $0 < $1 }.count, 0)
        XCTAssertEqual(choice.rule, "knn_fallback")
        // k = 5 % of 400 = 20 (within 3…30); the band is the mean distance to each cell's 20th nearest neighbour.
        XCTAssertEqual(choice.neighbours, 20)
        var total = 0.0
        for (i, p) in centres.enumerated() {
            var squares = centres.map { $0.squaredDistance(to: p) }
            squares.remove(at: i)
            squares.sort()
            total += squares[19].squareRoot()
        }
        XCTAssertEqual(choice.band, total / 400, accuracy: 1e-9)
        XCTAssertTrue(choice.reason.contains("20th nearest neighbour"))
    }

    func testFallbackCappedAtOneStandardDistance() {
        // Two tight triangles 100 km apart (six cells): k = max(3, 5 % of 6) = 3, and each cell's 3rd nearest
        // neighbour is in the other triangle, ~100 km away, more than one standard distance (~50 km).
        let centres = [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 1000, y: 0), PlanarPoint(x: 500, y: 866),
                       PlanarPoint(x: 100_000, y: 0), PlanarPoint(x: 101_000, y: 0), PlanarPoint(x: 100_500, y: 866)]
        let choice = incrementalSpatialAutocorrelationBand(centres: centres, values: [1, 2, 3, 1, 2, 3], cellSize: 1000)
        XCTAssertEqual(choice.rule, "standard_distance")
        XCTAssertEqual(choice.neighbours, 3)
        XCTAssertEqual(choice.band, standardDistanceOf(centres), accuracy: 1e-9)
        // By hand: x̄ = 50,500, Σ(x − x̄)²/6 = 2,500,166,666.7; ȳ = 288.67, Σ(y − ȳ)²/6 = 166,659.6;
        // √(2,500,333,326.2) = 50,003.33.
        XCTAssertEqual(choice.band, 50_003.33, accuracy: 0.01)
    }

    func testDistancesAreCappedByTheStandardDistance() {
        // A 6 × 6 block: ten steps of 1 km would pass one standard distance (~2.9 km), so the ten distances run
        // from the start (1 km) towards it in equal steps, the standard distance itself not included.
        let centres = hexBlock(columns: 6, rows: 6)
        let sd = standardDistanceOf(centres)
        XCTAssertLessThan(sd, 10_000)
        let choice = incrementalSpatialAutocorrelationBand(centres: centres, values: centres.map { $0.y }, cellSize: 1000)
        let step = (sd - 1000) / 10
        for (k, d) in choice.distances.enumerated() {
            XCTAssertEqual(d, 1000 + Double(k) * step, accuracy: 1e-6)
        }
        XCTAssertLessThan(choice.distances.last!, sd)
    }

    func testCellsWithoutNeighboursAreLeftOutAtThatDistance() {
        // A 10 × 10 block and one cell 40 km away: its nearest-neighbour distance is a locational outlier
        // (≥ 3 sd above the mean), so the start stays 1 km; at every distance tried it has no neighbour and is left
        // out of the statistic, which equals Moran's I of the block alone.
        var centres = hexBlock(columns: 10, rows: 10)
        centres.append(PlanarPoint(x: -40_000, y: 0))
        var rng = SplitMix64(seed: 4)
        let values = centres.map { _ in rng.uniform(0, 5) }
        let choice = incrementalSpatialAutocorrelationBand(centres: centres, values: values, cellSize: 1000)
        XCTAssertEqual(choice.distances[0], 1000, accuracy: 1e-6)
        let stats = incrementalMoransI(centres: centres, values: values, distances: choice.distances,
                                       rowStandardized: true)
        let block = Array(centres.prefix(100))
        let blockValues = Array(values.prefix(100))
        for k in [0, 3] {
            XCTAssertEqual(stats[k].cells, 100)
            let weights = SpatialWeights.distanceBand(points: block, threshold: choice.distances[k], includeSelf: false)
            let expected = globalMoransI(blockValues, weights: weights, rowStandardized: true)
            XCTAssertEqual(stats[k].z, expected.z, accuracy: 1e-9 * Swift.max(1, abs(expected.z)))
            XCTAssertEqual(stats[k].i, expected.i, accuracy: 1e-12)
        }
    }

    func testDegenerateInputs() {
        let one = incrementalSpatialAutocorrelationBand(centres: [PlanarPoint(x: 0, y: 0)], values: [3], cellSize: 5000)
        XCTAssertEqual(one.rule, "default")
        XCTAssertEqual(one.band, 10_000)
        // All values equal: Moran's I is undefined at every distance (z reported as 0), no peak, fallback.
        let centres = hexBlock(columns: 8, rows: 8)
        let flat = incrementalSpatialAutocorrelationBand(centres: centres, values: [Double](repeating: 2, count: 64),
                                                         cellSize: 1000)
        XCTAssertEqual(flat.zScores, [Double](repeating: 0, count: flat.distances.count))
        XCTAssertEqual(flat.rule, "knn_fallback")
        XCTAssertEqual(flat.neighbours, 3)
        // Always encodable (no NaN) and round-trips.
        let data = try? JSONEncoder().encode(flat)
        XCTAssertNotNil(data)
        XCTAssertEqual(data.flatMap { try? JSONDecoder().decode(BandChoice.self, from: $0) }, flat)
    }
}

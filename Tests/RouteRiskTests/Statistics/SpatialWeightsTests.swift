import XCTest
@testable import RouteRisk

final class SpatialWeightsTests: XCTestCase {
    /// PySAL esda's test points.
    static let esdaPoints = [(10.0, 10.0), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
        .map { PlanarPoint(x: $0.0, y: $0.1) }

    func testDistanceBandOnEsdaPointsByHand() {
        // Pairs within 15: 0–1 (10), 0–3 (√125 = 11.18), 1–3 (11.18), 1–4 (√200 = 14.14), 2–4 (14.14),
        // 3–4 (exactly 15: kept, ≤), 4–5 (10). Every other pair is ≥ 18.03 (3–5) apart.
        let w = SpatialWeights.distanceBand(points: Self.esdaPoints, threshold: 15)
        let expected = [[0, 1, 3], [0, 1, 3, 4], [2, 4], [0, 1, 3, 4], [1, 2, 3, 4, 5], [4, 5]]
        XCTAssertEqual(w.count, 6)
        for j in 0..<6 {
            XCTAssertEqual(Array(w.neighbours(of: j)), expected[j])
            XCTAssertEqual(w.cardinality(of: j), expected[j].count)
        }
        let noSelf = SpatialWeights.distanceBand(points: Self.esdaPoints, threshold: 15, includeSelf: false)
        XCTAssertEqual(Array(noSelf.neighbours(of: 2)), [4])
        XCTAssertEqual(Array(noSelf.neighbours(of: 4)), [1, 2, 3, 5])
    }

    func testCompressedRowsFromLists() {
        let w = SpatialWeights(neighbourLists: [[2, 0], [], [1, 2, 0]])
        XCTAssertEqual(w.offsets, [0, 2, 2, 5])
        XCTAssertEqual(w.neighbours, [0, 2, 0, 1, 2])
        XCTAssertEqual(Array(w.neighbours(of: 1)), [])
    }

    func testDistanceBandMatchesABruteForceScan() {
        var rng = SplitMix64(seed: 5)
        let points = (0..<400).map { _ in PlanarPoint(x: rng.uniform(0, 50_000), y: rng.uniform(0, 50_000)) }
        let threshold = 3000.0
        let w = SpatialWeights.distanceBand(points: points, threshold: threshold)
        for j in points.indices {
            let expected = points.indices.filter { points[$0].distance(to: points[j]) <= threshold * (1 + 1e-9) }
            XCTAssertEqual(Array(w.neighbours(of: j)), expected)
        }
    }

    func testHexCentresAtTwoCellSizesHaveNineteenNeighbours() throws {
        // The MODEL §6 default band 2·s on hex centres: 19 in the interior, the 1e-9 slack absorbing rounding.
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 123_456.7, envelopeMinY: 7_654_321)
        var cells: [HexCoordinate] = []
        for q in -6...6 {
            for r in -6...6 { cells.append(HexCoordinate(q: q, r: r)) }
        }
        let w = SpatialWeights.distanceBand(points: cells.map { grid.center(of: $0) }, threshold: 10_000)
        let centre = try XCTUnwrap(cells.firstIndex(of: HexCoordinate(q: 0, r: 0)))
        XCTAssertEqual(w.cardinality(of: centre), 19)
        let corner = try XCTUnwrap(cells.firstIndex(of: HexCoordinate(q: -6, r: -6)))
        XCTAssertLessThan(w.cardinality(of: corner), 19)
    }
}

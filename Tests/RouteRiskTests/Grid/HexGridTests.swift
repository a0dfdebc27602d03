import XCTest
@testable import RouteRisk

final class HexGridTests: XCTestCase {
    // s = 1000 m: R = 1000/√3 = 577.350269189625764 m, 1.5·R = 500√3 = 866.025403784438647 m, √3·R = 1000 m.
    let radius = 577.350269189625764
    let columnStep = 866.025403784438647

    func testOriginSnapsDownToMultiplesOfCellSize() {
        // x0 = ⌊1234/1000⌋·1000 = 1000; y0 = ⌊−567/1000⌋·1000 = −1·1000 = −1000.
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 1234, envelopeMinY: -567)
        XCTAssertEqual(grid.originX, 1000)
        XCTAssertEqual(grid.originY, -1000)
        XCTAssertEqual(grid.circumradius, radius, accuracy: 1e-9)
    }

    func testCellAreaIsThreeRootThreeOverTwoRSquared() {
        // (3√3/2)·R² = (3√3/2)·(10⁶/3) = (√3/2)·10⁶ = 866 025.403784438647 m².
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        XCTAssertEqual(grid.cellArea, 866_025.403784438647, accuracy: 1e-6)
    }

    func testCentresWorkedByHand() {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 1234, envelopeMinY: -567)  // x0 = 1000, y0 = −1000
        let cases: [(HexCoordinate, Double, Double)] = [
            // x = 1000 + 866.0254·q, y = −1000 + 1000·(r + q/2)
            (HexCoordinate(q: 0, r: 0), 1000, -1000),
            (HexCoordinate(q: 1, r: 0), 1000 + columnStep, -500),  // y = −1000 + 1000·0.5
            (HexCoordinate(q: 0, r: 1), 1000, 0),
            (HexCoordinate(q: 2, r: -1), 1000 + 2 * columnStep, -1000),  // r + q/2 = −1 + 1 = 0
            (HexCoordinate(q: -1, r: 3), 1000 - columnStep, 1500),  // r + q/2 = 3 − 0.5 = 2.5
        ]
        for (cell, x, y) in cases {
            let c = grid.center(of: cell)
            XCTAssertEqual(c.x, x, accuracy: 1e-9, "\(cell)")
            XCTAssertEqual(c.y, y, accuracy: 1e-9, "\(cell)")
        }
    }

    func testAdjacentCentresAreOneCellSizeApart() {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: -12_345, envelopeMinY: 67_890)
        let centre = grid.center(of: HexCoordinate(q: 3, r: -2))
        for (dq, dr) in [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)] {
            let other = grid.center(of: HexCoordinate(q: 3 + dq, r: -2 + dr))
            XCTAssertEqual(centre.distance(to: other), 5000, accuracy: 1e-8)
        }
    }

    func testCellOfACentreIsThatCell() {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: -1_234_567, envelopeMinY: 2_345_678)
        for q in -4...4 {
            for r in -4...4 {
                let cell = HexCoordinate(q: q, r: r)
                XCTAssertEqual(grid.cell(containing: grid.center(of: cell)), cell)
            }
        }
    }

    func testPointsJustEitherSideOfAnEdge() {
        // The edge between (0,0) at (0,0) and (1,0) at (866.03, 500) has its midpoint at (433.01, 250).
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        let mid = PlanarPoint(x: columnStep / 2, y: 250)
        // Unit vector from (0,0) towards (1,0): (0.8660254, 0.5).
        let ux = columnStep / 1000
        let uy = 0.5
        let e = 1e-3
        XCTAssertEqual(grid.cell(containing: PlanarPoint(x: mid.x + e * ux, y: mid.y + e * uy)),
                       HexCoordinate(q: 1, r: 0))
        XCTAssertEqual(grid.cell(containing: PlanarPoint(x: mid.x - e * ux, y: mid.y - e * uy)),
                       HexCoordinate(q: 0, r: 0))
    }

    func testPointsNearAVertexGoToTheNearestOfItsThreeCells() {
        // The east vertex of (0,0) is (R, 0); it is shared with (1,0) at (866.03, 500) and (1,−1) at (866.03, −500):
        // |(866.03 − 577.35, ±500)| = √(288.68² + 500²) = √333 333.3 = 577.35 = R.
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        let vertex = PlanarPoint(x: radius, y: 0)
        let e = 1e-3
        for cell in [HexCoordinate(q: 0, r: 0), HexCoordinate(q: 1, r: 0), HexCoordinate(q: 1, r: -1)] {
            let c = grid.center(of: cell)
            let d = c.distance(to: vertex)
            let p = PlanarPoint(x: vertex.x + e * (c.x - vertex.x) / d, y: vertex.y + e * (c.y - vertex.y) / d)
            XCTAssertEqual(grid.cell(containing: p), cell)
        }
    }

    func testRoundHalfEvenIsCsRint() {
        // Ties, values next to ties, the ends of the fast range and beyond it, signed zeros' neighbours.
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                1e15 + 0.5, -1e15 - 0.5, 2_251_799_813_685_247.5, -2_251_799_813_685_247.5,
                                2_251_799_813_685_248, 4.5e15 + 1, -9e18, .infinity, -.infinity, 1e300]
        var rng = SplitMix64(seed: 5)
        for _ in 0..<100_000 { values.append(rng.uniform(-1e6, 1e6)) }
        for _ in 0..<10_000 { values.append(Double(Int(rng.uniform(-1e6, 1e6))) + 0.5) }
        for x in values {
            // Equal as numbers (+0 and −0 alike): the cell's integer coordinates.
            XCTAssertEqual(HexGrid.roundHalfEven(x), rint(x), "\(x)")
        }
        XCTAssertTrue(HexGrid.roundHalfEven(.nan).isNaN)
    }

    func testCubeRoundingTiesGoHalfToEvenThenTheStatedFixUp() {
        // (q, r, s) = (0.5, 0, −0.5): q → 0 (half to even, not 1), r → 0, s → −0; errors (0.5, 0, 0.5):
        // dq > ds fails, dr > ds fails, so s is recomputed: (0, 0). Rounding half away from zero would give (1, 0).
        XCTAssertEqual(HexGrid.cubeRound(q: 0.5, r: 0), HexCoordinate(q: 0, r: 0))
        // (1.5, 0, −1.5): q → 2, s → −2; errors (0.5, 0, 0.5) → s recomputed: (2, 0).
        XCTAssertEqual(HexGrid.cubeRound(q: 1.5, r: 0), HexCoordinate(q: 2, r: 0))
        // (2.5, 0, −2.5): q → 2, s → −2 → (2, 0).
        XCTAssertEqual(HexGrid.cubeRound(q: 2.5, r: 0), HexCoordinate(q: 2, r: 0))
        // (0, 0.5, −0.5): r → 0, s → −0; errors (0, 0.5, 0.5) → s recomputed: (0, 0).
        XCTAssertEqual(HexGrid.cubeRound(q: 0, r: 0.5), HexCoordinate(q: 0, r: 0))
        // A vertex, (0.5, 0.5, −1): rounded (0, 0, −1), errors (0.5, 0.5, 0): dq > dr fails (strict),
        // dr > ds holds, so r is recomputed: r = −0 − (−1) = 1 → (0, 1). (A `>=` rule would fix q → (1, 0).)
        XCTAssertEqual(HexGrid.cubeRound(q: 0.5, r: 0.5), HexCoordinate(q: 0, r: 1))
        // (0.5, 0.25, −0.75): rounded (0, 0, −1), errors (0.5, 0.25, 0.25): q recomputed = −0 + 1 → (1, 0).
        XCTAssertEqual(HexGrid.cubeRound(q: 0.5, r: 0.25), HexCoordinate(q: 1, r: 0))
    }

    func testExactMidpointsBetweenCentresFollowTheTieRule() {
        // With the origin at (0, 0) these midpoints have exact fractional coordinates.
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        func midpoint(_ a: HexCoordinate, _ b: HexCoordinate) -> PlanarPoint {
            let ca = grid.center(of: a)
            let cb = grid.center(of: b)
            return PlanarPoint(x: (ca.x + cb.x) / 2, y: (ca.y + cb.y) / 2)
        }
        // Fractional (0, 0.5) → (0, 0); (0, 1.5) → r rounds to 2, s to −2 → (0, 2).
        XCTAssertEqual(grid.cell(containing: midpoint(HexCoordinate(q: 0, r: 0), HexCoordinate(q: 0, r: 1))),
                       HexCoordinate(q: 0, r: 0))
        XCTAssertEqual(grid.cell(containing: midpoint(HexCoordinate(q: 0, r: 1), HexCoordinate(q: 0, r: 2))),
                       HexCoordinate(q: 0, r: 2))
        // Fractional (0.5, 0) → (0, 0).
        XCTAssertEqual(grid.cell(containing: midpoint(HexCoordinate(q: 0, r: 0), HexCoordinate(q: 1, r: 0))),
                       HexCoordinate(q: 0, r: 0))
    }

    func testCellContainingIsTheNearestCentreOnRandomPoints() {
        // Independent check of the definition: the chosen centre is no farther than any of its six neighbours'.
        var rng = SplitMix64(seed: 42)
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 123_456, envelopeMinY: -654_321)
        for _ in 0..<2000 {
            let p = PlanarPoint(x: rng.uniform(100_000, 200_000), y: rng.uniform(-700_000, -600_000))
            let cell = grid.cell(containing: p)
            let best = grid.center(of: cell).distance(to: p)
            XCTAssertLessThanOrEqual(best, grid.circumradius * (1 + 1e-12))
            for (dq, dr) in [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)] {
                let other = grid.center(of: HexCoordinate(q: cell.q + dq, r: cell.r + dr)).distance(to: p)
                XCTAssertLessThanOrEqual(best, other + 1e-9)
            }
        }
    }

    func testVerticesEastFirstCounterClockwise() {
        // Centre (0,0); vertices R·(cos 60°k, sin 60°k): (R,0), (R/2, 500), (−R/2, 500), (−R,0), (−R/2,−500), (R/2,−500),
        // since R·sin 60° = (1000/√3)·(√3/2) = 500.
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        let expected: [(Double, Double)] = [
            (radius, 0), (radius / 2, 500), (-radius / 2, 500),
            (-radius, 0), (-radius / 2, -500), (radius / 2, -500),
        ]
        let vertices = grid.vertices(of: HexCoordinate(q: 0, r: 0))
        XCTAssertEqual(vertices.count, 6)
        for (v, (x, y)) in zip(vertices, expected) {
            XCTAssertEqual(v.x, x, accuracy: 1e-9)
            XCTAssertEqual(v.y, y, accuracy: 1e-9)
        }
        // Cell (1, 0) is centred at (866.03, 500): its west vertex (index 3) is (866.03 − 577.35, 500) = (288.68, 500)
        // = (R/2, 500), the vertex it shares with (0, 0) (index 1 there).
        let west = grid.vertices(of: HexCoordinate(q: 1, r: 0))[3]
        XCTAssertEqual(west.x, radius / 2, accuracy: 1e-9)
        XCTAssertEqual(west.y, 500, accuracy: 1e-9)
    }

    func testOffsetsWithinTwoCellSizesAreNineteen() {
        // |offset| = s·√(dq² + dq·dr + dr²): ring 1 has norm 1 (6 cells), ring 2 has norms 3 (6) and 4 (6), ring 3 ≥ 7.
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        XCTAssertEqual(grid.offsets(withinDistance: 10_000).count, 19)
        XCTAssertEqual(grid.offsets(withinDistance: 5000).count, 7)
        XCTAssertEqual(grid.offsets(withinDistance: 5000 * 3.0.squareRoot()).count, 13)  // 1 + 6 + the 6 at s√3
        XCTAssertEqual(grid.offsets(withinDistance: 0), [HexCoordinate(q: 0, r: 0)])
        XCTAssertEqual(grid.offsets(withinDistance: 4999).count, 1)
    }

    func testOffsetsOfOneCellSizeAreTheSixNeighboursSorted() {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        let expected = [(-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0)].map { HexCoordinate(q: $0.0, r: $0.1) }
        XCTAssertEqual(grid.offsets(withinDistance: 1000), expected)
    }

    func testCellsWithinDistanceWorkedByHand() {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        // From the centre of (0,0): the six neighbours sit at exactly s = 1000 m (up to rounding of the centres, as
        // the comparison is a plain ≤ d), so d = s + 1 mm takes the cell and its ring, sorted by (q, r); d = s − 1 mm
        // only the cell itself.
        let ring = [(-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0)].map { HexCoordinate(q: $0.0, r: $0.1) }
        XCTAssertEqual(grid.cells(withinDistance: 1000.001, of: PlanarPoint(x: 0, y: 0)), ring)
        XCTAssertEqual(grid.cells(withinDistance: 999.999, of: PlanarPoint(x: 0, y: 0)), [HexCoordinate(q: 0, r: 0)])
        // From the east vertex (R, 0): its three cells are at exactly R; none of the others is within 1.01·R
        // (the next centres, e.g. (0,1) at (0, 1000), are √(R² + 1000²) = 1154.7 m away).
        let vertex = PlanarPoint(x: radius, y: 0)
        XCTAssertEqual(grid.cells(withinDistance: radius * 1.01, of: vertex),
                       [HexCoordinate(q: 0, r: 0), HexCoordinate(q: 1, r: -1), HexCoordinate(q: 1, r: 0)])
        XCTAssertEqual(grid.cells(withinDistance: radius * 0.99, of: vertex), [])
        // The 2s disc around a centre holds the 19 cells of two rings (the six corners of ring 2 at exactly 2s);
        // ring 3's nearest centres are s√7 = 2645.75 m away.
        let far = grid.center(of: HexCoordinate(q: 5, r: -3))
        XCTAssertEqual(grid.cells(withinDistance: 2000.001, of: far).count, 19)
        XCTAssertEqual(grid.cells(withinDistance: 2645, of: far).count, 19)
        XCTAssertEqual(grid.cells(withinDistance: 1999.999, of: far).count, 13)
    }

    func testCellsWithinDistanceMatchesABruteForceScan() {
        var rng = SplitMix64(seed: 7)
        let grid = HexGrid(cellSize: 1000, envelopeMinX: -3210, envelopeMinY: 4321)
        for _ in 0..<50 {
            let p = PlanarPoint(x: rng.uniform(-5000, 5000), y: rng.uniform(0, 10_000))
            let d = rng.uniform(0, 4000)
            var expected: [HexCoordinate] = []
            for q in -20...20 {
                for r in -20...20 {
                    let cell = HexCoordinate(q: q, r: r)
                    if grid.center(of: cell).distance(to: p) <= d { expected.append(cell) }
                }
            }
            XCTAssertEqual(grid.cells(withinDistance: d, of: p), expected)
        }
    }

    func testCoordinatesOrderByQThenR() {
        let cells = [HexCoordinate(q: 1, r: -5), HexCoordinate(q: 0, r: 3), HexCoordinate(q: 1, r: -6),
                     HexCoordinate(q: -2, r: 9)]
        XCTAssertEqual(cells.sorted(), [HexCoordinate(q: -2, r: 9), HexCoordinate(q: 0, r: 3),
                                        HexCoordinate(q: 1, r: -6), HexCoordinate(q: 1, r: -5)])
        XCTAssertEqual(HexCoordinate(q: 2, r: -5).s, 3)
    }
}

import XCTest
@testable import RouteRisk

/// `CellCandidates` against the one-segment-at-a-time reference: for every event, each route listed in the event's
/// grid cell gets the minimum of `SegmentDistance.pointToSegment` over its segments there, bit for bit, in the
/// order the cell lists the routes; `keepWithin` keeps exactly those ≤ b and `nearest` is their least.
final class CellCandidatesTests: XCTestCase {
    /// The reference: the cell's routes in listing order, each with its minimum (`Swift.min`, from +∞).
    func reference(_ index: CorridorIndex, cell c: Int, _ p: PlanarPoint) -> [(route: Int32, minimum: Double)] {
        var out: [(route: Int32, minimum: Double)] = []
        for slot in Int(index.cellStart[c])..<Int(index.cellStart[c + 1]) {
            let s = index.segments[Int(index.cellSegments[slot])]
            let d = SegmentDistance.pointToSegment(p.x, p.y, s.ax, s.ay, s.bx, s.by)
            if let last = out.last, last.route == s.route {
                out[out.count - 1].minimum = Swift.min(last.minimum, d)
            } else {
                out.append((s.route, Swift.min(.infinity, d)))
            }
        }
        return out
    }

    func testRouteMinimaAreTheSegmentBySegmentOnesBitForBit() {
        var rng = CorridorIndexTests.Random(state: 23)
        // Many routes crossing a small square, now and then a repeated vertex (a segment whose ends are one point).
        let routes = CorridorIndexTests.randomRoutes(&rng, count: 120, span: 6_000, maxStep: 5_000)
        let b = 2_000.0
        let index = CorridorIndex(routes: routes, distance: b)
        var events = (0..<3_000).map { _ in PlanarPoint(x: rng.uniform(-9_000, 9_000), y: rng.uniform(-9_000, 9_000)) }
        // Points on the perpendicular through a segment's end, where r is 0 or 1 to the last bit.
        for s in index.segments.prefix(600) {
            let t = rng.uniform(-0.3, 0.3)
            let end = rng.next() % 2 == 0 ? (s.ax, s.ay) : (s.bx, s.by)
            events.append(PlanarPoint(x: end.0 - (s.by - s.ay) * t, y: end.1 + (s.bx - s.ax) * t))
        }
        var checkedRuns = 0, oddCells = 0, pointSegments = 0, kept = 0
        index.withBuffers { g in
            let candidates = CellCandidates(longestCell: index.longestCell)
            for p in events {
                guard let c = index.gridCell(p.x, p.y) else { continue }
                if candidates.cell != c { candidates.load(c, g) }
                candidates.measure(p.x, p.y)
                let expected = reference(index, cell: c, p)
                XCTAssertEqual(candidates.runCount, expected.count)
                for (j, e) in expected.enumerated() where j < candidates.runCount {
                    XCTAssertEqual(candidates.runRoute[j], e.route)
                    XCTAssertEqual(candidates.runMinimum[j].bitPattern, e.minimum.bitPattern, "route \(e.route) at \(p)")
                }
                let within = expected.filter { $0.minimum <= b }
                let n = candidates.keepWithin(b)
                XCTAssertEqual(n, within.count)
                for (j, e) in within.enumerated() where j < n {
                    XCTAssertEqual(candidates.keptRoute[j], e.route)
                    XCTAssertEqual(candidates.keptDistance[j].bitPattern, e.minimum.bitPattern)
                }
                XCTAssertEqual(candidates.nearest(), expected.map(\.minimum).min() ?? .infinity)
                checkedRuns += expected.count
                kept += n
                let listed = Int(index.cellStart[c + 1] - index.cellStart[c])
                oddCells += listed % 2
                pointSegments += (Int(index.cellStart[c])..<Int(index.cellStart[c + 1])).filter {
                    index.segments[Int(index.cellSegments[$0])].length < 0
                }.count
            }
        }
        // Not vacuous: many routes per cell, some kept and some not, odd cells (a padded pair) and point segments.
        XCTAssertGreaterThan(checkedRuns, 20 * events.count)
        XCTAssertGreaterThan(kept, 5 * events.count)
        XCTAssertLessThan(kept, checkedRuns)
        XCTAssertGreaterThan(oddCells, 100)
        XCTAssertGreaterThan(pointSegments, 100)
    }

    /// A cell that lists no segment: no run, nothing kept, no nearest route.
    func testEmptyCell() {
        let routes: [[[PlanarPoint]]] = [[[PlanarPoint(x: 0, y: 0), PlanarPoint(x: 100_000, y: 0)]],
                                         [[PlanarPoint(x: 0, y: 100_000), PlanarPoint(x: 100_000, y: 100_000)]]]
        let index = CorridorIndex(routes: routes, distance: 1_000)
        guard let c = index.gridCell(50_000, 50_000) else { return XCTFail("the middle lies in the grid") }
        XCTAssertEqual(index.cellStart[c], index.cellStart[c + 1], "the middle cell lists no segment")
        index.withBuffers { g in
            let candidates = CellCandidates(longestCell: index.longestCell)
            candidates.load(c, g)
            candidates.measure(50_000, 50_000)
            XCTAssertEqual(candidates.runCount, 0)
            XCTAssertEqual(candidates.keepWithin(1_000), 0)
            XCTAssertEqual(candidates.nearest(), .infinity)
        }
    }
}

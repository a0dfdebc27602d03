import XCTest
@testable import RouteRisk

/// `CorridorIndex` decides "within b of the route" exactly as `GEOSDistanceWithin_r` does,
/// on random routes and points and on points placed at d = b to the last bit.
final class CorridorIndexTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so that a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
        mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    }

    /// `count` routes of 1–2 parts of 2–9 vertices starting within ±span: long and short segments at
    /// random angles, and now and then a repeated vertex.
    static func randomRoutes(_ rng: inout Random, count: Int, span: Double, maxStep: Double) -> [[[PlanarPoint]]] {
        (0..<count).map { _ in
            (0..<(1 + Int(rng.next() % 2))).map { _ in
                var p = PlanarPoint(x: rng.uniform(-span, span), y: rng.uniform(-span, span))
                var part = [p]
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let step = rng.next() % 10 == 0 ? 0 : rng.uniform(10, maxStep)
                    let angle = rng.uniform(0, 2 * Double.pi)
                    p = PlanarPoint(x: p.x + step * cos(angle), y: p.y + step * sin(angle))
                    part.append(p)
                }
                return part
            }
        }
    }

    /// GEOS's verdict per route, ascending event indices.
    func geosWithin(routes: [[[PlanarPoint]]], events: [PlanarPoint], b: Double) throws -> [[Int]] {
        let c = try GEOSContext()
        let points = try events.map { try Geometry.point($0, context: c) }
        return try routes.map { parts in
            let line = try Geometry.lines(parts, context: c)
            return try points.indices.filter { try line.isWithinDistance(b, of: points[$0]) }
        }
    }

    func testRandomRoutesAndPointsAgreeWithGEOS() throws {
        try checkAgreementWithGEOS(seed: 7, origin: PlanarPoint(x: 0, y: 0))
    }

    /// The same at a UTM-like place (northing ~10⁷ m), where the coordinates' rounding is ~1e-9 m: the envelope
    /// check, skipped when the distance is clearly within b, must still decide the pairs at d = b.
    func testRoutesFarFromTheOriginAgreeWithGEOS() throws {
        try checkAgreementWithGEOS(seed: 11, origin: PlanarPoint(x: 512_345.678, y: 9_876_543.21))
    }

    func checkAgreementWithGEOS(seed: UInt64, origin: PlanarPoint, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = Random(state: seed)
        let b = 2000.0
        let routes = Self.randomRoutes(&rng, count: 60, span: 50_000, maxStep: 30_000)
            .map { $0.map { $0.map { PlanarPoint(x: origin.x + $0.x, y: origin.y + $0.y) } } }
        var events: [PlanarPoint] = []
        for _ in 0..<3000 {
            events.append(PlanarPoint(x: origin.x + rng.uniform(-60_000, 60_000), y: origin.y + rng.uniform(-60_000, 60_000)))
        }
        // Points at d = b (to the last bits) from random segments: perpendicular offsets, and
        // beyond the end points along the segment.
        for _ in 0..<3000 {
            let parts = routes[Int(rng.next() % UInt64(routes.count))]
            let part = parts[Int(rng.next() % UInt64(parts.count))]
            let k = Int(rng.next() % UInt64(part.count - 1))
            let a = part[k], e = part[k + 1]
            let len = a.distance(to: e)
            guard len > 0 else { continue }
            let ux = (e.x - a.x) / len, uy = (e.y - a.y) / len
            let scale = 1 + Double(Int(rng.next() % 5) - 2) * Double.ulpOfOne
            if rng.next() % 2 == 0 {
                let t = rng.unit()
                let side = rng.next() % 2 == 0 ? 1.0 : -1.0
                events.append(PlanarPoint(x: a.x + t * (e.x - a.x) - side * uy * b * scale,
                                          y: a.y + t * (e.y - a.y) + side * ux * b * scale))
            } else {
                events.append(PlanarPoint(x: e.x + ux * b * scale, y: e.y + uy * b * scale))
            }
        }
        let expected = try geosWithin(routes: routes, events: events, b: b)
        let index = CorridorIndex(routes: routes, distance: b)
        // One block of ~6000 events measured in grid-cell order (two chunks of 4096), made route-major in one
        // run or in runs of 700; blocks of 1000 and of 1 event (their pieces joined route by route).
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            for (blockSize, runSize) in [(262_144, 16_384), (262_144, 700), (1000, 300), (1, 1)] {
                XCTAssertEqual(index.eventsWithin(events, blockSize: blockSize, runSize: runSize).map { $0.map(Int.init) },
                               expected, "\(threads) threads, blocks of \(blockSize), runs of \(runSize)", file: file, line: line)
            }
        }
        Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount
        // The cases are not trivial: many pairs are near the boundary, many are accepted.
        XCTAssertGreaterThan(expected.map(\.count).reduce(0, +), 1500, file: file, line: line)
    }

    /// The grid's lists equal registering every piece's padded box cell by cell, then sorting and removing
    /// repeats (the rule `SegmentCells` lists row by row): random routes with long diagonal segments, and
    /// horizontal, vertical and zero-length ones, at two distances.
    func testSegmentCellsEqualRegisteringPieceByPiece() {
        var rng = Random(state: 11)
        var routes = Self.randomRoutes(&rng, count: 40, span: 40_000, maxStep: 25_000)
        routes.append([[PlanarPoint(x: 0, y: 0), PlanarPoint(x: 12_345, y: 0), PlanarPoint(x: 12_345, y: -9_876)]])
        routes.append([[PlanarPoint(x: 500, y: 500), PlanarPoint(x: 500, y: 500)]])
        for b in [2000.0, 700.0] {
            let index = CorridorIndex(routes: routes, distance: b)
            let layout = index.segmentCells
            var expected = [[Int32]](repeating: [], count: index.columns * index.rows)
            for s in index.segments.indices {
                let g = index.segments[s]
                let (x0, y0, x1, y1) = (g.ax, g.ay, g.bx, g.by)
                let pieces = layout.pieceCount(x0, y0, x1, y1)
                var cells = Set<Int>()
                for k in 0..<pieces {
                    let box = layout.pieceBox(x0, y0, x1, y1, k, pieces)
                    guard box.c0 <= box.c1, box.r0 <= box.r1 else { continue }
                    for row in box.r0...box.r1 {
                        for column in box.c0...box.c1 { cells.insert(row * index.columns + column) }
                    }
                }
                for c in cells.sorted() { expected[c].append(Int32(s)) }
            }
            var registered = 0
            for c in expected.indices {
                let listed = Array(index.cellSegments[Int(index.cellStart[c])..<Int(index.cellStart[c + 1])])
                XCTAssertEqual(listed, expected[c], "b = \(b), cell \(c)")
                registered += listed.count
            }
            // Not trivial: long segments cut into many pieces, each cell listing several segments.
            XCTAssertGreaterThan(registered, 20 * index.segments.count, "b = \(b)")
        }
    }

    func testHandWorkedDistances() {
        // Segment (0,0)–(10,0): perpendicular 3 at x = 4; beyond B: (13,4) is 5 from B; beyond A: (−3,−4) is 5.
        XCTAssertEqual(SegmentDistance.pointToSegment(4, 3, 0, 0, 10, 0), 3)
        XCTAssertEqual(SegmentDistance.pointToSegment(13, 4, 0, 0, 10, 0), 5)
        XCTAssertEqual(SegmentDistance.pointToSegment(-3, -4, 0, 0, 10, 0), 5)
        XCTAssertEqual(SegmentDistance.pointToSegment(3, 4, 1, 1, 1, 1), (4 + 9.0).squareRoot())
        let routes: [[[PlanarPoint]]] = [[[PlanarPoint(x: 0, y: 0), PlanarPoint(x: 10, y: 0)]],
                                         [[PlanarPoint(x: 0, y: 10), PlanarPoint(x: 10, y: 10)]]]
        let events = [PlanarPoint(x: 5, y: 3), PlanarPoint(x: 5, y: 3.0000001), PlanarPoint(x: 5, y: 7),
                      PlanarPoint(x: 13, y: 0), PlanarPoint(x: 5, y: 5)]
        // b = 3: (5,3) on route 0 exactly at d = b; (5,7) on route 1; (13,0) on route 0 (3 beyond B).
        // b = 5: (5,5) is on both (d = 5 each); (5,3) and (5,3.0000001) are 7 from route 1.
        XCTAssertEqual(CorridorIndex(routes: routes, distance: 3).eventsWithin(events), [[0, 3], [2]])
        XCTAssertEqual(CorridorIndex(routes: routes, distance: 5).eventsWithin(events), [[0, 1, 3, 4], [2, 4]])
        // With a numbering, each event is reported by its number.
        XCTAssertEqual(CorridorIndex(routes: routes, distance: 5).eventsWithin(events, numbering: [7, 9, 20, 21, 40]),
                       [[7, 9, 21, 40], [20, 40]])
    }
}

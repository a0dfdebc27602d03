import XCTest
@testable import RouteRisk

/// `SegmentDistance.pointToSegment` gives GEOS's own distance between a point and a two-point line
/// (`GEOSDistance_r`) to the last bit, on each side of the segment and on the perpendiculars through its end points.
final class SegmentDistanceTests: XCTestCase {
    typealias Random = CorridorIndexTests.Random

    func testHandWorkedValuesOnEachSide() {
        // Segment (0,0)–(10,0): perpendicular 3 at x = 4; beyond B: (13,4) is 5 from B; beyond A: (−3,−4) is 5;
        // on the perpendicular through A and through B: 2.
        XCTAssertEqual(SegmentDistance.pointToSegment(4, 3, 0, 0, 10, 0), 3)
        XCTAssertEqual(SegmentDistance.pointToSegment(13, 4, 0, 0, 10, 0), 5)
        XCTAssertEqual(SegmentDistance.pointToSegment(-3, -4, 0, 0, 10, 0), 5)
        XCTAssertEqual(SegmentDistance.pointToSegment(0, 2, 0, 0, 10, 0), 2)
        XCTAssertEqual(SegmentDistance.pointToSegment(10, -2, 0, 0, 10, 0), 2)
        // A point segment: the distance to its point.
        XCTAssertEqual(SegmentDistance.pointToSegment(3, 4, 1, 1, 1, 1), (4 + 9.0).squareRoot())
    }

    /// Random segments near the origin and at UTM northings, a fiftieth of them point segments, points anywhere
    /// around them and a third on the perpendicular through an end point, against `GEOSDistance_r`.
    func testSameBitsAsGEOSDistance() throws {
        let context = try GEOSContext()
        var rng = Random(state: 5)
        for trial in 0..<3_000 {
            let origin = trial % 2 == 0 ? (0.0, 0.0) : (512_345.678, 9_876_543.21)
            let a = (origin.0 + rng.uniform(-5_000, 5_000), origin.1 + rng.uniform(-5_000, 5_000))
            let b = trial % 50 == 0 ? a : (a.0 + rng.uniform(-5_000, 5_000), a.1 + rng.uniform(-5_000, 5_000))
            var p = (origin.0 + rng.uniform(-9_000, 9_000), origin.1 + rng.uniform(-9_000, 9_000))
            if trial % 3 == 0 {
                let end = trial % 2 == 0 ? a : b
                p = (end.0 - (b.1 - a.1) * 0.3, end.1 + (b.0 - a.0) * 0.3)
            }
            let line = try Geometry.lineString([PlanarPoint(x: a.0, y: a.1), PlanarPoint(x: b.0, y: b.1)], context: context)
            let geos = try line.distance(to: try Geometry.point(PlanarPoint(x: p.0, y: p.1), context: context))
            XCTAssertEqual(SegmentDistance.pointToSegment(p.0, p.1, a.0, a.1, b.0, b.1).bitPattern, geos.bitPattern,
                           "p \(p), A \(a), B \(b)")
        }
    }
}

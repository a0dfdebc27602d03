import XCTest
@testable import RouteRisk

/// The GEOS wrapper: owned geometries, library errors as Swift errors, STRtree indices.
final class GeometryWrapperTests: XCTestCase {
    func testMeasuresOfAHandBuiltLine() throws {
        let c = try GEOSContext()
        let line = try Geometry.fromWKT("LINESTRING (0 0, 3 4, 3 10)", context: c)
        XCTAssertEqual(try line.length, 5 + 6, accuracy: 1e-12)  // 3-4-5 triangle, then 6
        // A round-capped buffer of a straight segment: rectangle 2bL plus a circle πb²,
        // the circle approximated by 32 segments (8 per quarter): area 16·sin(π/16)·cos(π/16)·2 b²… ≈ 0.9936 πb².
        let segment = try Geometry.fromWKT("LINESTRING (0 0, 10 0)", context: c)
        let area = try segment.buffer(by: 1).area
        let polygon32 = 0.5 * 32 * sin(2 * Double.pi / 32)  // area of a regular 32-gon of circumradius 1
        XCTAssertEqual(area, 20 + polygon32, accuracy: 1e-9)
    }

    func testParseErrorBecomesASwiftErrorWithTheGEOSMessage() throws {
        let c = try GEOSContext()
        XCTAssertThrowsError(try Geometry.fromWKT("LINESTRING (0 0, oops)", context: c)) { error in
            let e = error as? GeometryError
            XCTAssertEqual(e?.function, "GEOSWKTReader_read_r")
            XCTAssertFalse(e?.message.isEmpty ?? true)
        }
    }

    func testWKBRoundTrip() throws {
        let c = try GEOSContext()
        let g = try Geometry.fromWKT("MULTILINESTRING ((0 0, 1 1), (2 2, 3 5))", context: c)
        let back = try Geometry.fromWKB(try g.wkb, context: c)
        XCTAssertEqual(try back.wkt, "MULTILINESTRING ((0 0, 1 1), (2 2, 3 5))")
        XCTAssertEqual(try back.linearParts(), [[.init(x: 0, y: 0), .init(x: 1, y: 1)], [.init(x: 2, y: 2), .init(x: 3, y: 5)]])
    }

    func testMakeValidKeepsTheLinearPartsOfABowTie() throws {
        let c = try GEOSContext()
        let bowTie = try Geometry.fromWKT("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))", context: c)
        XCTAssertFalse(try bowTie.isValid)
        let fixed = try bowTie.makeValid()
        XCTAssertTrue(try fixed.isValid)
        XCTAssertEqual(try fixed.area, 2, accuracy: 1e-12)  // two triangles of area 1
    }

    func testSTRtreeReturnsSortedIndicesOfEnvelopeHits() throws {
        let c = try GEOSContext()
        let points = try (0..<10).map { try Geometry.point(PlanarPoint(x: Double($0), y: 0), context: c) }
        let tree = try STRtree(points, context: c)
        XCTAssertEqual(try tree.query(minX: 2.5, minY: -1, maxX: 6, maxY: 1), [3, 4, 5, 6])
        XCTAssertEqual(try tree.query(minX: 20, minY: -1, maxX: 30, maxY: 1), [])
    }

    func testPreparedDistanceWithinIsInclusive() throws {
        let c = try GEOSContext()
        let line = try Geometry.fromWKT("LINESTRING (0 0, 10 0)", context: c).prepared()
        XCTAssertTrue(try line.isWithinDistance(2, of: Geometry.point(.init(x: 5, y: 2), context: c)))
        XCTAssertFalse(try line.isWithinDistance(2, of: Geometry.point(.init(x: 5, y: 2.000001), context: c)))
        XCTAssertTrue(try line.isWithinDistance(2, of: Geometry.point(.init(x: 11.2, y: 1.6), context: c)))  // 3-4-5 → 2
    }
}

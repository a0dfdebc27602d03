import XCTest
@testable import RouteRisk

final class ProjectionTests: XCTestCase {
    /// MODEL §2: φ0 and λ0 are rounded half away from zero to 0.01° and written with two decimals.
    func testAutomaticCRSIsCentredOnTheGeographyBox() {
        let p = WorkingProjection.automatic(lonMin: 94, latMin: -12, lonMax: 142, latMax: 8)
        XCTAssertEqual(p.definition, "+proj=laea +lat_0=-2.00 +lon_0=118.00 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")
        // Middle −0.125 → −0.13 (away from zero), 100.005 → 100.01 is a binary tie case: use exact quarters instead.
        let q = WorkingProjection.automatic(lonMin: 100, latMin: -0.5, lonMax: 100.25, latMax: 0.25)
        XCTAssertEqual(q.definition, "+proj=laea +lat_0=-0.13 +lon_0=100.13 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")
    }

    /// At the centre of a LAEA projection the scale is 1: a small step east is its length on
    /// the ellipsoid's parallel, N(φ)·cos φ·Δλ (at φ = 0: a·Δλ).
    func testLAEAAtItsCentreIsTrueToScale() throws {
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "+proj=laea +lat_0=0 +lon_0=110 +ellps=WGS84 +units=m +no_defs")
        let p = try t.transformed([PlanarPoint(x: 110, y: 0), PlanarPoint(x: 110.001, y: 0)])
        XCTAssertEqual(p[0].x, 0, accuracy: 1e-6)
        XCTAssertEqual(p[1].x, 6378137 * 0.001 * .pi / 180, accuracy: 1e-3)
        let back = try t.transformed(p, inverse: true)
        XCTAssertEqual(back[1].x, 110.001, accuracy: 1e-12)
    }

    func testUnknownCRSIsAnError() {
        XCTAssertThrowsError(try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:999999")) { error in
            XCTAssertTrue(error is ProjectionError)
        }
        XCTAssertThrowsError(try CRSInspector.requireProjected("EPSG:4326"))  // geographic, not metric
        XCTAssertNoThrow(try CRSInspector.requireProjected("EPSG:32750"))
    }
}

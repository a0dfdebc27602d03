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

    /// `transformedInParallel` against one transformer: the same points, bit for bit, with one thread and two; the
    /// error of the first piece that fails names that piece's first point that PROJ cannot transform.
    func testTransformedInParallelEqualsOneTransformer() throws {
        defer { Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount }
        var rng = SplitMix64(seed: 9)
        let points = (0..<10_007).map { _ in PlanarPoint(x: rng.uniform(95, 141), y: rng.uniform(-11, 6)) }
        let laea = "+proj=laea +lat_0=-3 +lon_0=118 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        // An orthographic view of the far side of the Earth: Indonesia is not on it.
        let ortho = "+proj=ortho +lat_0=0 +lon_0=-60 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        let toLAEA = try CoordinateTransformer(from: "EPSG:4326", to: laea)
        let toOrtho = try CoordinateTransformer(from: "EPSG:4326", to: ortho)
        let one = try toLAEA.transformed(points)
        var bad = points.map { PlanarPoint(x: $0.x - 180, y: $0.y) }
        bad[3_500] = PlanarPoint(x: 120, y: 1)  // in the fourth piece of 1,000
        bad[7_200] = PlanarPoint(x: 130, y: 2)
        var expected = ""
        XCTAssertThrowsError(try toOrtho.transformed(bad)) { expected = "\($0)" }
        XCTAssertTrue(expected.contains("(120.0, 1.0)"), expected)
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            let many = try CoordinateTransformer.transformedInParallel(points, with: toLAEA, pieceSize: 1_000)
            XCTAssertEqual(many.map(\.x.bitPattern), one.map(\.x.bitPattern), "\(threads) threads")
            XCTAssertEqual(many.map(\.y.bitPattern), one.map(\.y.bitPattern), "\(threads) threads")
            XCTAssertThrowsError(try CoordinateTransformer.transformedInParallel(bad, with: toOrtho, pieceSize: 1_000)) {
                XCTAssertEqual("\($0)", expected, "\(threads) threads")
            }
        }
    }
}

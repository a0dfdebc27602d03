import XCTest
@testable import RouteRisk

/// MODEL §9 geometry on a hand-built planar scene: events within b, crossings and landings
/// (touches included, a shared stretch counted by its two end points, equal points once),
/// and the sample points every s/2.
final class RouteGeometryAnalysisTests: XCTestCase {
    func analyse(_ routes: [[[PlanarPoint]]], events: [PlanarPoint] = [], borders: [[PlanarPoint]] = [], coast: [[PlanarPoint]] = []) throws -> [RouteGeometryFacts] {
        try RouteGeometryAnalysis(
            routes: routes, events: events, borders: LinePieces(borders), coastline: LinePieces(coast),
            corridor: 2000, sampleStep: 2500
        ).run()
    }

    func p(_ x: Double, _ y: Double) -> PlanarPoint { PlanarPoint(x: x, y: y) }

    func testEventsWithinTheCorridorIncludingTheBoundary() throws {
        let route = [[p(0, 0), p(10_000, 0)]]
        let events = [p(5000, 2000), p(5000, 2001), p(-1200, 1600), p(11_000, -1000), p(5000, -100)]
        // distances: 2000 (in), 2001 (out), √(1200²+1600²) = 2000 (in, round cap), √(1000²+1000²) = 1414 (in), 100 (in)
        let facts = try analyse([route], events: events)
        XCTAssertEqual(facts[0].eventIndices, [0, 2, 3, 4])
        XCTAssertEqual(facts[0].length, 10_000, accuracy: 1e-9)
    }

    func testCrossingsTouchesAndSharedStretches() throws {
        // A border along y = 0 from x = 0 to 100 km, cut into pieces of 32 segments by the analysis.
        let border = [(0...100).map { p(Double($0) * 1000, 0) }]
        // Route 1 crosses twice (x = 10 km and 20 km) and touches once at x = 30 km.
        let r1 = [[p(10_000, -5000), p(10_000, 5000), p(20_000, 5000), p(20_000, -5000), p(25_000, -5000), p(30_000, 0), p(35_000, -5000)]]
        // Route 2 runs along the border from x = 20 km to x = 60 km (across piece boundaries at 32 and 64 km… here 32 km).
        let r2 = [[p(20_000, 3000), p(20_000, 0), p(60_000, 0), p(60_000, -3000)]]
        let facts = try analyse([r1, r2], borders: border)
        XCTAssertEqual(facts[0].crossings, [p(10_000, 0), p(20_000, 0), p(30_000, 0)])
        XCTAssertEqual(facts[1].crossings, [p(20_000, 0), p(60_000, 0)])
    }

    func testSamplesEveryHalfCellIncludingAnExactEnd() throws {
        // Length 10 km, step 2.5 km: 0, 2.5, 5, 7.5, 10 → 5 samples; 11 km → 0 … 10 → 5 samples.
        let facts = try analyse([[[p(0, 0), p(10_000, 0)]], [[p(0, 0), p(11_000, 0)]]])
        for f in facts {
            XCTAssertEqual(f.intensitySamples.count, 5)
            for (sample, expected) in zip(f.intensitySamples, [0.0, 2500, 5000, 7500, 10_000]) {
                XCTAssertEqual(sample.x, expected, accuracy: 1e-6)  // GEOSInterpolate_r rounds in the last bit
            }
        }
    }
}

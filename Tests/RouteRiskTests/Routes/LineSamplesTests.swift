import XCTest
@testable import RouteRisk

/// `LineSamples` gives GEOS's `GEOSLength_r` and `GEOSInterpolate_r` results bit for bit.
final class LineSamplesTests: XCTestCase {
    /// The samples as the route analysis made them before: one GEOS call per sample.
    func geosSamples(_ part: [PlanarPoint], step: Double, context c: GEOSContext) throws -> [PlanarPoint] {
        let line = try Geometry.lineString(part, context: c)
        let length = try line.length
        var out: [PlanarPoint] = []
        var k = 0
        while true {
            let d = Double(k) * step
            if d > length + 1e-9 { break }
            out.append(try line.interpolate(min(d, length)))
            k += 1
        }
        return out
    }

    func testRandomLinesMatchGEOSBitForBit() throws {
        let c = try GEOSContext()
        var state: UInt64 = 3
        func unit() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1.0p-53
        }
        var compared = 0
        for trial in 0..<300 {
            var p = PlanarPoint(x: unit() * 1e6 - 5e5, y: unit() * 1e6 - 5e5)
            var part = [p]
            for _ in 0..<(1 + trial % 12) {
                // Some zero-length segments, some axis-aligned integer steps (samples exactly on vertices).
                let kind = Int(unit() * 4)
                let step = kind == 0 ? 0 : kind == 1 ? (unit() * 10).rounded() * 500 : unit() * 20_000
                let angle = kind == 1 ? Double.pi / 2 * (unit() * 4).rounded(.down) : unit() * 2 * Double.pi
                p = PlanarPoint(x: p.x + step * cos(angle), y: p.y + step * sin(angle))
                part.append(p)
            }
            for step in [2500.0, 1000.0, 737.25] {
                let expected = try geosSamples(part, step: step, context: c)
                let got = LineSamples.samples(along: part, step: step)
                XCTAssertEqual(got.count, expected.count, "trial \(trial) step \(step)")
                for (a, b) in zip(got, expected) where a.x.bitPattern != b.x.bitPattern || a.y.bitPattern != b.y.bitPattern {
                    XCTFail("trial \(trial) step \(step): \(a) ≠ GEOS \(b)")
                    break
                }
                compared += expected.count
            }
            XCTAssertEqual(LineSamples.length(part).bitPattern, try Geometry.lineString(part, context: c).length.bitPattern)
        }
        XCTAssertGreaterThan(compared, 10_000)
    }

    func testHandWorkedSamples() {
        // An L of 3000 m then 2000 m, step 2500: 0, 2500 on the first leg, 5000 the exact end point.
        let line = [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 3000, y: 0), PlanarPoint(x: 3000, y: 2000)]
        XCTAssertEqual(LineSamples.samples(along: line, step: 2500),
                       [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 2500, y: 0), PlanarPoint(x: 3000, y: 2000)])
        XCTAssertEqual(LineSamples.samples(along: line, step: 3000),
                       [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 3000, y: 0)])
        XCTAssertEqual(LineSamples.samples(along: [PlanarPoint(x: 1, y: 2)], step: 10), [PlanarPoint(x: 1, y: 2)])
    }
}

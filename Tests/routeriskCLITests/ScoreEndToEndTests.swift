import Foundation
import XCTest

/// `routerisk score` on the tiny hand-built scene (Tests/RouteRiskTests/Fixtures/tiny), end to
/// end through the built binary. Every expected value is worked out here from the fixture
/// files with independent formulas, never copied from the program's output.
///
/// The scene: a border along lat 1.0 and a coastline along lat 0.5 (lon 109.5…110.5), a land
/// post "Post A" at (110.0, 1.0) and a seaport "Port B" at (109.6, 0.5); route R1 runs north
/// along lon 110.2 from lat 0.8 to 1.2 (crosses the border at (110.2, 1.0)), R2 along lon 109.8
/// from lat 0.3 to 0.7 (reaches the coast at (109.8, 0.5)), R3 is a short diagonal from
/// (110.4, 0.6) to (110.45, 0.65) touching neither; 148 interceptions, 2021-01-08 … 2024-12-28.
final class ScoreEndToEndTests: XCTestCase {
    static let routeKeys = [
        "id", "name", "rank", "risk", "class", "events", "weight", "persons", "expected", "rate_ratio", "p_value",
        "length_km", "corridor_km2", "evasion_km", "nearest_post", "crossings", "landings", "trend", "trend_p",
        "sen_slope", "mean_intensity_km2", "explanation",
    ]
    static let cellKeys = ["q", "r", "events", "weight", "intensity_km2", "gi_z", "gi_p", "gi_bin"]

    /// Corridor half-width b (default `--corridor`), cell size s (the scene's `cell = "5km"`), km.
    static let b = 2.0
    static let s = 5.0

    /// One run shared by the tests of this class (the run is deterministic, §12).
    private static var shared: (dir: TemporaryDirectory, out: URL, result: CLI.Result)?

    private func output() throws -> (out: URL, result: CLI.Result) {
        if Self.shared == nil {
            let dir = try TemporaryDirectory()
            let out = dir.path("out")
            let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path])
            Self.shared = (dir, out, r)
        }
        return (Self.shared!.out, Self.shared!.result)
    }

    override class func tearDown() {
        shared = nil
        super.tearDown()
    }

    private func routes() throws -> [[String: Any]] {
        let doc = try jsonObject(try output().out.appendingPathComponent("routes.geojson"))
        return (doc["features"] as? [[String: Any]] ?? []).map { $0["properties"] as? [String: Any] ?? [:] }
    }

    private func route(_ id: String) throws -> [String: Any] {
        let all = try routes()
        return try XCTUnwrap(all.first { $0["id"] as? String == id }, "route \(id) missing")
    }

    private func number(_ p: [String: Any], _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        try XCTUnwrap((p[key] as? NSNumber)?.doubleValue, "\(p["id"] ?? "?").\(key) is not a number: \(p[key] ?? "absent")", file: file, line: line)
    }

    func testWritesTheThreeFiles() throws {
        let (out, result) = try output()
        for name in ["routes.geojson", "hotspots.geojson", "summary.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) missing")
        }
        XCTAssertEqual(TemporaryDirectory.entries(out), ["hotspots.geojson", "hotspots.qml", "routes.geojson", "routes.qml", "summary.json"],
                       "only the three outputs and the QGIS styles of the two layers, no temporary files")
        XCTAssertTrue(result.stdout.contains(out.appendingPathComponent("routes.geojson").path), result.stdout)
    }

    // MARK: property names and order (on the raw text: JSONSerialization loses order)

    func testRoutePropertyNamesInModelOrder() throws {
        let data = try Data(contentsOf: try output().out.appendingPathComponent("routes.geojson"))
        let keys = try GeoJSONChecks.propertyKeys(data)
        XCTAssertEqual(keys.count, 3)
        for (i, k) in keys.enumerated() {
            XCTAssertEqual(Array(k.prefix(Self.routeKeys.count)), Self.routeKeys, "feature \(i + 1)")
            XCTAssert(Set(k.dropFirst(Self.routeKeys.count)).isSubset(of: ["emerging", "expected_next"]), "feature \(i + 1): extra keys \(k)")
        }
    }

    func testCellPropertyNamesInModelOrder() throws {
        let data = try Data(contentsOf: try output().out.appendingPathComponent("hotspots.geojson"))
        let keys = try GeoJSONChecks.propertyKeys(data)
        XCTAssertFalse(keys.isEmpty)
        for (i, k) in keys.enumerated() {
            XCTAssertEqual(Array(k.prefix(Self.cellKeys.count)), Self.cellKeys, "feature \(i + 1)")
            XCTAssert(Set(k.dropFirst(Self.cellKeys.count)).isSubset(of: ["emerging", "forecast"]), "feature \(i + 1): extra keys \(k)")
        }
    }

    // MARK: RFC 7946

    func testRoutesAreRFC7946() throws {
        try GeoJSONChecks.assertRFC7946(
            try Data(contentsOf: try output().out.appendingPathComponent("routes.geojson")), name: "routes.geojson")
    }

    func testHotspotsAreRFC7946() throws {
        try GeoJSONChecks.assertRFC7946(
            try Data(contentsOf: try output().out.appendingPathComponent("hotspots.geojson")), name: "hotspots.geojson")
    }

    /// Route geometry "as read": the written coordinates are the fixture's.
    func testRouteGeometryAsRead() throws {
        let fixture = try TinyFixture.load()
        let doc = try jsonObject(try output().out.appendingPathComponent("routes.geojson"))
        for f in doc["features"] as? [[String: Any]] ?? [] {
            let id = (f["properties"] as? [String: Any])?["id"] as? String ?? "?"
            let g = f["geometry"] as? [String: Any] ?? [:]
            XCTAssertEqual(g["type"] as? String, "LineString", id)
            let written = (g["coordinates"] as? [[Double]]) ?? []
            let read = fixture.route(id).coordinates
            XCTAssertEqual(written.count, read.count, id)
            for (w, r) in zip(written, read) {
                XCTAssertEqual(w[0], r.lon, accuracy: 5e-8, id)
                XCTAssertEqual(w[1], r.lat, accuracy: 5e-8, id)
            }
        }
    }

    // MARK: routes

    func testRanksInFileOrderAndRiskDescending() throws {
        let all = try routes()
        XCTAssertEqual(all.compactMap { $0["rank"] as? Int }, Array(1...3))
        let risks = try all.map { try number($0, "risk") }
        for (a, b) in zip(risks, risks.dropFirst()) { XCTAssertGreaterThanOrEqual(a, b, "rank order is risk descending") }
        XCTAssertEqual(Set(all.compactMap { $0["id"] as? String }), ["R1", "R2", "R3"])
        // name defaults to id (R3 has none in the fixture).
        XCTAssertEqual(try route("R1")["name"] as? String, "Border path")
        XCTAssertEqual(try route("R3")["name"] as? String, "R3")
    }

    func testCrossingsLandingsAndNearestPost() throws {
        let r1 = try route("R1"), r2 = try route("R2"), r3 = try route("R3")
        // R1 (lat 0.8…1.2 at lon 110.2) meets the border (lat 1.0) once and not the coast (lat 0.5);
        // R2 (lat 0.3…0.7 at lon 109.8) meets the coast once and not the border; R3 meets neither.
        XCTAssertEqual(r1["crossings"] as? Int, 1)
        XCTAssertEqual(r1["landings"] as? Int, 0)
        XCTAssertEqual(r2["crossings"] as? Int, 0)
        XCTAssertEqual(r2["landings"] as? Int, 1)
        XCTAssertEqual(r3["crossings"] as? Int, 0)
        XCTAssertEqual(r3["landings"] as? Int, 0)
        XCTAssertEqual(r1["nearest_post"] as? String, "Post A")
        XCTAssertEqual(r2["nearest_post"] as? String, "Port B")
        XCTAssert(r3["nearest_post"] is NSNull, "R3 nearest_post: \(r3["nearest_post"] ?? "absent")")
        XCTAssert(r3["evasion_km"] is NSNull, "R3 evasion_km: \(r3["evasion_km"] ?? "absent")")
    }

    func testEvasionDistances() throws {
        // R1 crosses at (110.2, 1.0), Post A is at (110.0, 1.0): 0.2° of longitude along the
        // parallel at lat 1°, N(1°)·cos 1°·0.2·π/180 ≈ 6378.14 km · 0.99985 · 0.0034907 ≈ 22.260 km.
        // R2 lands at (109.8, 0.5), Port B is at (109.6, 0.5): the same at lat 0.5° ≈ 22.263 km.
        let expected1 = WGS84.parallelArcKm(0.2, atLat: 1.0)
        let expected2 = WGS84.parallelArcKm(0.2, atLat: 0.5)
        XCTAssertEqual(expected1, 22.26, accuracy: 0.01)  // the hand value
        XCTAssertEqual(try number(try route("R1"), "evasion_km"), expected1, accuracy: 0.2)
        XCTAssertEqual(try number(try route("R2"), "evasion_km"), expected2, accuracy: 0.2)
    }

    func testLengthsAndCorridorAreas() throws {
        let fixture = try TinyFixture.load()
        // R1: a meridian arc of 0.4° at lat ~1°, M·Δφ ≈ 6335.46 km · 0.0069813 ≈ 44.23 km.
        let l1 = WGS84.meridianArcKm(0.8, 1.2)
        XCTAssertEqual(l1, 44.2, accuracy: 0.05)  // the hand value
        let l2 = WGS84.meridianArcKm(0.3, 0.7)
        // R3: the diagonal, 0.05° east and 0.05° north at lat ~0.625, ≈ √(5.566² + 5.529²) ≈ 7.845 km.
        let l3 = WGS84.lengthKm(fixture.route("R3").coordinates)
        // GEOS buffer, 8 segments per quarter circle: the two round caps of a straight segment
        // form an inscribed 32-gon, (32/2)·b²·sin(2π/32), a bit less than π b².
        let caps = 16 * Self.b * Self.b * sin(2 * Double.pi / 32)
        for (id, length) in [("R1", l1), ("R2", l2), ("R3", l3)] {
            let p = try route(id)
            XCTAssertEqual(try number(p, "length_km"), length, accuracy: length * 5e-4, "\(id) length_km")
            let corridor = 2 * Self.b * length + caps
            XCTAssertEqual(try number(p, "corridor_km2"), corridor, accuracy: corridor * 0.005, "\(id) corridor_km2")
            // The 32-gon, not the true circle: nearer to 2bL + caps than to 2bL + πb² (0.08 km² apart).
            let circle = 2 * Self.b * length + .pi * Self.b * Self.b
            XCTAssertLessThan(abs(try number(p, "corridor_km2") - corridor), abs(try number(p, "corridor_km2") - circle), "\(id): buffer is not 8 segments per quarter circle")
        }
    }

    /// events / persons / weight from an independent count of the CSV rows near each route.
    func testEventsPersonsAndWeightFromTheCSV() throws {
        let fixture = try TinyFixture.load()
        let asOf = fixture.events.map(\.days).max()!  // as_of defaults to the latest interception
        for id in ["R1", "R2", "R3"] {
            let line = fixture.route(id).coordinates
            let d = fixture.events.map { WGS84.distanceKm(($0.lon, $0.lat), toLine: line) }
            // Events within ±0.1 km of the 2 km boundary are left out of the exact check.
            let surely = zip(fixture.events, d).filter { $0.1 <= Self.b - 0.1 }.map(\.0)
            let maybe = zip(fixture.events, d).filter { $0.1 <= Self.b + 0.1 }.map(\.0)
            let p = try route(id)
            let events = try XCTUnwrap(p["events"] as? Int, "\(id).events")
            XCTAssert(surely.count <= events && events <= maybe.count,
                      "\(id): events \(events), expected \(surely.count)…\(maybe.count)")
            if surely.count == maybe.count {
                XCTAssertEqual(p["persons"] as? Int, surely.reduce(0) { $0 + $1.persons }, "\(id).persons")
                // w_i = 2^(−age/365), events weighting, default half-life 365 d.
                let weight = surely.reduce(0.0) { $0 + pow(2, -Double(asOf - $1.days) / 365) }
                XCTAssertEqual(try number(p, "weight"), weight, accuracy: 1e-9 * max(1, weight), "\(id).weight")
            }
        }
        // The fixture: 136 land events scattered ±1.1 km around R1, 12 sea events around R2.
        XCTAssertEqual(try route("R1")["events"] as? Int, 136)
        XCTAssertEqual(try route("R2")["events"] as? Int, 12)
        XCTAssertEqual(try route("R3")["events"] as? Int, 0)
    }

    /// expected, rate_ratio, risk, p_value and class recomputed from each route's weight,
    /// events and corridor (MODEL §9) with the formulas written out here.
    func testScoresFollowTheModelFormulas() throws {
        let all = try routes()
        let n = try all.map { try number($0, "weight") }
        let k = all.map { Double($0["events"] as? Int ?? -1) }
        let area = try all.map { try number($0, "corridor_km2") }
        let lambda = n.reduce(0, +) / area.reduce(0, +)
        let e = area.map { lambda * $0 }
        for (i, p) in all.enumerated() {
            XCTAssertEqual(try number(p, "expected"), e[i], accuracy: 1e-9 * e[i], "expected")
            XCTAssertEqual(try number(p, "rate_ratio"), n[i] / e[i], accuracy: 1e-9, "rate_ratio")
        }
        // Empirical Bayes (Marshall 1991).
        let m = n.reduce(0, +) / e.reduce(0, +)
        let theta = zip(n, e).map { $0 / $1 }
        let eBar = e.reduce(0, +) / Double(e.count)
        let s2 = max(0, zip(e, theta).reduce(0) { $0 + $1.0 * ($1.1 - m) * ($1.1 - m) } / e.reduce(0, +) - m / eBar)
        // Poisson upper tail P(X ≥ k), summed term by term (no 1 − CDF cancellation).
        func upperTail(_ mu: Double, _ k: Double) -> Double {
            if k <= 0 { return 1 }
            var total = 0.0
            var i = k
            while true {
                let term = exp(-mu + i * log(mu) - lgamma(i + 1))
                total += term
                if i > mu && term < total * 1e-17 { break }
                i += 1
            }
            return min(1, total)
        }
        let k0 = k.reduce(0, +) / area.reduce(0, +)
        for (i, p) in all.enumerated() {
            let c = s2 / (s2 + m / e[i])
            let risk = m + c * (theta[i] - m)
            XCTAssertEqual(try number(p, "risk"), risk, accuracy: 1e-9, "\(p["id"]!) risk")
            let pv = upperTail(k0 * area[i], k[i])
            XCTAssertEqual(try number(p, "p_value"), pv, accuracy: pv * 1e-6, "\(p["id"]!) p_value")
            let cls = risk >= 4 && pv < 0.01 ? "very_high" : risk >= 2 && pv < 0.05 ? "high" : risk >= 1 ? "elevated" : "low"
            XCTAssertEqual(p["class"] as? String, cls, "\(p["id"]!) class")
        }
    }

    // MARK: hotspots

    func testHotspotCells() throws {
        let doc = try jsonObject(try output().out.appendingPathComponent("hotspots.geojson"))
        let features = doc["features"] as? [[String: Any]] ?? []
        XCTAssertFalse(features.isEmpty)
        var previous: (Int, Int)?
        var events = 0
        for f in features {
            let p = f["properties"] as? [String: Any] ?? [:]
            let q = try XCTUnwrap(p["q"] as? Int), r = try XCTUnwrap(p["r"] as? Int)
            if let previous { XCTAssert(previous < (q, r), "cells not in (q, r) order: \(previous) then \((q, r))") }
            previous = (q, r)
            events += p["events"] as? Int ?? 0
            let z = try number(p, "gi_z"), pv = try number(p, "gi_p")
            let bin = try XCTUnwrap(p["gi_bin"] as? Int)
            XCTAssertEqual(pv, erfc(abs(z) / 2.0.squareRoot()), accuracy: 1e-12, "gi_p = erfc(|z|/√2) at \((q, r))")
            XCTAssert((-3...3).contains(bin), "gi_bin \(bin)")
            if bin != 0 { XCTAssertEqual(bin > 0, z > 0, "gi_bin sign follows z at \((q, r))") }
            XCTAssert(try number(p, "intensity_km2") > 0 || bin != 0 || (try number(p, "forecast")) > 0, "a cell written must have λ > 0, gi_bin ≠ 0 or forecast > 0")
            // The hexagon: six vertices at 0°, 60°, …, 300° (east first), closed, of area (√3/2)·s².
            let ring = ((f["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first ?? []
            XCTAssertEqual(ring.count, 7)
            let pts = ring.map { (lon: $0[0], lat: $0[1]) }
            XCTAssertEqual(pts[0].lon, pts.map(\.lon).max()!, accuracy: 1e-7, "east vertex first")
            let hexArea = 3.0.squareRoot() / 2 * Self.s * Self.s  // ≈ 21.65 km²
            XCTAssertEqual(WGS84.ringAreaKm2(pts), hexArea, accuracy: hexArea * 0.005, "hexagon area at \((q, r))")
        }
        // Every event's cell has λ > 0 (its distance to the centre is ≤ R = s/√3 ≈ 2.89 km, below
        // the smallest automatic bandwidth, 3 km ≥ s/2), so the cells written hold all 148 events.
        XCTAssertEqual(events, try TinyFixture.load().events.count)
    }

    // MARK: summary

    func testSummary() throws {
        let fixture = try TinyFixture.load()
        let summary = try jsonObject(try output().out.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["model"] as? String, "routerisk-2")
        let inputs = try XCTUnwrap(summary["inputs"] as? [String: Any])
        let i = try XCTUnwrap(inputs["interceptions"] as? [String: Any])
        let read = i["read"] as? Int, used = i["used"] as? Int, skipped = i["skipped"] as? Int
        let ow = i["outside_window"] as? Int, osa = i["outside_study_area"] as? Int
        XCTAssertEqual(read, fixture.events.count)
        XCTAssertEqual(read, (used ?? -1) + (skipped ?? -1) + (ow ?? -1) + (osa ?? -1), "read = used + skipped + outside_window + outside_study_area")
        XCTAssertEqual(skipped, 0)
        // Every tiny-scene event lies within a few km of a route, far inside the 50 km reach.
        XCTAssertEqual(used, fixture.events.count)
        for (layer, count) in [("coastline", 1), ("borders", 1), ("posts", 2), ("routes", 3)] {
            let c = inputs[layer] as? [String: Any]
            XCTAssertEqual(c?["read"] as? Int, count, layer)
            XCTAssertEqual(c?["used"] as? Int, count, layer)
        }
        let n = try XCTUnwrap(summary["n"] as? Int)
        XCTAssertGreaterThan(n, 0)
        let aKm2 = try XCTUnwrap((summary["A_km2"] as? NSNumber)?.doubleValue)
        // A = n · (3√3/2)·R² with R = s/√3, i.e. n · (√3/2)·s², s = 5 km.
        XCTAssertEqual(aKm2, Double(n) * 3.0.squareRoot() / 2 * 25, accuracy: 1e-9 * aKm2)
        let options = try XCTUnwrap(summary["options"] as? [String: Any])
        // as_of: the latest interception, 2024-12-28.
        XCTAssertEqual(try TinyFixture.civilDays("2024-12-28"), fixture.events.map(\.days).max())
        XCTAssertEqual(options["as_of"] as? String, "2024-12-28T00:00:00Z")
        XCTAssertEqual((options["cell_km"] as? NSNumber)?.doubleValue, 5)
        // LAEA centred on the middle of the geography's lon/lat box (not the events').
        let lons = fixture.geographyVertices.map(\.lon), lats = fixture.geographyVertices.map(\.lat)
        let lon0 = (lons.min()! + lons.max()!) / 2, lat0 = (lats.min()! + lats.max()!) / 2  // 110.00, 0.75
        let crs = try XCTUnwrap(options["crs"] as? String)
        XCTAssertTrue(crs.contains("+proj=laea"), crs)
        XCTAssertTrue(crs.contains(String(format: "+lat_0=%.2f", lat0)), crs)
        XCTAssertTrue(crs.contains(String(format: "+lon_0=%.2f", lon0)), crs)
        XCTAssertNotNil(summary["stages_s"] as? [String: Any])
        XCTAssertEqual((summary["problems"] as? [Any])?.count, 0)
    }
}

import Foundation
import XCTest

/// `routerisk plan` (MODEL §14) run as a user would, on the tiny scene.
final class PlanCommandTests: XCTestCase {
    func plan(_ dir: TemporaryDirectory, _ extra: [String] = [], out: String = "out", status: Int32 = 0) throws -> CLI.Result {
        try CLI.assertExit(status, ["plan", "--scene", Paths.tinyScene.path, "--out", dir.path(out).path] + extra, timeout: 120)
    }

    func testPlanWritesTheThreeOutputsWithAProvenGap() throws {
        let dir = try TemporaryDirectory()
        let r = try plan(dir, ["--teams", "3"])
        XCTAssertEqual(TemporaryDirectory.entries(dir.path("out")), ["plan-summary.json", "plan.geojson", "plan.html"])
        let s = try jsonObject(dir.path("out/plan-summary.json"))
        XCTAssertEqual(s["status"] as? String, "optimal")
        let objective = s["objective"] as! Double, bound = s["bound"] as! Double, total = s["demand_total"] as! Double
        XCTAssertLessThanOrEqual(s["gap"] as! Double, 1e-4)
        XCTAssertEqual(s["gap"] as! Double, (bound - objective) / bound, accuracy: 1e-12)
        XCTAssertEqual(s["plan_share"] as! Double, objective / total, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(bound, objective)
        let teams = s["teams"] as! [[String: Any]]
        XCTAssertEqual(teams.map { $0["team"] as! Int }, [1, 2, 3])
        // Team gains add up to the objective and come largest first (the greedy numbering).
        let gains = teams.map { $0["covered_expected"] as! Double }
        XCTAssertEqual(gains.reduce(0, +), objective, accuracy: 1e-9 * objective)
        XCTAssertEqual(gains, gains.sorted(by: >))
        let options = s["options"] as! [String: Any]
        XCTAssertEqual(options["teams"] as? Int, 3)
        XCTAssertEqual(options["radius_km"] as? Double, 15)
        XCTAssertEqual(options["post_radius_km"] as? Double, 0)
        XCTAssertEqual(options["time_limit_s"] as? Double, 60)
        XCTAssertEqual(options["forecast"] as? String, "routerisk-2")
        XCTAssertEqual(options["horizon_days"] as? Double, 30)
        XCTAssertEqual(s["model"] as? String, "routerisk-2")
        XCTAssertEqual(s["demand_unit"] as? String, "expected events over the horizon")
        XCTAssertEqual(options["sites"] as? String, "cells")
        // stdout: header, three team rows, the totals line with status and gap.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("team  site") && $0.contains("covered expected") && $0.contains("routes") })
        XCTAssertEqual(lines.filter { $0.range(of: #"^\s+[123]\s+\d"#, options: .regularExpression) != nil }.count, 3, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("total ") && $0.contains("status optimal") && $0.contains("gap ") }, r.stdout)
    }

    /// Each feature is the team's disc: every vertex at ρ = 15 km from the site (checked in an
    /// independent local frame on the WGS84 ellipsoid), the site inside; RFC 7946 as the other writers.
    func testPlanGeoJSONHasOneDiscPerTeam() throws {
        let dir = try TemporaryDirectory()
        try plan(dir, ["--teams", "4"])
        let fixture = try TinyFixture.load()
        // The §9 ranking as of the same time, from `score`: a team's routes come in this order.
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("score").path, "--quiet"], timeout: 120)
        let ranked = ((try JSONSerialization.jsonObject(with: Data(contentsOf: dir.path("score/routes.geojson"))) as! [String: Any])["features"]
            as! [[String: Any]]).map { ($0["properties"] as! [String: Any])["id"] as! String }
        let posts: [(name: String, lon: Double, lat: Double)] = [("Post A", 110.0, 1.0), ("Port B", 109.6, 0.5)]
        let data = try Data(contentsOf: dir.path("out/plan.geojson"))
        try GeoJSONChecks.assertRFC7946(data, name: "plan.geojson")
        let doc = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let features = doc["features"] as! [[String: Any]]
        XCTAssertEqual(features.count, 4)
        for f in features {
            let p = f["properties"] as! [String: Any]
            XCTAssertEqual(Set(p.keys), [
                "team", "site_lon", "site_lat", "q", "r", "covered_expected", "share", "routes", "nearest_post",
                "nearest_post_km", "explanation",
            ])
            let site = (lon: p["site_lon"] as! Double, lat: p["site_lat"] as! Double)
            let ring = ((f["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]])[0]
            XCTAssertEqual(ring.count, 4 * 16 + 1)
            for v in ring {
                let local = WGS84.local((v[0], v[1]), origin: site)
                XCTAssertEqual((local.x * local.x + local.y * local.y).squareRoot(), 15, accuracy: 0.05)
            }
            XCTAssertFalse((p["explanation"] as! String).isEmpty)
            // Routes: a corridor (half-width 2 km) meets the disc (15 km) when the route passes
            // within 17 km of the site; cases within 0.3 km of that are left to the polygons.
            let order = (p["routes"] as! String).split(separator: ",").map(String.init)
            XCTAssertEqual(order, ranked.filter { order.contains($0) }, "routes by rank")
            let listed = Set(order)
            for route in fixture.routes {
                let d = WGS84.distanceKm(site, toLine: route.coordinates)
                if d < 16.7 { XCTAssertTrue(listed.contains(route.id), "route \(route.id) at \(d) km") }
                if d > 17.3 { XCTAssertFalse(listed.contains(route.id), "route \(route.id) at \(d) km") }
            }
            // The nearest post (either kind) and its distance.
            let distances = posts.map { post -> Double in
                let l = WGS84.local((post.lon, post.lat), origin: site)
                return (l.x * l.x + l.y * l.y).squareRoot()
            }
            let nearest = distances.indices.min { distances[$0] < distances[$1] }!
            XCTAssertEqual(p["nearest_post"] as? String, posts[nearest].name)
            XCTAssertEqual(p["nearest_post_km"] as! Double, distances[nearest], accuracy: 0.05)
        }
    }

    func testSitesOutsideTheStudyAreaAreReportedAndSkipped() throws {
        let dir = try TemporaryDirectory()
        // Two sites on route R1 (inside), one at 100° E (far outside the tiny scene).
        let sites = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"camp 1"},"geometry":{"type":"Point","coordinates":[110.2,1.05]}},
            {"type":"Feature","properties":{"name":"far away"},"geometry":{"type":"Point","coordinates":[100.0,1.0]}},
            {"type":"Feature","properties":{"name":"camp 2"},"geometry":{"type":"Point","coordinates":[110.2,0.85]}}
            ]}
            """
        try sites.write(to: dir.path("sites.geojson"), atomically: true, encoding: .utf8)
        let r = try plan(dir, ["--teams", "2", "--sites", dir.path("sites.geojson").path])
        XCTAssertTrue(r.stderr.contains("sites.geojson: feature 2: site outside the study area (skipped)"), r.stderr)
        let s = try jsonObject(dir.path("out/plan-summary.json"))
        XCTAssertEqual(s["sites_read"] as? Int, 3)
        XCTAssertEqual(s["candidate_sites"] as? Int, 2)
        XCTAssertEqual((s["sites_skipped"] as! [String]).count, 1)
        let teams = s["teams"] as! [[String: Any]]
        XCTAssertEqual(Set(teams.map { ($0["site_lat"] as! Double * 100).rounded() }), [105, 85])
        XCTAssertFalse(try String(contentsOf: dir.path("out/plan.html"), encoding: .utf8).contains("far away"),
                       "no field of the sites layer reaches an output")
    }

    /// Exit 64 (usage): the request cannot be met with the sites given; nothing is written.
    func testMoreTeamsThanSitesIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let sites = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[110.2,1.05]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[110.2,0.85]}}
            ]}
            """
        try sites.write(to: dir.path("sites.geojson"), atomically: true, encoding: .utf8)
        let r = try plan(dir, ["--teams", "3", "--sites", dir.path("sites.geojson").path], status: 64)
        XCTAssertTrue(r.stderr.contains("--teams 3: more teams than candidate sites (2"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("out").path))
        try plan(dir, ["--teams", "0"], status: 64)
        try plan(dir, ["--solver", "exact"], status: 64)
        try plan(dir, ["--time-limit", "-1s"], status: 64)
    }

    func testGreedySolverReportsItsCertificate() throws {
        let dir = try TemporaryDirectory()
        try plan(dir, ["--teams", "4", "--solver", "greedy"])
        let s = try jsonObject(dir.path("out/plan-summary.json"))
        XCTAssertEqual(s["status"] as? String, "greedy")
        XCTAssertEqual(s["solver"] as? String, "greedy")
        // K = 4: 1 − (3/4)⁴ = 1 − 81/256 = 175/256.
        XCTAssertEqual(s["bound"] as! Double, (s["objective"] as! Double) * 256 / 175, accuracy: 1e-9)
        // The exact plan covers at least as much.
        try plan(dir, ["--teams", "4"], out: "exact")
        let e = try jsonObject(dir.path("exact/plan-summary.json"))
        XCTAssertGreaterThanOrEqual((e["objective"] as! Double) * (1 + 1e-9), s["objective"] as! Double)
        XCTAssertEqual(e["greedy_objective"] as! Double, s["objective"] as! Double, accuracy: 1e-12)
    }

    /// Posts watching 40 km around them: Post A (110.0°, 1.0°) then watches route R1 (110.2°, 22 km
    /// east) and its events; the watched demand is reported and the plan covers none of it.
    func testPostRadiusExcludesWatchedDemand() throws {
        let dir = try TemporaryDirectory()
        try plan(dir, ["--teams", "2"], out: "free")
        try plan(dir, ["--teams", "2", "--post-radius", "40km"], out: "posts")
        let free = try jsonObject(dir.path("free/plan-summary.json")), posts = try jsonObject(dir.path("posts/plan-summary.json"))
        let watched = posts["demand_post_covered"] as! Double
        XCTAssertEqual(free["demand_post_covered"] as? Double, 0)
        XCTAssertGreaterThan(watched, 0)
        XCTAssertGreaterThan(posts["cells_post_covered"] as! Int, 0)
        // The plan can only cover demand outside the posts' discs.
        XCTAssertLessThanOrEqual(posts["objective"] as! Double, (posts["demand_total"] as! Double) - watched + 1e-9)
        XCTAssertEqual(posts["demand_total"] as! Double, free["demand_total"] as! Double, accuracy: 1e-12)
    }

    func testPlanIsByteIdenticalAcrossRunsAndThreadCountsAndFormatsGpkg() throws {
        let dir = try TemporaryDirectory()
        try plan(dir, [], out: "a")
        try plan(dir, ["--threads", "1"], out: "b")
        try plan(dir, ["--threads", "2"], out: "c")
        for name in ["plan.geojson", "plan.html"] {
            XCTAssertEqual(try Data(contentsOf: dir.path("a/\(name)")), try Data(contentsOf: dir.path("b/\(name)")), name)
            XCTAssertEqual(try Data(contentsOf: dir.path("b/\(name)")), try Data(contentsOf: dir.path("c/\(name)")), name)
        }
        XCTAssertEqual((try jsonObject(dir.path("b/plan-summary.json"))["options"] as! [String: Any])["threads"] as? Int, 1)
        let a = try jsonObject(dir.path("a/plan-summary.json")), b = try jsonObject(dir.path("b/plan-summary.json"))
        XCTAssertEqual(a["objective"] as? Double, b["objective"] as? Double)
        XCTAssertEqual(a["bound"] as? Double, b["bound"] as? Double)
        try plan(dir, ["--format", "gpkg"], out: "g")
        XCTAssertEqual(TemporaryDirectory.entries(dir.path("g")), ["plan-summary.json", "plan.gpkg", "plan.html"])
        let info = Process()
        info.executableURL = URL(fileURLWithPath: "/usr/bin/ogrinfo")
        info.arguments = ["-ro", "-so", "-al", dir.path("g/plan.gpkg").path]
        let pipe = Pipe()
        info.standardOutput = pipe
        try info.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        info.waitUntilExit()
        XCTAssertTrue(text.contains("Layer name: plan"), text)
        XCTAssertTrue(text.contains("Feature Count: 5"), text)
        // Existing outputs without --overwrite: exit 73.
        try plan(dir, [], out: "a", status: 73)
    }

    func testJSONPrintsTheSummary() throws {
        let dir = try TemporaryDirectory()
        let r = try plan(dir, ["--teams", "1", "--json"])
        let printed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(printed["objective"] as? Double, try jsonObject(dir.path("out/plan-summary.json"))["objective"] as? Double)
    }

    /// A larger instance (cells of 500 m, 1.5 km teams: tens of thousands of sites) with a 1 s
    /// limit: the solve stops near the limit (the greedy and building the MIP count in it) and, when
    /// GLPK had to stop, the plan is the incumbent with a positive gap and a proven bound.
    func testTheTimeLimitIsHonouredAndTheIncumbentComesWithItsGap() throws {
        let dir = try TemporaryDirectory()
        let r = try plan(dir, ["--forecast", "kde", "--cell", "500m", "--teams", "8", "--radius", "1.5km", "--bandwidth", "5km", "--time-limit", "1s"])
        let s = try jsonObject(dir.path("out/plan-summary.json"))
        XCTAssertLessThan(s["time_s"] as! Double, 2.5, "the 1 s limit was not honoured")
        XCTAssertEqual((s["options"] as! [String: Any])["time_limit_s"] as? Double, 1)
        let objective = s["objective"] as! Double, bound = s["bound"] as! Double
        XCTAssertGreaterThanOrEqual(objective, s["greedy_objective"] as! Double)
        XCTAssertGreaterThanOrEqual(bound, objective)
        switch s["status"] as! String {
        case "time_limit":
            XCTAssertGreaterThan(s["gap"] as! Double, 0)
            XCTAssertTrue(r.stdout.contains("status time_limit"), r.stdout)
        case "optimal":
            XCTAssertLessThanOrEqual(s["gap"] as! Double, 1e-4)  // a machine fast enough to finish in 1 s
        default:
            XCTFail("status \(s["status"]!)")
        }
    }

    /// The demand is the forecast (MODEL §13) over the horizon, or §5's λ·a with `--forecast kde`:
    /// Σ d_j is then the summary's expected events over the horizon, and doubling the horizon
    /// doubles every demand (the forecast is λ(c)·Δ), so the same plan covers twice as much.
    func testTheDemandIsTheForecastOverTheHorizon() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("score").path, "--quiet"], timeout: 120)
        let forecast = try jsonObject(dir.path("score/summary.json"))["forecast"] as? [String: Any]
        try plan(dir, ["--teams", "2"], out: "h30")
        try plan(dir, ["--teams", "2", "--horizon", "60d"], out: "h60")
        try plan(dir, ["--teams", "2", "--forecast", "kde"], out: "kde")
        let h30 = try jsonObject(dir.path("h30/plan-summary.json")), h60 = try jsonObject(dir.path("h60/plan-summary.json"))
        let kde = try jsonObject(dir.path("kde/plan-summary.json"))
        XCTAssertEqual(h60["demand_total"] as! Double, 2 * (h30["demand_total"] as! Double), accuracy: 1e-9)
        XCTAssertEqual(h60["objective"] as! Double, 2 * (h30["objective"] as! Double), accuracy: 1e-9)
        XCTAssertEqual((h60["teams"] as! [[String: Any]]).map { $0["q"] as! Int }, (h30["teams"] as! [[String: Any]]).map { $0["q"] as! Int })
        XCTAssertEqual((kde["options"] as! [String: Any])["forecast"] as? String, "kde")
        XCTAssertEqual(kde["model"] as? String, "routerisk-1")
        XCTAssertNotEqual(kde["demand_total"] as? Double, h30["demand_total"] as? Double)
        // Σ d_j is the forecast's total that `score` reports for the same scene and as_of.
        let total = try XCTUnwrap(forecast?["expected_events"] as? Double)
        XCTAssertEqual(h30["demand_total"] as! Double, total, accuracy: 1e-9 * max(1, total))
    }
}

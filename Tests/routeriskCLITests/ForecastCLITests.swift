import Foundation
import XCTest

/// MODEL §13 through the built binary: the outputs it adds, its options and their usage errors,
/// replay's `--forecast`, and byte-identical outputs whatever the number of worker threads (`--threads`).
final class ForecastCLITests: XCTestCase {
    func testScoreWritesTheForecastOutputs() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--horizon", "14d"])
        XCTAssertTrue(r.stdout.contains("next 14 d"), r.stdout)
        let summary = try jsonObject(out.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["model"] as? String, "routerisk-2")
        let f = try XCTUnwrap(summary["forecast"] as? [String: Any])
        XCTAssertEqual(f["horizon_days"] as? Double, 14)
        XCTAssertEqual(f["attribution_distance_km"] as? Double, 3)
        XCTAssertEqual(f["attribution_window_days"] as? Double, 180)
        XCTAssertEqual(f["forecast_half_life_days"] as? Double, 90)
        XCTAssertEqual(f["background_bandwidth_km"] as? Double, 5)
        XCTAssertEqual(f["background_half_life_days"] as? Double, 730)
        XCTAssertNotNil(f["jitter_km"] as? Double)
        XCTAssertTrue((f["jitter_rule"] as? String ?? "").hasPrefix("auto"))
        let share = try XCTUnwrap(f["route_share"] as? Double)
        XCTAssertGreaterThan(share, 0)
        XCTAssertLessThanOrEqual(share, 1)
        // Σ expected_next over the routes ≤ ... and every route has one; Σ forecast over written cells
        // equals the summary's expected_events (every cell with forecast > 0 is written).
        let routes = try jsonObject(out.appendingPathComponent("routes.geojson"))["features"] as? [[String: Any]] ?? []
        for route in routes {
            let p = route["properties"] as? [String: Any] ?? [:]
            let next = try XCTUnwrap((p["expected_next"] as? NSNumber)?.doubleValue)
            XCTAssertGreaterThanOrEqual(next, 0)
            XCTAssertTrue((p["explanation"] as? String ?? "").contains("expected in the next 14 days"), "\(p)")
        }
        let cells = try jsonObject(out.appendingPathComponent("hotspots.geojson"))["features"] as? [[String: Any]] ?? []
        let total = cells.reduce(0.0) { $0 + ((($1["properties"] as? [String: Any])?["forecast"] as? NSNumber)?.doubleValue ?? 0) }
        XCTAssertEqual(total, try XCTUnwrap(f["expected_events"] as? Double), accuracy: 1e-9 * max(1, total))
    }

    func testForecastOptionsInSceneTomlAndTheirUsageErrors() throws {
        let dir = try TemporaryDirectory()
        let scene = try dir.copyTinyScene()
        let toml = scene.appendingPathComponent("scene.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        try (text + "jitter = \"800m\"\nforecast-half-life = \"none\"\n").write(to: toml, atomically: true, encoding: .utf8)
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", out.path, "--quiet"])
        let f = try XCTUnwrap(try jsonObject(out.appendingPathComponent("summary.json"))["forecast"] as? [String: Any])
        XCTAssertEqual(f["jitter_km"] as? Double, 0.8)
        XCTAssertEqual(f["jitter_rule"] as? String, "given")
        XCTAssertTrue(f["forecast_half_life_days"] is NSNull || f["forecast_half_life_days"] == nil)
        for (flag, value) in [("--jitter", "wide"), ("--attribution-distance", "-3km"), ("--attribution-window", "x"),
                              ("--forecast-half-life", "0d"), ("--background-bandwidth", "0"), ("--background-half-life", "soon"),
                              ("--horizon", "none")] {
            let r = try CLI.assertExit(64, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("bad").path, flag, value])
            XCTAssertTrue(r.stderr.contains(flag), r.stderr)
        }
        let r = try CLI.assertExit(64, ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2023-06-01",
                                        "--forecast", "magic", "--out", dir.path("bad").path])
        XCTAssertTrue(r.stderr.contains("--forecast"), r.stderr)
    }

    func testReplaySaysWhichForecastRanAndKdeIsRouteriskOne() throws {
        let dir = try TemporaryDirectory()
        let args = ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "90d", "--quiet"]
        try CLI.assertExit(0, args + ["--out", dir.path("r2").path])
        try CLI.assertExit(0, args + ["--out", dir.path("kde").path, "--forecast", "kde"])
        let r2 = try XCTUnwrap(try jsonObject(dir.path("r2").appendingPathComponent("replay-summary.json"))["summary"] as? [String: Any])
        let kde = try XCTUnwrap(try jsonObject(dir.path("kde").appendingPathComponent("replay-summary.json"))["summary"] as? [String: Any])
        XCTAssertEqual(r2["forecast"] as? String, "routerisk-2")
        XCTAssertEqual(r2["model"] as? String, "routerisk-2")
        XCTAssertEqual(kde["forecast"] as? String, "kde")
        XCTAssertEqual(kde["model"] as? String, "routerisk-1")
        // The KDE map scored inside the routerisk-2 replay is the --forecast kde replay's own mean PAI.
        XCTAssertEqual(try XCTUnwrap(r2["mean_kde_pai"] as? Double), try XCTUnwrap(kde["mean_pai"] as? Double), accuracy: 1e-12)
        // The naive baseline does not depend on the forecast.
        XCTAssertEqual(r2["mean_baseline_pai"] as? Double, kde["mean_baseline_pai"] as? Double)
        let columns = try String(contentsOf: dir.path("r2").appendingPathComponent("replay-metrics.csv"), encoding: .utf8)
            .split(separator: "\n")[0]
        XCTAssertEqual(columns, "step,start,end,test_events,hit_rate,area_fraction,pai,pei_star,route_hit_rate,baseline_hit_rate,baseline_pai")
    }

    func testOutputsAreIdenticalWithOneOrThreeWorkerThreads() throws {
        let dir = try TemporaryDirectory()
        for threads in ["1", "3"] {
            try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("s\(threads)").path, "--quiet",
                                   "--threads", threads])
            try CLI.assertExit(0, ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-06-01",
                                   "--step", "90d", "--quiet", "--out", dir.path("r\(threads)").path, "--threads", threads])
        }
        for name in ["routes.geojson", "hotspots.geojson"] {
            XCTAssertEqual(try Data(contentsOf: dir.path("s1").appendingPathComponent(name)),
                           try Data(contentsOf: dir.path("s3").appendingPathComponent(name)), name)
        }
        for name in ["replay-metrics.csv", "replay.geojson"] {
            XCTAssertEqual(try Data(contentsOf: dir.path("r1").appendingPathComponent(name)),
                           try Data(contentsOf: dir.path("r3").appendingPathComponent(name)), name)
        }
        // replay-summary.json records the command as typed (--threads differs): the rest is the same.
        XCTAssertEqual(try summaryWithoutCommandLine(dir.path("r1").appendingPathComponent("replay-summary.json")),
                       try summaryWithoutCommandLine(dir.path("r3").appendingPathComponent("replay-summary.json")))
    }
}

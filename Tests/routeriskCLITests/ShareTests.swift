import Foundation
import XCTest

/// `--share K` (docs/PRIVACY.md): small counts withheld in every output, no event point,
/// and no input field other than MODEL §11's in any output of any mode.
final class ShareTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil; super.tearDown() }

    /// Tokens planted in the personal columns: none may appear in any output.
    private let personalTokens = ["Qzname", "PXQ9", "+62-811-777", "passport", "phone"]

    /// The tiny scene with `name`, `passport` and `phone` columns added to every interception
    /// (CSV), or the same records as a GeoJSON point layer with those properties.
    private func personalScene(_ name: String, geojson: Bool = false) throws -> URL {
        let scene = try dir.copyTinyScene(name)
        let csv = scene.appendingPathComponent("interceptions.csv")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        var out = [lines[0] + ",name,passport,phone"]
        var features: [String] = []
        for (i, line) in lines.dropFirst().enumerated() {
            let personal = ("Qzname Person \(i)", "PXQ9\(String(format: "%05d", i))", "+62-811-777\(String(format: "%04d", i))")
            out.append(line + ",\(personal.0),\(personal.1),\(personal.2)")
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            features.append("""
                {"type":"Feature","properties":{"id":"\(f[0])","date":"\(f[1])","persons":\(f[4].isEmpty ? "null" : f[4]),\
                "category":"\(f[5])","mode":"\(f[6])","name":"\(personal.0)","passport":"\(personal.1)","phone":"\(personal.2)"},\
                "geometry":{"type":"Point","coordinates":[\(f[2]),\(f[3])]}}
                """)
        }
        try (out.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        if geojson {
            try #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ",\n"))]}"#
                .write(to: scene.appendingPathComponent("interceptions.geojson"), atomically: true, encoding: .utf8)
            let toml = scene.appendingPathComponent("scene.toml")
            let text = try String(contentsOf: toml, encoding: .utf8)
            try text.replacingOnce("interceptions.csv", with: "interceptions.geojson").write(to: toml, atomically: true, encoding: .utf8)
        }
        return scene
    }

    private func assertNoPersonalField(in data: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for token in personalTokens where data.range(of: Data(token.utf8)) != nil {
            XCTFail("\(what) carries the personal field token '\(token)'", file: file, line: line)
        }
    }

    private func assertNoPersonalField(under directory: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let files = TemporaryDirectory.entries(directory)
        XCTAssertFalse(files.isEmpty, "nothing written under \(directory.path)", file: file, line: line)
        for name in files {
            var isDirectory: ObjCBool = false
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            assertNoPersonalField(in: try Data(contentsOf: url), name, file: file, line: line)
        }
    }

    func testNoPersonalFieldReachesAnyOutputInAnyMode() throws {
        for geojson in [false, true] {
            let scene = try personalScene(geojson ? "scene-geojson" : "scene-csv", geojson: geojson)
            let tag = geojson ? "geojson" : "csv"
            let runs: [[String]] = [
                ["score", "--scene", scene.path, "--out", dir.path("score-\(tag)").path],
                ["score", "--scene", scene.path, "--out", dir.path("score-share-\(tag)").path, "--share", "3", "--all-cells"],
                ["score", "--scene", scene.path, "--out", dir.path("score-gpkg-\(tag)").path, "--format", "gpkg"],
                ["score", "--scene", scene.path, "--out", dir.path("score-json-\(tag)").path, "--json"],
                ["replay", "--scene", scene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "90d",
                 "--coverage", "5%", "--out", dir.path("replay-\(tag)").path,
                 "--notebook", dir.path("replay-\(tag)/workshop.ipynb").path],
                ["replay", "--scene", scene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "90d",
                 "--out", dir.path("replay-share-\(tag)").path, "--share", "3",
                 "--notebook", dir.path("replay-share-\(tag)/workshop.ipynb").path],
                ["replay", "--scene", scene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "90d",
                 "--out", dir.path("replay-gpkg-\(tag)").path, "--format", "gpkg", "--json"],
                ["validate", "--scene", scene.path],
            ]
            for args in runs {
                let r = try CLI.assertExit(0, args, timeout: 300)
                assertNoPersonalField(in: Data(r.stdout.utf8), "stdout of \(args.joined(separator: " "))")
                assertNoPersonalField(in: Data(r.stderr.utf8), "stderr of \(args.joined(separator: " "))")
            }
            for out in ["score", "score-share", "score-gpkg", "score-json", "replay", "replay-share", "replay-gpkg"] {
                try assertNoPersonalField(under: dir.path("\(out)-\(tag)"))
            }
        }
    }

    private func features(_ url: URL) throws -> [[String: Any]] {
        let object = try jsonObject(url)
        return (object["features"] as? [[String: Any]] ?? []).map { $0["properties"] as? [String: Any] ?? [:] }
    }

    /// Two significant digits by printf's `%.1e`, independent of the code's rounding.
    private func twoDigits(_ v: Double) -> Double { Double(String(format: "%.1e", v))! }

    func testSmallCountsAreWithheldAndAggregatesKept() throws {
        let plain = dir.path("plain"), shared = dir.path("shared")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", plain.path, "--quiet"])
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", shared.path, "--share", "5", "--quiet"])
        let a = try features(plain.appendingPathComponent("hotspots.geojson"))
        let b = try features(shared.appendingPathComponent("hotspots.geojson"))
        XCTAssertEqual(a.count, b.count)
        var withheld = 0
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x["q"] as? Int, y["q"] as? Int)
            XCTAssertEqual(x["r"] as? Int, y["r"] as? Int)
            for key in ["gi_z", "gi_p", "gi_bin", "emerging"] {
                XCTAssertEqual("\(x[key] ?? "nil")", "\(y[key] ?? "nil")", "\(key) is an aggregate and stays")
            }
            let events = x["events"] as! Int
            let intensity = x["intensity_km2"] as! Double
            if (1...4).contains(events) {
                withheld += 1
                XCTAssertTrue(y["events"] is NSNull, "cell \(x["q"]!),\(x["r"]!) with \(events) events")
                XCTAssertTrue(y["weight"] is NSNull)
                XCTAssertEqual(y["intensity_km2"] as! Double, twoDigits(intensity), accuracy: twoDigits(intensity) * 1e-12)
            } else {
                XCTAssertEqual(y["events"] as? Int, events)
                XCTAssertEqual(y["weight"] as? Double, x["weight"] as? Double)
                XCTAssertEqual(y["intensity_km2"] as? Double, intensity)
            }
        }
        XCTAssertGreaterThan(withheld, 1, "the fixture has several small cells")
        let summary = try jsonObject(shared.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["share_min_count"] as? Int, 5)
        let suppressed = summary["suppressed"] as? [String: Any]
        XCTAssertEqual(suppressed?["cells"] as? Int, withheld)
        XCTAssertEqual(suppressed?["values"] as? Int, 3 * withheld, "events, weight and intensity of each cell")
        XCTAssertNil(try jsonObject(plain.appendingPathComponent("summary.json"))["share_min_count"])
    }

    /// The tiny scene's R2 has 12 events: `--share 13` withholds it, and R1 (136 events) with it,
    /// since the average route rate in summary.json would give a single withheld weight back.
    func testRouteCountsExplanationsAndStdout() throws {
        let plain = dir.path("plain"), shared = dir.path("shared")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", plain.path, "--quiet"])
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", shared.path, "--share", "13"])
        let a = Dictionary(uniqueKeysWithValues: try features(plain.appendingPathComponent("routes.geojson")).map { ($0["id"] as! String, $0) })
        let b = Dictionary(uniqueKeysWithValues: try features(shared.appendingPathComponent("routes.geojson")).map { ($0["id"] as! String, $0) })
        XCTAssertEqual(a["R2"]?["events"] as? Int, 12)
        XCTAssertEqual(a["R1"]?["events"] as? Int, 136)
        for id in ["R1", "R2"] {
            for key in ["events", "weight", "persons", "rate_ratio", "p_value"] {
                XCTAssertTrue(b[id]?[key] is NSNull, "\(id) \(key)")
            }
            XCTAssertEqual(b[id]?["risk"] as? Double, a[id]?["risk"] as? Double)
            XCTAssertEqual(b[id]?["class"] as? String, a[id]?["class"] as? String)
        }
        XCTAssertEqual(b["R3"]?["events"] as? Int, 0, "a route with no event is unaffected")
        let e2 = b["R2"]?["explanation"] as? String ?? ""
        XCTAssertTrue(e2.hasPrefix("fewer than 13 interceptions within 2 km"), e2)
        XCTAssertFalse(e2.contains("persons"))
        XCTAssertTrue((b["R1"]?["explanation"] as? String ?? "").hasPrefix("a withheld number of interceptions"))
        let table = r.stdout.split(separator: "\n")
        XCTAssertTrue(table.contains { $0.contains("R2") && $0.contains("<13") }, r.stdout)
        XCTAssertTrue(table.contains { $0.contains("R1") && $0.contains("withheld") }, r.stdout)
        XCTAssertFalse(table.contains { $0.contains(" 136 ") || $0.contains(" 12 ") && $0.contains("R2") }, r.stdout)
    }

    func testSceneTomlSetsShareAndKBelowTwoIsAUsageError() throws {
        let scene = try dir.copyTinyScene()
        let toml = scene.appendingPathComponent("scene.toml")
        try (try String(contentsOf: toml, encoding: .utf8) + "share = 4\n").write(to: toml, atomically: true, encoding: .utf8)
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", dir.path("out").path, "--quiet"])
        XCTAssertEqual(try jsonObject(dir.path("out/summary.json"))["share_min_count"] as? Int, 4)
        let r = try CLI.assertExit(64, ["score", "--scene", scene.path, "--out", dir.path("out1").path, "--share", "1"])
        XCTAssertTrue(r.stderr.contains("--share"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("out1").path))
    }

    /// The plan metrics are rates over each step's test events: a shared replay leaves them out, and says so.
    func testSharedReplayLeavesOutThePlanMetricsAndSaysSo() throws {
        let plain = dir.path("plain"), shared = dir.path("shared")
        let common = ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2023-06-01", "--step", "60d",
                      "--coverage", "5%", "--plan-teams", "2", "--quiet"]
        let p = try CLI.assertExit(0, common + ["--out", plain.path])
        XCTAssertFalse(p.stderr.contains("--plan-teams"), p.stderr)
        let s = try CLI.assertExit(0, common + ["--out", shared.path, "--share", "5"])
        XCTAssertTrue(s.stderr.contains("--share 5 leaves out the plan metrics of --plan-teams"), s.stderr)
        func header(_ out: URL) throws -> String {
            String(try String(contentsOf: out.appendingPathComponent("replay-metrics.csv"), encoding: .utf8).prefix { $0 != "\n" })
        }
        XCTAssertTrue(try header(plain).contains("plan_hit_rate"))
        XCTAssertFalse(try header(shared).contains("plan"))
        func summary(_ out: URL) throws -> String {
            String(decoding: try Data(contentsOf: out.appendingPathComponent("replay-summary.json")), as: UTF8.self)
        }
        XCTAssertTrue(try summary(plain).contains("\"plan_teams\""))
        XCTAssertFalse(try summary(shared).contains("plan_"), "no plan key in the shared summary")
    }

    func testSharedReplayShowsNoEventPoint() throws {
        let plain = dir.path("plain"), shared = dir.path("shared")
        let common = ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2023-12-01", "--step", "30d",
                      "--coverage", "5%", "--quiet"]
        try CLI.assertExit(0, common + ["--out", plain.path])
        try CLI.assertExit(0, common + ["--out", shared.path, "--share", "5", "--notebook", shared.appendingPathComponent("w.ipynb").path])
        let layer = try features(shared.appendingPathComponent("replay.geojson"))
        XCTAssertEqual(Set(layer.map { $0["kind"] as! String }), ["predicted_cell", "elsewhere"])
        XCTAssertEqual(layer.filter { $0["kind"] as? String == "elsewhere" }.count, 12, "one per step")
        XCTAssertFalse(layer.contains { $0["persons"] != nil || $0["date"] != nil })
        // Every step's count from 1 to 4 is empty in the shared CSV, the others equal.
        func rows(_ url: URL) throws -> [[String]] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let a = try rows(plain.appendingPathComponent("replay-metrics.csv"))
        let b = try rows(shared.appendingPathComponent("replay-metrics.csv"))
        var small = 0
        for (x, y) in zip(a, b) {
            let n = Int(x[3])!
            if (1...4).contains(n) {
                small += 1
                XCTAssertEqual(y[3], "")
                XCTAssertEqual(y[4], "", "hit rate withheld with the count")
            } else {
                XCTAssertEqual(y[3], x[3])
            }
        }
        XCTAssertGreaterThan(small, 0, "the tiny scene has months with few events")
        // The page's data and the notebook: no event point.
        let page = try String(contentsOf: shared.appendingPathComponent("replay.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("\"events\":[["))
        XCTAssertTrue(page.contains("\"share_min_count\":5"))
        let notebook = try String(contentsOf: shared.appendingPathComponent("w.ipynb"), encoding: .utf8)
        XCTAssertFalse(notebook.contains("r=\\\"3.5\\\""), "no event marker in the saved maps")
        let summary = try jsonObject(shared.appendingPathComponent("replay-summary.json"))
        XCTAssertEqual(summary["share_min_count"] as? Int, 5)
        XCTAssertEqual((summary["suppressed"] as? [String: Any])?["replay_steps"] as? Int, small)
    }
}

import Foundation
import XCTest

/// One test per input rule of MODEL §1. Each copies the tiny scene, breaks one thing and checks:
/// `score` exits 65 naming the file, the line (CSV) or feature number (OGR) and the reason, and
/// writes nothing; `validate` prints the same problem and exits 65; `score --skip-invalid`
/// succeeds and counts and lists the problem in summary.json.
final class ValidationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
    }

    override func tearDown() {
        dir = nil
        super.tearDown()
    }

    // MARK: helpers

    private enum Where {
        /// A CSV row, by the interception id it starts with in the fixture.
        case csvRow(String)
        /// A physical CSV line, 1-based.
        case csvLine(Int)
        /// An OGR feature, 1-based.
        case feature(Int)
    }

    /// Rewrites one layer file of a fresh copy of the tiny scene.
    private func brokenScene(_ file: String, _ change: (String) -> String) throws -> URL {
        let scene = try dir.copyTinyScene()
        let url = scene.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        XCTAssertNotEqual(changed, text, "the mutation changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
        return scene
    }

    /// Rewrites the CSV row that starts with `id,`; returns the scene.
    private func brokenRow(_ id: String, _ change: (String) -> String) throws -> URL {
        try brokenScene("interceptions.csv") { text in
            var lines = text.components(separatedBy: "\n")
            let i = lines.firstIndex { $0.hasPrefix(id + ",") }!
            lines[i] = change(lines[i])
            return lines.joined(separator: "\n")
        }
    }

    /// 1-based physical line of the row starting with `id,` in the fixture (header = line 1).
    private func fixtureLine(_ id: String) throws -> Int {
        let text = try String(contentsOf: Paths.tinyScene.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        return text.components(separatedBy: "\n").firstIndex { $0.hasPrefix(id + ",") }! + 1
    }

    private func assertRejected(
        _ scene: URL, file layerFile: String, layer: String, at place: Where, reason fragments: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let location: String
        switch place {
        case .csvRow(let id): location = "\(layerFile):\(try fixtureLine(id)):"
        case .csvLine(let n): location = "\(layerFile):\(n):"
        case .feature(let n): location = "\(layerFile): feature \(n)"
        }
        let fullPath = scene.appendingPathComponent(layerFile).path
        /// The message line naming the place and every fragment of the reason.
        func problemLine(_ text: String) -> String? {
            text.split(separator: "\n").map(String.init).first { l in
                l.contains(location) && l.contains(fullPath) && fragments.allSatisfy { l.lowercased().contains($0.lowercased()) }
            }
        }

        // 1. score: exit 65, the problem on stderr, nothing written.
        let out = dir.path("out")
        let before = TemporaryDirectory.entries(dir.url)
        let r = try CLI.assertExit(65, ["score", "--scene", scene.path, "--out", out.path], file: file, line: line)
        XCTAssertNotNil(problemLine(r.stderr), "stderr should name \(location) and \(fragments):\n\(r.stderr)", file: file, line: line)
        // A bad row can be skipped: the message says how.
        XCTAssertTrue(r.stderr.contains("--skip-invalid skips bad rows"), r.stderr, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "a failed run created \(out.path)", file: file, line: line)
        XCTAssertEqual(TemporaryDirectory.entries(dir.url), before, "a failed run wrote files", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)

        // 2. validate: exit 65, the problem in the report.
        let v = try CLI.assertExit(65, ["validate", "--scene", scene.path], file: file, line: line)
        XCTAssertNotNil(problemLine(v.stdout + v.stderr), "validate should list \(location):\n\(v.summary)", file: file, line: line)

        // 3. score --skip-invalid: exit 0, the problem counted and listed.
        let skipOut = dir.path("skip")
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", skipOut.path, "--skip-invalid", "--quiet"], file: file, line: line)
        let summary = try jsonObject(skipOut.appendingPathComponent("summary.json"), file: file, line: line)
        let inputs = summary["inputs"] as? [String: Any] ?? [:]
        let counts = inputs[layer] as? [String: Any] ?? [:]
        XCTAssertEqual(counts["skipped"] as? Int, 1, "summary inputs.\(layer): \(counts)", file: file, line: line)
        if layer == "interceptions" {
            let read = counts["read"] as? Int ?? -1
            let sum = ["used", "skipped", "outside_window", "outside_study_area"].reduce(0) { $0 + (counts[$1] as? Int ?? -100) }
            XCTAssertEqual(read, 148, file: file, line: line)
            XCTAssertEqual(read, sum, "read = used + skipped + outside_window + outside_study_area: \(counts)", file: file, line: line)
        } else {
            XCTAssertEqual((counts["read"] as? Int ?? -1) - 1, counts["used"] as? Int, "\(counts)", file: file, line: line)
        }
        let problems = (summary["problems"] as? [String]) ?? []
        XCTAssertEqual(problems.count, 1, "\(problems)", file: file, line: line)
        XCTAssertNotNil(problemLine(problems.joined(separator: "\n")), "summary problems: \(problems)", file: file, line: line)
        if layer == "routes" {
            let routes = try jsonObject(skipOut.appendingPathComponent("routes.geojson"), file: file, line: line)
            XCTAssertEqual((routes["features"] as? [Any])?.count, 2, "the invalid route is not scored", file: file, line: line)
        }
    }

    // MARK: interceptions (CSV: file and line)

    func testLongitudeOutOfRange() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",110.20278,", with: ",190.20278,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["longitude", "190.20278"])
    }

    func testLatitudeAbove90WithLongitudeBelow90HintsAtSwap() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",110.20278,0.86025,", with: ",0.86025,110.20278,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["latitude", "110.20278", "swapped"])
    }

    func testUnparseableDate() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",2021-04-13,", with: ",2021-13-45,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["date", "2021-13-45"])
    }

    func testDateAfterTheTimeOfTheRun() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",2021-04-13,", with: ",2999-04-13,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["2999-04-13", "after"])
    }

    func testNegativePersons() throws {
        // E0005: 2021-04-13, 110.20278, 0.86025, persons 1
        let scene = try brokenRow("E0005") { $0.replacingOnce(",0.86025,1,", with: ",0.86025,-2,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["persons", "-2"])
    }

    func testNonIntegerPersons() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",0.86025,1,", with: ",0.86025,1.5,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["persons", "1.5"])
    }

    func testDuplicateInterceptionIdIsTheLaterRow() throws {
        // E0005 takes E0004's id: the first occurrence (E0004's row) stands, the later row is the error.
        let scene = try brokenRow("E0005") { $0.replacingOnce("E0005,", with: "E0004,") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["duplicate", "E0004"])
    }

    func testRowWithTheWrongFieldCount() throws {
        let scene = try brokenRow("E0005") { $0.replacingOnce(",smuggling_of_migrants,land", with: ",smuggling_of_migrants") }
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvRow("E0005"), reason: ["field", "7", "6"])
    }

    /// A blank line is not a row (read stays 148) but counts for line numbers: with one blank
    /// line inserted after the header, E0005's row is on physical line 7.
    func testBlankLineIsNotARowButCountsForLineNumbers() throws {
        let scene = try brokenScene("interceptions.csv") { text in
            text.replacingOnce("mode\nE0001,", with: "mode\n   \nE0001,").replacingOnce(",0.86025,1,", with: ",0.86025,-2,")
        }
        XCTAssertEqual(try fixtureLine("E0005"), 6)
        try assertRejected(scene, file: "interceptions.csv", layer: "interceptions", at: .csvLine(7), reason: ["persons", "-2"])
    }

    // MARK: interceptions as an OGR point layer (file and feature number)

    /// The tiny scene with its interceptions as a GeoJSON point layer (same rows, same order);
    /// `change` may edit the properties or coordinates of feature i (0-based).
    private func geoJSONInterceptionsScene(_ change: (Int, inout [String: Any], inout [Double]) -> Void = { _, _, _ in }) throws -> URL {
        let scene = try dir.copyTinyScene("ogr-scene")
        let csv = try String(contentsOf: scene.appendingPathComponent("interceptions.csv"), encoding: .utf8)
        var features: [[String: Any]] = []
        for (i, line) in csv.split(separator: "\n").dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var properties: [String: Any] = ["id": f[0], "date": f[1], "persons": Int(f[4])!, "category": f[5], "mode": f[6]]
            var coordinates = [Double(f[2])!, Double(f[3])!]
            change(i, &properties, &coordinates)
            features.append(["type": "Feature", "properties": properties, "geometry": ["type": "Point", "coordinates": coordinates]])
        }
        let data = try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
        try data.write(to: scene.appendingPathComponent("interceptions.geojson"))
        try FileManager.default.removeItem(at: scene.appendingPathComponent("interceptions.csv"))
        let toml = scene.appendingPathComponent("scene.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        try text.replacingOnce(#""interceptions.csv""#, with: #""interceptions.geojson""#).write(to: toml, atomically: true, encoding: .utf8)
        return scene
    }

    /// OGR types ISO date strings as Date fields and formats them as `YYYY/MM/DD`; the scene
    /// must still read, and give exactly the outputs of the same rows as CSV.
    func testGeoJSONInterceptionsLayerGivesTheSameResultsAsTheCSV() throws {
        let scene = try geoJSONInterceptionsScene()
        let v = try CLI.assertExit(0, ["validate", "--scene", scene.path])
        XCTAssertTrue(v.stdout.contains("no problems"), v.stdout)
        let a = dir.path("from-csv"), b = dir.path("from-geojson")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", a.path, "--quiet"])
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", b.path, "--quiet"])
        for name in ["routes.geojson", "hotspots.geojson"] {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
        let i = (try jsonObject(b.appendingPathComponent("summary.json"))["inputs"] as? [String: Any])?["interceptions"] as? [String: Any]
        XCTAssertEqual(i?["read"] as? Int, 148)
        XCTAssertEqual(i?["used"] as? Int, 148)
    }

    func testDateTimeWithOffsetInAnOGRLayer() throws {
        // 2021-01-08T10:30:00+07:00 is 03:30 UTC on the same day: still valid, still the first event.
        let scene = try geoJSONInterceptionsScene { i, p, _ in if i == 0 { p["date"] = "2021-01-08T10:30:00+07:00" } }
        let v = try CLI.assertExit(0, ["validate", "--scene", scene.path])
        XCTAssertTrue(v.stdout.contains("from 2021-01-08 to 2024-12-28"), v.stdout)
    }

    func testNegativePersonsInAnOGRLayer() throws {
        let scene = try geoJSONInterceptionsScene { i, p, _ in if i == 4 { p["persons"] = -3 } }
        try assertRejected(scene, file: "interceptions.geojson", layer: "interceptions", at: .feature(5), reason: ["persons", "-3"])
    }

    func testSwappedCoordinatesInAnOGRLayer() throws {
        let scene = try geoJSONInterceptionsScene { i, _, c in if i == 6 { c = [c[1], c[0]] } }
        try assertRejected(scene, file: "interceptions.geojson", layer: "interceptions", at: .feature(7), reason: ["latitude", "swapped"])
    }

    // MARK: routes (OGR: file and feature number)

    func testRouteWithoutId() throws {
        let scene = try brokenScene("routes.geojson") { $0.replacingOnce(#""id":"R2","#, with: "") }
        try assertRejected(scene, file: "routes.geojson", layer: "routes", at: .feature(2), reason: ["id"])
    }

    func testDuplicateRouteId() throws {
        let scene = try brokenScene("routes.geojson") { $0.replacingOnce(#""id":"R3""#, with: #""id":"R1""#) }
        try assertRejected(scene, file: "routes.geojson", layer: "routes", at: .feature(3), reason: ["duplicate", "R1"])
    }

    func testRouteWithEmptyGeometry() throws {
        let scene = try brokenScene("routes.geojson") {
            $0.replacingOnce(#""coordinates":[[110.4,0.6],[110.45,0.65]]"#, with: #""coordinates":[]"#)
        }
        try assertRejected(scene, file: "routes.geojson", layer: "routes", at: .feature(3), reason: ["empty"])
    }

    func testRouteWithZeroLengthGeometry() throws {
        let scene = try brokenScene("routes.geojson") {
            $0.replacingOnce("[[110.4,0.6],[110.45,0.65]]", with: "[[110.4,0.6],[110.4,0.6]]")
        }
        try assertRejected(scene, file: "routes.geojson", layer: "routes", at: .feature(3), reason: ["zero-length"])
    }

    func testRouteWithPointGeometry() throws {
        let scene = try brokenScene("routes.geojson") {
            $0.replacingOnce(#"{"type":"LineString","coordinates":[[110.4,0.6],[110.45,0.65]]}"#,
                             with: #"{"type":"Point","coordinates":[110.4,0.6]}"#)
        }
        try assertRejected(scene, file: "routes.geojson", layer: "routes", at: .feature(3), reason: ["geometry type", "point"])
    }

    /// MODEL §1: ids compare by Unicode code point. "café" precomposed (U+00E9) and decomposed
    /// (e + U+0301) are canonically equivalent Swift Strings but two different ids.
    func testRouteIdsCompareByCodePoint() throws {
        let scene = try brokenScene("routes.geojson") {
            $0.replacingOnce(#""id":"R2""#, with: #""id":"cafe\u0301""#).replacingOnce(#""id":"R3""#, with: #""id":"caf\u00e9""#)
        }
        let v = try CLI.assertExit(0, ["validate", "--scene", scene.path])
        XCTAssertTrue(v.stdout.contains("no problems"), v.stdout)
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", out.path, "--quiet"])
        let routes = try jsonObject(out.appendingPathComponent("routes.geojson"))
        let ids = (routes["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["id"] as? String }
        let scalars = Set(ids.map { $0.unicodeScalars.map(\.value) })
        XCTAssertEqual(scalars, [Array("R1".unicodeScalars.map(\.value)), [0x63, 0x61, 0x66, 0x65, 0x301], [0x63, 0x61, 0x66, 0xE9]])
    }

    /// The first occurrence of an id stands even when that feature is itself invalid: a later
    /// feature with the same id is a duplicate (as for interception ids).
    func testDuplicateOfAnInvalidRouteIsStillADuplicate() throws {
        let scene = try brokenScene("routes.geojson") {
            $0.replacingOnce(#"{"type":"LineString","coordinates":[[110.2,0.8],[110.2,1.2]]}"#, with: #"{"type":"Point","coordinates":[110.2,0.8]}"#)
                .replacingOnce(#""id":"R3""#, with: #""id":"R1""#)
        }
        let r = try CLI.assertExit(65, ["score", "--scene", scene.path, "--out", dir.path("out").path])
        XCTAssertTrue(r.stderr.contains("routes.geojson: feature 1"), r.stderr)
        XCTAssertTrue(r.stderr.contains("routes.geojson: feature 3"), r.stderr)
        XCTAssertTrue(r.stderr.split(separator: "\n").contains { $0.contains("feature 3") && $0.contains("duplicate") }, r.stderr)
    }

    // MARK: posts

    func testPostWithUnknownKind() throws {
        let scene = try brokenScene("posts.geojson") { $0.replacingOnce(#""kind":"sea""#, with: #""kind":"river""#) }
        try assertRejected(scene, file: "posts.geojson", layer: "posts", at: .feature(2), reason: ["kind", "river"])
    }

    func testPostWithoutName() throws {
        let scene = try brokenScene("posts.geojson") { $0.replacingOnce(#""name":"Port B","#, with: "") }
        try assertRejected(scene, file: "posts.geojson", layer: "posts", at: .feature(2), reason: ["name"])
    }

    // MARK: missing input (66) and bad options (64)

    private func assertNothingWritten(_ out: URL, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "a failed run created \(out.path)", file: file, line: line)
    }

    func testMissingLayerFile() throws {
        let scene = try dir.copyTinyScene()
        try FileManager.default.removeItem(at: scene.appendingPathComponent("borders.geojson"))
        let out = dir.path("out")
        let r = try CLI.assertExit(66, ["score", "--scene", scene.path, "--out", out.path])
        XCTAssertTrue(r.stderr.contains(scene.appendingPathComponent("borders.geojson").path), r.stderr)
        // The layer and the reason, in the reader's words; nothing about how routerisk noticed.
        XCTAssertTrue(r.stderr.contains("borders input "), r.stderr)
        XCTAssertTrue(r.stderr.contains("No such file or directory"), r.stderr)
        XCTAssertFalse(r.stderr.contains("SHA-256"), r.stderr)
        assertNothingWritten(out)
        // --skip-invalid does not make a missing layer optional.
        try CLI.assertExit(66, ["score", "--scene", scene.path, "--out", out.path, "--skip-invalid"])
        assertNothingWritten(out)
        let v = try CLI.assertExit(66, ["validate", "--scene", scene.path])
        XCTAssertTrue(v.stderr.contains("borders.geojson"), v.stderr)
    }

    func testMissingSceneDirectory() throws {
        let missing = dir.path("no-such-scene")
        let out = dir.path("out")
        let r = try CLI.assertExit(66, ["score", "--scene", missing.path, "--out", out.path])
        XCTAssertTrue(r.stderr.contains(missing.path), r.stderr)
        assertNothingWritten(out)
        try CLI.assertExit(66, ["validate", "--scene", missing.path])
    }

    func testBadOptionValues() throws {
        let out = dir.path("out")
        for (args, fragment) in [
            (["--cell", "abc"], "abc"), (["--as-of", "yesterday"], "yesterday"), (["--weight", "kg"], "kg"),
            (["--format", "shp"], "shp"), (["--no-such-flag"], "no-such-flag"),
        ] {
            let r = try CLI.assertExit(64, ["score", "--scene", Paths.tinyScene.path, "--out", out.path] + args)
            XCTAssertTrue(r.stderr.contains(fragment), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(args[0]), "stderr should name the option \(args[0]): \(r.stderr)")
            assertNothingWritten(out)
        }
    }

    // MARK: validate on the good scene

    func testValidateGoodSceneExitsZeroAndPrintsCounts() throws {
        let r = try CLI.assertExit(0, ["validate", "--scene", Paths.tinyScene.path])
        let fixture = try TinyFixture.load()
        // layer → (file, features in the fixture)
        for (layer, file, count) in [
            ("coastline", "coastline.geojson", 1), ("borders", "borders.geojson", 1), ("posts", "posts.geojson", 2),
            ("routes", "routes.geojson", fixture.routes.count), ("interceptions", "interceptions.csv", fixture.events.count),
        ] {
            let lines = r.stdout.components(separatedBy: "\n")
            let i = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("\(layer):") && $0.hasSuffix(file) }, "\(layer) line\n\(r.stdout)")
            XCTAssertTrue(lines[i + 1].contains("read \(count)"), "\(layer): \(lines[i + 1])")
            XCTAssertTrue(lines[i + 1].contains("invalid 0"), "\(layer): \(lines[i + 1])")
        }
        XCTAssertTrue(r.stdout.contains("no problems"), r.stdout)
    }
}

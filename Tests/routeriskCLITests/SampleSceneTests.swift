import Foundation
import XCTest

/// `routerisk score` with no arguments runs on the bundled sample scene in data/ and writes
/// routerisk-out/ in the working directory. data/ is built by a separate helper, so the test
/// skips while data/scene.toml or one of its layer files is missing.
final class SampleSceneTests: XCTestCase {
    /// The `[layers]` of data/scene.toml (`name = "file"` lines), read without the library.
    private func sampleLayers() throws -> [String: URL] {
        let toml = Paths.sampleScene.appendingPathComponent("scene.toml")
        guard let text = try? String(contentsOf: toml, encoding: .utf8) else {
            throw XCTSkip("\(toml.path) does not exist yet (the sample scene is still being built)")
        }
        var layers: [String: URL] = [:]
        var section = ""
        for raw in text.components(separatedBy: "\n") {
            let line = raw.components(separatedBy: "#")[0].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { section = line; continue }
            guard section == "[layers]", let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            layers[key] = URL(fileURLWithPath: value, relativeTo: Paths.sampleScene).standardizedFileURL
        }
        for name in ["coastline", "borders", "posts", "routes", "interceptions"] {
            guard let url = layers[name], FileManager.default.fileExists(atPath: url.path) else {
                throw XCTSkip("the sample scene has no \(name) layer file yet")
            }
        }
        return layers
    }

    func testNoArgumentsScoresTheSampleScene() throws {
        let layers = try sampleLayers()
        let dir = try TemporaryDirectory()
        // A national scene: allow several minutes on a slow machine.
        let r = try CLI.assertExit(0, [], in: dir.url, timeout: 600)
        let out = dir.path("routerisk-out")
        XCTAssertEqual(Set(TemporaryDirectory.entries(out)), ["routes.geojson", "hotspots.geojson", "summary.json", "routes.qml", "hotspots.qml"], r.stdout)
        XCTAssertTrue(r.stdout.contains("routerisk-2"), r.stdout)
        let summary = try jsonObject(out.appendingPathComponent("summary.json"))
        XCTAssertEqual(summary["model"] as? String, "routerisk-2")
        let inputs = try XCTUnwrap(summary["inputs"] as? [String: Any])
        // It read data/'s routes: the same number of features as the GeoJSON file holds.
        if layers["routes"]!.pathExtension.lowercased() == "geojson" {
            let features = try jsonObject(layers["routes"]!)["features"] as? [Any]
            XCTAssertEqual((inputs["routes"] as? [String: Any])?["read"] as? Int, features?.count)
        }
        let i = try XCTUnwrap(inputs["interceptions"] as? [String: Any])
        let read = try XCTUnwrap(i["read"] as? Int)
        XCTAssertGreaterThan(read, 0)
        XCTAssertEqual(read, ["used", "skipped", "outside_window", "outside_study_area"].reduce(0) { $0 + (i[$1] as? Int ?? -1_000_000) })
        let routes = try jsonObject(out.appendingPathComponent("routes.geojson"))
        let ranks = (routes["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["rank"] as? Int }
        XCTAssertFalse(ranks.isEmpty)
        XCTAssertEqual(ranks, Array(1...max(1, ranks.count)))
        try GeoJSONChecks.assertRFC7946(try Data(contentsOf: out.appendingPathComponent("routes.geojson")), name: "routes.geojson")
    }
}

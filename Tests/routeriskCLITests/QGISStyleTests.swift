import Foundation
import XCTest

/// The written layers open styled in QGIS itself (headless, Debian's python3-qgis):
/// `Tests/tools/qgis_check_styles.py` checks the renderer type, attribute and classes of each
/// layer's default style against ArcGIS's Gi_Bin legend and the issue's lists.
final class QGISStyleTests: XCTestCase {
    static let script = Paths.packageRoot.appendingPathComponent("Tests/tools/qgis_check_styles.py")

    private func requireQGIS() throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        probe.arguments = ["-c", "import qgis.core"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { throw XCTSkip("SKIPPED: no /usr/bin/python3") }
        probe.waitUntilExit()
        if probe.terminationStatus != 0 {
            throw XCTSkip("SKIPPED: QGIS's Python bindings are not installed (Debian's python3-qgis; `make test` installs it)")
        }
    }

    /// Runs the checker; fails with its output when any check fails.
    private func runChecker(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.script.path] + args
        var env = ProcessInfo.processInfo.environment
        env["QT_QPA_PLATFORM"] = "offscreen"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, "qgis_check_styles.py \(args.joined(separator: " ")):\n\(text)", file: file, line: line)
        return text
    }

    func testEveryWrittenLayerOpensWithItsDefaultStyle() throws {
        try requireQGIS()
        let dir = try TemporaryDirectory()
        let tiny = Paths.tinyScene.path
        try CLI.assertExit(0, ["score", "--scene", tiny, "--out", dir.path("geojson").path, "--quiet"])
        XCTAssertEqual(TemporaryDirectory.entries(dir.path("geojson")),
                       ["hotspots.geojson", "hotspots.qml", "routes.geojson", "routes.qml", "summary.json"])
        try CLI.assertExit(0, ["score", "--scene", tiny, "--out", dir.path("gpkg").path, "--format", "gpkg", "--quiet"])
        let replay = ["replay", "--scene", tiny, "--from", "2023-01-01", "--to", "2024-01-01", "--step", "91d", "--quiet"]
        try CLI.assertExit(0, replay + ["--out", dir.path("replay").path])
        try CLI.assertExit(0, replay + ["--out", dir.path("replay-gpkg").path, "--format", "gpkg"])
        var args = ["--geojson", dir.path("geojson").path, "--gpkg", dir.path("gpkg/routerisk.gpkg").path,
                    "--replay", dir.path("replay/replay.geojson").path, "--replay-gpkg", dir.path("replay-gpkg/replay.gpkg").path,
                    "--replay-project", dir.path("replay/replay.qgs").path, "--replay-project", dir.path("replay-gpkg/replay.qgs").path]
        let env = ProcessInfo.processInfo.environment
        if env["ROUTERISK_TEST_POSTGRES"] == "1", let host = env["PGHOST"] {
            // The same layers from PostGIS (the throwaway cluster), styled from its layer_styles.
            try CLI.assertExit(0, ["score", "--scene", tiny, "--format", "postgis", "--out", "PG:dbname=routerisk", "--overwrite", "--quiet"])
            args += ["--postgres", "dbname='routerisk' host='\(host)' port=\(env["PGPORT"] ?? "5432") user='\(env["PGUSER"] ?? "postgres")'"]
        }
        let text = try runChecker(args)
        XCTAssertTrue(text.contains("0 failures"), text)
    }

    /// Without `--no-styles` a GeoJSON run refuses to replace an existing sidecar; with it, none is written.
    func testNoStylesLeavesThemOutAndSidecarsNeedOverwrite() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--quiet", "--no-styles"])
        XCTAssertEqual(TemporaryDirectory.entries(out), ["hotspots.geojson", "routes.geojson", "summary.json"])
        try "mine".write(to: out.appendingPathComponent("routes.qml"), atomically: true, encoding: .utf8)
        let r = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--quiet"])
        XCTAssertTrue(r.stderr.contains("routes.qml"), r.stderr)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("routes.qml"), encoding: .utf8), "mine")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--quiet", "--overwrite"])
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("routes.qml"), encoding: .utf8).contains("categorizedSymbol"))
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("g").path, "--format", "gpkg", "--quiet", "--no-styles"])
        let listing = Process()
        listing.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listing.arguments = ["ogrinfo", "-ro", "-q", dir.path("g/routerisk.gpkg").path]
        let pipe = Pipe()
        listing.standardOutput = pipe
        try listing.run()
        let layers = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        listing.waitUntilExit()
        XCTAssertFalse(layers.contains("layer_styles"), layers)
        XCTAssertTrue(layers.contains("hotspots"), layers)
    }

    /// The sample scene's hot spots render in QGIS with ArcGIS's 99 % red (the README's map is
    /// made the same way by `make docs-map`).
    func testSampleSceneHotSpotsRender() throws {
        try requireQGIS()
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--out", dir.path("out").path, "--format", "gpkg", "--quiet"], timeout: 600)
        let png = dir.path("map.png")
        _ = try runChecker(["--gpkg", dir.path("out/routerisk.gpkg").path, "--render", png.path,
                            "--coastline", Paths.sampleScene.appendingPathComponent("coastline.geojson").path])
        let data = try Data(contentsOf: png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
    }
}

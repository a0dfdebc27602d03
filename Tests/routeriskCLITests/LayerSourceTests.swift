import Foundation
import XCTest

/// Layers of a multi-layer file chosen with QGIS's `|layername=` suffix, relative to the scene.
final class LayerSourceTests: XCTestCase {
    private func ogr2ogr(_ args: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ogr2ogr"] + args
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("ogr2ogr (gdal-bin) failed or is missing") }
    }

    func testGeoPackageLayersByNameRelativeToTheScene() throws {
        let dir = try TemporaryDirectory()
        let scene = try dir.copyTinyScene()
        // All four line and point layers in one GeoPackage under other names, one folder up.
        let gpkg = dir.path("shared/layers.gpkg")
        try FileManager.default.createDirectory(at: gpkg.deletingLastPathComponent(), withIntermediateDirectories: true)
        for layer in ["coastline", "borders", "posts", "routes"] {
            try ogr2ogr(["-f", "GPKG", gpkg.path, scene.appendingPathComponent("\(layer).geojson").path, "-nln", "tiny_\(layer)"]
                        + (FileManager.default.fileExists(atPath: gpkg.path) ? ["-update"] : []))
        }
        var toml = try String(contentsOf: scene.appendingPathComponent("scene.toml"), encoding: .utf8)
        for layer in ["coastline", "borders", "posts", "routes"] {
            toml = toml.replacingOnce("\(layer) = \"\(layer).geojson\"", with: "\(layer) = \"../shared/layers.gpkg|layername=tiny_\(layer)\"")
        }
        try toml.write(to: scene.appendingPathComponent("scene.toml"), atomically: true, encoding: .utf8)
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("files").path, "--quiet"])
        // Run from another directory: the paths are the scene's, not the working directory's.
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", dir.path("gpkg").path, "--quiet"], in: URL(fileURLWithPath: "/"))
        for name in ["routes.geojson", "hotspots.geojson"] {
            let a = try jsonObject(dir.path("files").appendingPathComponent(name))["features"] as? [[String: Any]] ?? []
            let b = try jsonObject(dir.path("gpkg").appendingPathComponent(name))["features"] as? [[String: Any]] ?? []
            XCTAssertEqual(a.map { $0 as NSDictionary }, b.map { $0 as NSDictionary }, name)
            XCTAssertFalse(a.isEmpty)
        }
        let v = try CLI.assertExit(0, ["validate", "--scene", scene.path])
        XCTAssertTrue(v.stdout.contains("routes: \(dir.url.standardizedFileURL.path)/shared/layers.gpkg|layername=tiny_routes"), v.stdout)
        let missing = try CLI.assertExit(66, ["score", "--scene", Paths.tinyScene.path, "--routes", "\(gpkg.path)|layername=nope", "--out", dir.path("x").path])
        XCTAssertTrue(missing.stderr.contains("has no layer 'nope' (layers: tiny_coastline, tiny_borders, tiny_posts, tiny_routes) (the routes layer)"), missing.stderr)
    }
}

import XCTest
@testable import RouteRisk

/// Findings of `make fuzz` (FuzzLayer) on layer files, each a regression test.
final class LayerFuzzRegressionTests: XCTestCase {
    static let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tiny")

    /// Eleven bytes containing "<osm" in a file named routes.geojson were opened by GDAL's OSM
    /// driver (content sniffing), which indexes the file in a temporary SQLite database: over a
    /// second per file. A known extension now admits only its own drivers.
    func testAGeoJSONFileIsReadByTheGeoJSONDriversOnly() throws {
        XCTAssertEqual(VectorSource.drivers(forExtension: "GeoJSON"), ["GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON"])
        XCTAssertEqual(VectorSource.drivers(forExtension: "kml"), ["KML", "LIBKML"])
        XCTAssertEqual(VectorSource.drivers(forExtension: "sqlite"), [], "an unknown extension admits every driver")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-osm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let routes = dir.appendingPathComponent("routes.geojson")
        try Data([0x6d, 0x3c, 0x3e, 0x6e, 0x3c, 0x6f, 0x73, 0x6d, 0x4c, 0x10]).write(to: routes)  // "m<>n<osmL\u{10}"
        XCTAssertThrowsError(try VectorSource(path: routes.path)) { error in
            // VectorSource says why; SceneLoader adds the file (below).
            let message = "\(error)"
            XCTAssertTrue(message.contains("read as GeoJSON"), message)
        }
        var layers: [LayerName: URL] = [:]
        for name in LayerName.allCases {
            layers[name] = Self.tiny.appendingPathComponent(name == .interceptions ? "interceptions.csv" : "\(name.rawValue).geojson")
        }
        layers[.routes] = routes
        XCTAssertThrowsError(try SceneLoader(now: 1_800_000_000).load(layers)) { error in
            // A layer that cannot be read is not a bad row: 65, without the --skip-invalid hint.
            guard case RunError.unusable(let lines) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(lines.first?.hasPrefix("\(routes.path): cannot read the routes layer") ?? false, "\(lines)")
        }
    }
}

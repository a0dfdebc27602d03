import Foundation
import XCTest

/// The outputs open in GDAL's own tool (gdal-bin's `ogrinfo`), as a GIS user would open them.
final class OGRInteropTests: XCTestCase {
    private func ogrinfo() throws -> URL {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("ogrinfo") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let path else { throw XCTSkip("ogrinfo not installed (gdal-bin; `make deps` installs it)") }
        return path
    }

    private func runOgrinfo(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = try ogrinfo()
        process.arguments = args
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, "ogrinfo \(args.joined(separator: " ")):\n\(text)", file: file, line: line)
        return text
    }

    /// `Feature Count: N` of an `ogrinfo -so` layer summary.
    private func featureCount(_ text: String) -> Int? {
        guard let range = text.range(of: "Feature Count: ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    func testGeoJSONOutputsOpenInOgrinfo() throws {
        _ = try ogrinfo()
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--quiet"])
        let routes = try runOgrinfo(["-ro", "-so", "-al", out.appendingPathComponent("routes.geojson").path])
        XCTAssertTrue(routes.contains("using driver `GeoJSON' successful"), routes)
        XCTAssertEqual(featureCount(routes), 3, routes)  // the fixture's three routes
        XCTAssertTrue(routes.contains("Line String"), routes)
        for field in ScoreEndToEndTests.routeKeys { XCTAssertTrue(routes.contains("\(field): "), "field \(field)\n\(routes)") }
        let cells = try runOgrinfo(["-ro", "-so", "-al", out.appendingPathComponent("hotspots.geojson").path])
        XCTAssertTrue(cells.contains("using driver `GeoJSON' successful"), cells)
        XCTAssertTrue(cells.contains("Polygon"), cells)
        XCTAssertGreaterThan(featureCount(cells) ?? 0, 0, cells)
        for field in ScoreEndToEndTests.cellKeys { XCTAssertTrue(cells.contains("\(field): "), "field \(field)\n\(cells)") }
    }

    func testGeoPackageHasItsLayersAndStyles() throws {
        _ = try ogrinfo()
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", "gpkg", "--quiet"])
        XCTAssertEqual(TemporaryDirectory.entries(out), ["routerisk.gpkg"], "only the GeoPackage, no journal or temporary file")
        let gpkg = out.appendingPathComponent("routerisk.gpkg").path
        let listing = try runOgrinfo(["-ro", "-so", gpkg])
        XCTAssertTrue(listing.contains("using driver `GPKG' successful"), listing)
        let layers = listing.split(separator: "\n").compactMap { line -> String? in
            // "1: routes", "2: hotspots (Polygon)", "3: summary (None)"
            guard let colon = line.firstIndex(of: ":"), Int(line[..<colon]) != nil else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).components(separatedBy: " ").first
        }
        XCTAssertEqual(layers, ["routes", "hotspots", "summary", "layer_styles"], listing)
        XCTAssertEqual(featureCount(try runOgrinfo(["-ro", "-so", gpkg, "routes"])), 3)
        XCTAssertGreaterThan(featureCount(try runOgrinfo(["-ro", "-so", gpkg, "hotspots"])) ?? 0, 0)
        let summary = try runOgrinfo(["-ro", gpkg, "summary"])
        XCTAssertEqual(featureCount(try runOgrinfo(["-ro", "-so", gpkg, "summary"])), 1)
        XCTAssertTrue(summary.contains("routerisk-2"), summary)
    }
}

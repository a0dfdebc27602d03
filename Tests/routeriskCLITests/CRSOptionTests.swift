import Foundation
import XCTest

/// MODEL §2 `--crs EPSG:n`: any projected CRS PROJ knows; the summary records it as a PROJ
/// string; a geographic or unknown CRS is a usage error (64).
final class CRSOptionTests: XCTestCase {
    func testProjectedEPSGCodeIsUsedAndRecorded() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--crs", "EPSG:32649", "--out", dir.path("o").path, "--quiet"])
        let options = try XCTUnwrap(try jsonObject(dir.path("o/summary.json"))["options"] as? [String: Any])
        // EPSG:32649 is WGS 84 / UTM zone 49N (the tiny scene lies at 109.5–110.5°E, 0.3–1.2°N).
        XCTAssertEqual(options["crs"] as? String, "+proj=utm +zone=49 +datum=WGS84 +units=m +no_defs +type=crs")
        // Route R1 is 0.4° of latitude long in either CRS: ≈ 44.2 km (UTM's scale near its
        // central meridian 111°E is 0.9996 + a little; allow 0.3 %).
        let routes = try jsonObject(dir.path("o/routes.geojson"))["features"] as? [[String: Any]] ?? []
        let r1 = try XCTUnwrap(routes.first { ($0["properties"] as? [String: Any])?["id"] as? String == "R1" })
        let length = (r1["properties"] as? [String: Any])?["length_km"] as? Double ?? 0
        XCTAssertEqual(length, WGS84.meridianArcKm(0.8, 1.2), accuracy: 0.003 * length)
    }

    func testGeographicOrUnknownCRSIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.assertExit(64, ["score", "--scene", Paths.tinyScene.path, "--crs", "EPSG:4326", "--out", dir.path("o").path])
        XCTAssertTrue(r.stderr.contains("not a projected CRS"), r.stderr)
        try CLI.assertExit(64, ["score", "--scene", Paths.tinyScene.path, "--crs", "EPSG:999999", "--out", dir.path("o").path])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("o").path))
    }
}

import Foundation
import XCTest

/// `--overwrite`, exit status 73, and no partial output (MODEL §1, §11; README).
final class OutputSafetyTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private let names = ["routes.geojson", "hotspots.geojson", "summary.json"]

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
    }

    override func tearDown() {
        dir = nil
        super.tearDown()
    }

    /// An output directory holding the three files with recognisable old contents.
    private func oldOutput(_ name: String = "out", only: [String]? = nil) throws -> URL {
        let out = dir.path(name)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for file in only ?? names { try Data("old \(file)\n".utf8).write(to: out.appendingPathComponent(file)) }
        return out
    }

    private func assertOld(_ out: URL, _ files: [String]? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        for name in files ?? names {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(text, "old \(name)\n", "\(name) was touched", file: file, line: line)
        }
    }

    private func assertNoTemporaryFiles(_ out: URL, file: StaticString = #filePath, line: UInt = #line) {
        let leftovers = TemporaryDirectory.entries(out).filter { $0.contains(".tmp") || $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "temporary files left in \(out.path)", file: file, line: line)
    }

    func testExistingOutputWithoutOverwriteIsRefused() throws {
        let out = try oldOutput()
        let r = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path])
        XCTAssertTrue(r.stderr.contains("--overwrite"), r.stderr)
        XCTAssertTrue(r.stderr.contains(out.appendingPathComponent("routes.geojson").path), r.stderr)
        try assertOld(out)
        assertNoTemporaryFiles(out)
        XCTAssertEqual(TemporaryDirectory.entries(out), names.sorted())
    }

    func testOneExistingOutputIsEnoughToRefuseAndNothingIsAdded() throws {
        let out = try oldOutput(only: ["summary.json"])
        try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path])
        try assertOld(out, ["summary.json"])
        XCTAssertEqual(TemporaryDirectory.entries(out), ["summary.json"], "the refused run added files")
    }

    func testOverwriteReplacesEveryFile() throws {
        let out = try oldOutput()
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--overwrite", "--quiet"])
        let routes = try jsonObject(out.appendingPathComponent("routes.geojson"))
        XCTAssertEqual((routes["features"] as? [Any])?.count, 3)
        let cells = try jsonObject(out.appendingPathComponent("hotspots.geojson"))
        XCTAssertEqual(cells["type"] as? String, "FeatureCollection")
        XCTAssertEqual(try jsonObject(out.appendingPathComponent("summary.json"))["model"] as? String, "routerisk-2")
        XCTAssertEqual(TemporaryDirectory.entries(out), (names + ["routes.qml", "hotspots.qml"]).sorted(), "the outputs and their QGIS sidecar styles")
    }

    func testOverwriteLeavesOtherFilesAlone() throws {
        let out = try oldOutput()
        try Data("keep\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--overwrite", "--quiet"])
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8), "keep\n")
    }

    func testFailedRunLeavesOldOutputsAndNoPartialFiles() throws {
        let out = try oldOutput()
        let scene = try dir.copyTinyScene()
        let csv = scene.appendingPathComponent("interceptions.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        try text.replacingOnce("E0005,2021-04-13,", with: "E0005,2021-02-30,").write(to: csv, atomically: true, encoding: .utf8)
        for format in ["geojson", "gpkg"] {
            try CLI.assertExit(65, ["score", "--scene", scene.path, "--out", out.path, "--overwrite", "--format", format])
            try assertOld(out)
            assertNoTemporaryFiles(out)
            XCTAssertEqual(TemporaryDirectory.entries(out), names.sorted())
        }
    }

    /// An output name taken by a directory cannot be replaced: the run must fail with 73 before
    /// anything is renamed into place, not after replacing some of the files.
    func testDirectoryInTheWayFailsWithoutMixingOldAndNewFiles() throws {
        let out = try oldOutput(only: ["routes.geojson", "summary.json"])
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("hotspots.geojson/inside"), withIntermediateDirectories: true)
        let r = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--overwrite"])
        XCTAssertTrue(r.stderr.contains("hotspots.geojson"), r.stderr)
        try assertOld(out, ["routes.geojson", "summary.json"])
        assertNoTemporaryFiles(out)
    }

    func testOutputPathThatIsAFileIsRefused() throws {
        let out = dir.path("out")
        try Data("x".utf8).write(to: out)
        let r = try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--overwrite"])
        XCTAssertTrue(r.stderr.contains(out.path), r.stderr)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "x")
        XCTAssertEqual(TemporaryDirectory.entries(dir.url), ["out"])
    }

    func testGeoPackageRespectsOverwrite() throws {
        let out = dir.path("out")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", "gpkg", "--quiet"])
        let gpkg = out.appendingPathComponent("routerisk.gpkg")
        let first = try Data(contentsOf: gpkg)
        try CLI.assertExit(73, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", "gpkg"])
        XCTAssertEqual(try Data(contentsOf: gpkg), first)
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", "gpkg", "--overwrite", "--quiet"])
        XCTAssertEqual(TemporaryDirectory.entries(out), ["routerisk.gpkg"])
        // SQLite's header: the replacement is a real GeoPackage, not a leftover.
        XCTAssertEqual(try Data(contentsOf: gpkg).prefix(16), Data("SQLite format 3\0".utf8))
    }
}

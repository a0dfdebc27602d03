import Foundation
import XCTest

/// MODEL §12: same inputs and options give byte-identical feature files; summary.json
/// differs only in `stages_s` (and the command line as typed, `provenance.command_line`).
final class DeterminismTests: XCTestCase {
    func testTwoRunsAreIdentical() throws {
        let dir = try TemporaryDirectory()
        let a = dir.path("a"), b = dir.path("b")
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", a.path, "--quiet"])
        // A different working directory and a relative --out must not matter either.
        try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", "b", "--quiet"], in: dir.url)
        for name in ["routes.geojson", "hotspots.geojson"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            XCTAssertFalse(x.isEmpty, name)
            XCTAssertEqual(x, y, "\(name) differs between two runs")
        }
        var s1 = try jsonObject(a.appendingPathComponent("summary.json"))
        var s2 = try jsonObject(b.appendingPathComponent("summary.json"))
        XCTAssertNotNil(s1.removeValue(forKey: "stages_s"))
        XCTAssertNotNil(s2.removeValue(forKey: "stages_s"))
        // The command line as typed (here two different --out) is a record of the run, not of the model.
        var p1 = try XCTUnwrap(s1["provenance"] as? [String: Any]), p2 = try XCTUnwrap(s2["provenance"] as? [String: Any])
        XCTAssertNotEqual(p1.removeValue(forKey: "command_line") as? String, p2.removeValue(forKey: "command_line") as? String)
        s1["provenance"] = p1
        s2["provenance"] = p2
        XCTAssertEqual(NSDictionary(dictionary: s1), NSDictionary(dictionary: s2), "summary.json differs beyond stages_s")
    }
}

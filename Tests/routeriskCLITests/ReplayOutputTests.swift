import Foundation
import XCTest

/// `routerisk replay` outputs: exactly the MODEL §10 CSV columns, a GeoJSON layer QGIS's
/// Temporal Controller can play (step, start, end in ISO 8601), and byte-identical files
/// from two runs.
final class ReplayOutputTests: XCTestCase {
    let args = ["replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "90d", "--quiet"]

    func testReplayOutputsAreDeterministicAndTemporal() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, args + ["--out", dir.path("a").path, "--notebook", dir.path("a.ipynb").path], timeout: 120)
        try CLI.assertExit(0, args + ["--out", dir.path("b").path, "--notebook", dir.path("b.ipynb").path], timeout: 120)
        for name in ["replay-metrics.csv", "replay.geojson", "replay.html"] {
            XCTAssertEqual(try Data(contentsOf: dir.path("a/\(name)")), try Data(contentsOf: dir.path("b/\(name)")), name)
        }
        // replay-summary.json records the command line as typed (here two different --out):
        // everything else is the same.
        var s1 = try jsonObject(dir.path("a/replay-summary.json")), s2 = try jsonObject(dir.path("b/replay-summary.json"))
        var p1 = try XCTUnwrap(s1["provenance"] as? [String: Any]), p2 = try XCTUnwrap(s2["provenance"] as? [String: Any])
        XCTAssertNotEqual(p1.removeValue(forKey: "command_line") as? String, p2.removeValue(forKey: "command_line") as? String)
        s1["provenance"] = p1
        s2["provenance"] = p2
        XCTAssertEqual(NSDictionary(dictionary: s1), NSDictionary(dictionary: s2), "replay-summary.json")
        XCTAssertEqual(try Data(contentsOf: dir.path("a.ipynb")), try Data(contentsOf: dir.path("b.ipynb")))

        let csv = try String(contentsOf: dir.path("a/replay-metrics.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(csv[0]), "step,start,end,test_events,hit_rate,area_fraction,pai,pei_star,route_hit_rate,baseline_hit_rate,baseline_pai")
        // 2023-01-01 + 90 d × k ≤ 2024-06-01: k = 0…5 (k = 6 is 2024-06-23).
        XCTAssertEqual(csv.count - 1, 6)
        XCTAssertTrue(csv[1].hasPrefix("1,2023-01-01T00:00:00Z,2023-04-01T00:00:00Z,"), String(csv[1]))

        let layer = try jsonObject(dir.path("a/replay.geojson"))
        let features = layer["features"] as? [[String: Any]] ?? []
        XCTAssertFalse(features.isEmpty)
        let iso = try NSRegularExpression(pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$")
        for f in features {
            let p = f["properties"] as? [String: Any] ?? [:]
            XCTAssertNotNil(p["step"] as? Int)
            for key in ["start", "end"] {
                let v = p[key] as? String ?? ""
                XCTAssertEqual(iso.numberOfMatches(in: v, range: NSRange(v.startIndex..., in: v)), 1, "\(key) = \(v)")
            }
            XCTAssertTrue(["predicted_cell", "test_event"].contains(p["kind"] as? String ?? ""))
            // No personal field of the input reaches the replay layer.
            XCTAssertNil(p["id"]); XCTAssertNil(p["category"]); XCTAssertNil(p["mode"])
        }
    }
}

import Foundation
import XCTest

/// `summary.json` / `replay-summary.json` `provenance` and `routerisk verify`.
final class ProvenanceCLITests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil; super.tearDown() }

    /// coreutils' `sha256sum`, an implementation independent of the one under test.
    private func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    func testSummaryRecordsEveryInputAndVerifyDetectsChanges() throws {
        let scene = try dir.copyTinyScene()
        // The output directory's name carries a password-like text: it must be masked.
        let out = dir.path("out-password=hunter2")
        try CLI.assertExit(0, ["score", "--scene", scene.path, "--out", out.path, "--quiet"])
        let summaryURL = out.appendingPathComponent("summary.json")
        let summary = try jsonObject(summaryURL)
        let provenance = try XCTUnwrap(summary["provenance"] as? [String: Any])
        XCTAssertEqual(provenance["model"] as? String, summary["model"] as? String)
        XCTAssertTrue(["routerisk-1", "routerisk-2"].contains(provenance["model"] as? String ?? ""))
        XCTAssertNotNil(provenance["routerisk_version"] as? String)
        let commandLine = provenance["command_line"] as? String ?? ""
        XCTAssertTrue(commandLine.contains("score --scene"), commandLine)
        XCTAssertTrue(commandLine.contains("password=***"), commandLine)
        XCTAssertFalse(try String(contentsOf: summaryURL, encoding: .utf8).contains("hunter2"))
        let inputs = provenance["inputs"] as? [[String: Any]] ?? []
        XCTAssertEqual(inputs.map { $0["role"] as? String ?? "" }, ["scene", "coastline", "borders", "posts", "routes", "interceptions"])
        for input in inputs {
            let path = input["path"] as! String
            XCTAssertEqual(input["sha256"] as? String, try sha256sum(path), path)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            XCTAssertEqual(input["bytes"] as? Int, size, path)
        }

        var r = try CLI.assertExit(0, ["verify", summaryURL.path])
        XCTAssertTrue(r.stdout.contains("every input file matches"), r.stdout)

        // One row more in the interceptions, and the posts gone.
        let csv = scene.appendingPathComponent("interceptions.csv")
        try (try String(contentsOf: csv, encoding: .utf8) + "E9999,2024-12-01,110.2,0.9,1,,\n").write(to: csv, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: scene.appendingPathComponent("posts.geojson"))
        r = try CLI.assertExit(65, ["verify", summaryURL.path])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("CHANGED") && $0.contains("interceptions:") && $0.contains(csv.path) }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("MISSING") && $0.contains("posts:") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ok") && $0.contains("routes:") }, r.stdout)
        XCTAssertTrue(r.stdout.contains("2 input files changed or missing"), r.stdout)
    }

    func testReplaySummaryIsVerifiable() throws {
        let out = dir.path("replay")
        try CLI.assertExit(0, ["replay", "--scene", Paths.tinyScene.path, "--from", "2024-01-01", "--to", "2024-06-01",
                               "--step", "90d", "--out", out.path, "--quiet"])
        let summary = try jsonObject(out.appendingPathComponent("replay-summary.json"))
        let inputs = (summary["provenance"] as? [String: Any])?["inputs"] as? [[String: Any]] ?? []
        XCTAssertEqual(inputs.count, 6)
        let csv = Paths.tinyScene.appendingPathComponent("interceptions.csv").path
        XCTAssertEqual(inputs.first { $0["role"] as? String == "interceptions" }?["sha256"] as? String, try sha256sum(csv))
        try CLI.assertExit(0, ["verify", out.appendingPathComponent("replay-summary.json").path])
    }

    func testVerifyRefusesWhatIsNotASummary() throws {
        try CLI.assertExit(66, ["verify", dir.path("nothing.json").path])
        let bare = dir.path("bare.json")
        try Data(#"{"model":"routerisk-1"}"#.utf8).write(to: bare)
        let r = try CLI.assertExit(65, ["verify", bare.path])
        XCTAssertTrue(r.stderr.contains("no provenance"), r.stderr)
    }
}

import Foundation
import XCTest

/// What `score` prints: `--json` the summary, `--quiet` nothing, else a table.
final class StdoutTests: XCTestCase {
    func testJSONPrintsTheSummary() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--json"])
        let printed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "stdout is not a JSON object:\n\(r.stdout)")
        XCTAssertEqual(printed["model"] as? String, "routerisk-2")
        // The same document as summary.json (stages_s aside).
        var written = try jsonObject(out.appendingPathComponent("summary.json"))
        var shown = printed
        written["stages_s"] = nil
        shown["stages_s"] = nil
        XCTAssertEqual(NSDictionary(dictionary: shown), NSDictionary(dictionary: written))
    }

    func testQuietPrintsNothing() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out")
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--quiet"])
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "", "no progress on a non-terminal stderr")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    }

    /// `--timings`: one line per stage on stderr, its wall seconds, its CPU seconds (every thread) and the peak memory
    /// so far, as `make bench` (bench/run_bench.py) reads them.
    func testTimingsGiveWallCPUAndPeakPerStage() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("out").path, "--quiet",
                                       "--timings"])
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("stage ") }
        XCTAssertEqual(lines.first?.split(separator: " ").dropFirst().first, "load", r.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("stage write ") }, r.stderr)
        var peaks: [Double] = []
        for line in lines {
            // stage NAME… WALL s cpu CPU s peak MIB MiB
            let parts = line.split(separator: " ")
            XCTAssertEqual([7, 6, 4, 3, 1].map { parts[parts.count - $0] }, ["s", "cpu", "s", "peak", "MiB"], String(line))
            let wall = try XCTUnwrap(Double(parts[parts.count - 8])), cpu = try XCTUnwrap(Double(parts[parts.count - 5]))
            let peak = try XCTUnwrap(Double(parts[parts.count - 2]))
            XCTAssertGreaterThanOrEqual(wall, 0)
            XCTAssertGreaterThanOrEqual(cpu, 0)
            peaks.append(peak)
        }
        // The peak so far (VmHWM) never falls but by the slack of the kernel's per-CPU RSS counters (a few hundred KiB).
        for (a, b) in zip(peaks, peaks.dropFirst()) { XCTAssertGreaterThan(b, a - 1, r.stderr) }
        XCTAssertGreaterThan(peaks.last ?? 0, 1)
    }

    func testDefaultPrintsTheTopRoutes() throws {
        let dir = try TemporaryDirectory()
        let r = try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", dir.path("out").path, "--top", "2"])
        XCTAssertTrue(r.stdout.contains("routerisk-2"), r.stdout)
        // --top 2: two of the three routes in the table, rank 1 and 2.
        let rows = r.stdout.split(separator: "\n").filter { line in
            ["R1", "R2", "R3"].contains { line.split(separator: " ").dropFirst().first.map(String.init) == $0 }
        }
        XCTAssertEqual(rows.count, 2, r.stdout)
        XCTAssertEqual(rows.first?.split(separator: " ").first, "1", r.stdout)
    }
}

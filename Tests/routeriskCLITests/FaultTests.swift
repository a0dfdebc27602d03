import Foundation
import XCTest

/// SIGINT / SIGTERM at several stages and a write that runs out of room: exit 130 / 143 / 73,
/// nothing partial, no temporary file, previous outputs intact.
final class FaultTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil; super.tearDown() }

    /// Starts `routerisk args…` paused at `point` (`ROUTERISK_TEST_PAUSE`), waits until it
    /// says so on stderr, sends `signalNumber`, and returns the exit status and stderr.
    private func interrupt(_ args: [String], at point: String, with signalNumber: Int32,
                           file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, stderr: String) {
        let errURL = dir.path("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["ROUTERISK_TEST_PAUSE"] = point
        env["ROUTERISK_TEST_PAUSE_SECONDS"] = "30"
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errHandle
        try process.run()
        let marker = "test pause at \(point)"
        let deadline = Date().addingTimeInterval(120)
        var seen = false
        while Date() < deadline && process.isRunning {
            if (try? String(contentsOf: errURL, encoding: .utf8))?.contains(marker) == true { seen = true; break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(seen, "routerisk never reached \(point)", file: file, line: line)
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        try errHandle.close()
        return (process.terminationStatus, try String(contentsOf: errURL, encoding: .utf8))
    }

    private func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in TemporaryDirectory.entries(directory) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    func testInterruptBeforeAnyOutputWritesNothing() throws {
        for (stage, signalNumber, status) in [("load", SIGINT, Int32(130)), ("kernel density", SIGTERM, 143), ("routes", SIGINT, 130)] {
            let out = dir.path("out-\(signalNumber)-\(stage.replacingOccurrences(of: " ", with: "-"))")
            let r = try interrupt(["score", "--scene", Paths.tinyScene.path, "--out", out.path], at: stage, with: signalNumber)
            XCTAssertEqual(r.status, status, r.stderr)
            XCTAssertTrue(r.stderr.contains("interrupted by \(signalNumber == SIGINT ? "SIGINT" : "SIGTERM")"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(stage): \(TemporaryDirectory.entries(out))")
        }
    }

    /// At `commit` every output is staged under a temporary name: the signal must remove them
    /// all and leave the previous outputs as they were.
    func testInterruptWhileOutputsAreStagedLeavesThePreviousOnes() throws {
        for format in ["geojson", "gpkg"] {
            let out = dir.path("out-\(format)")
            try CLI.assertExit(0, ["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", format, "--quiet"])
            let before = try snapshot(out)
            let r = try interrupt(["score", "--scene", Paths.tinyScene.path, "--out", out.path, "--format", format,
                                   "--overwrite", "--weight", "persons"], at: "commit", with: SIGTERM)
            XCTAssertEqual(r.status, 143, r.stderr)
            XCTAssertEqual(try snapshot(out), before, "\(format): outputs changed or temporary files left")
        }
    }

    func testInterruptedReplayWithNotebookLeavesNothing() throws {
        let out = dir.path("replay")
        let r = try interrupt(["replay", "--scene", Paths.tinyScene.path, "--from", "2024-01-01", "--to", "2024-06-01",
                               "--step", "90d", "--out", out.path, "--notebook", dir.path("w.ipynb").path],
                              at: "commit", with: SIGINT)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(TemporaryDirectory.entries(out))")
        XCTAssertEqual(TemporaryDirectory.entries(dir.url).filter { $0.contains(".tmp") || $0.hasSuffix(".ipynb") }, [])
    }

    /// A file-size limit (`ulimit -f`, in 1024-byte blocks for bash) makes every write past it
    /// fail with EFBIG, as a full disk fails with ENOSPC: exit 73 and the old outputs stay.
    func testWriteThatRunsOutOfRoomExits73AndKeepsThePreviousOutputs() throws {
        let cases: [(args: [String], blocks: Int)] = [
            (["score", "--scene", Paths.tinyScene.path, "--all-cells"], 64),
            (["score", "--scene", Paths.tinyScene.path, "--format", "gpkg", "--all-cells"], 64),
            (["replay", "--scene", Paths.tinyScene.path, "--from", "2024-01-01", "--to", "2024-06-01", "--step", "90d"], 16),
        ]
        for (i, c) in cases.enumerated() {
            let out = dir.path("out-\(i)")
            try CLI.assertExit(0, c.args + ["--out", out.path, "--quiet"])
            let before = try snapshot(out)
            XCTAssertTrue(before.values.contains { $0.count > c.blocks * 1024 }, "an output is larger than the limit")
            let command = "ulimit -f \(c.blocks); exec \"$0\" \"$@\""
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", command, CLI.binary.path] + c.args + ["--out", out.path, "--overwrite", "--weight", "persons", "--quiet"]
            let errPipe = Pipe()
            process.standardError = errPipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "killed by a signal (SIGXFSZ not ignored?): \(stderr)")
            XCTAssertEqual(process.terminationStatus, 73, "\(c.args): \(stderr)")
            XCTAssertEqual(try snapshot(out), before, "\(c.args): outputs changed or temporary files left")
        }
    }
}

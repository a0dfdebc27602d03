import Foundation
import XCTest

/// Runs the built `routerisk` binary, as swift-argument-parser's `AssertExecuteCommand` does:
/// the products directory is the one holding the test bundle, the binary sits next to it.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        let timedOut: Bool

        var summary: String { "exit \(status)\(timedOut ? " (timed out)" : "")\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)" }
    }

    /// The directory of the build products (`.build/debug` on Linux).
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
        #else
        // swift-corelibs-xctest: the test runner is an executable in the products directory.
        return Bundle.main.bundleURL
        #endif
    }

    /// `ROUTERISK_BIN` overrides; else the products directory, else the package's `.build/debug`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ROUTERISK_BIN"] { return URL(fileURLWithPath: path) }
        let candidates = [
            productsDirectory.appendingPathComponent("routerisk"),
            Paths.packageRoot.appendingPathComponent(".build/debug/routerisk"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `routerisk args…` in `directory` and captures its output. Stdout and stderr go to
    /// files (no pipe can fill up and block the child); stdin is /dev/null. The child is killed
    /// after `timeout` seconds.
    static func run(
        _ args: [String], in directory: URL? = nil, environment extra: [String: String] = [:],
        timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Result {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            XCTFail("routerisk binary not found at \(binary.path): run `swift build --build-tests` first", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("routerisk-cli-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        // The sample scene is found from the binary's own build path unless a test says otherwise.
        env["ROUTERISK_SAMPLE_SCENE"] = nil
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            finished.wait()
        }
        try outHandle.close()
        try errHandle.close()
        let result = Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            timedOut: timedOut)
        XCTAssertFalse(timedOut, "routerisk \(args.joined(separator: " ")) timed out after \(timeout) s", file: file, line: line)
        return result
    }

    /// Runs and asserts the exit status; returns the result for further checks.
    @discardableResult
    static func assertExit(
        _ status: Int32, _ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
        timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Result {
        let r = try run(args, in: directory, environment: environment, timeout: timeout, file: file, line: line)
        XCTAssertEqual(r.status, status, "routerisk \(args.joined(separator: " ")):\n\(r.summary)", file: file, line: line)
        return r
    }
}

/// Paths of the package and its fixtures, from this source file's location.
enum Paths {
    /// `<root>/Tests/routeriskCLITests/Support/CLI.swift` → `<root>`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tinyScene = packageRoot.appendingPathComponent("Tests/RouteRiskTests/Fixtures/tiny")
    static let sampleScene = packageRoot.appendingPathComponent("data")
}

/// A fresh temporary directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Copies the tiny scene into `name` and returns its directory.
    func copyTinyScene(_ name: String = "scene") throws -> URL {
        let target = path(name)
        try FileManager.default.copyItem(at: Paths.tinyScene, to: target)
        return target
    }

    /// Every entry below `dir` (recursively, hidden ones included), as paths relative to it.
    static func entries(_ dir: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        return (e.allObjects as? [String] ?? []).sorted()
    }
}

extension String {
    /// Replaces `target` and fails the test if it did not occur exactly once.
    func replacingOnce(_ target: String, with replacement: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let n = components(separatedBy: target).count - 1
        XCTAssertEqual(n, 1, "the fixture should contain '\(target)' exactly once", file: file, line: line)
        return replacingOccurrences(of: target, with: replacement)
    }
}

/// Reads a JSON object file with JSONSerialization.
func jsonObject(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        XCTFail("\(url.path): not a JSON object", file: file, line: line)
        throw CocoaError(.fileReadCorruptFile)
    }
    return object
}

/// A summary (`summary.json`, `replay-summary.json`) without `provenance.command_line`: the
/// command as typed, which differs between two runs given other flags (`--out`, `--threads`,
/// `--format`) while everything the model computed stays the same.
func withoutCommandLine(_ summary: [String: Any]) -> [String: Any] {
    var s = summary
    if var p = s["provenance"] as? [String: Any] {
        p["command_line"] = nil
        s["provenance"] = p
    }
    return s
}

/// `withoutCommandLine` of a summary file, as bytes-independent JSON for comparison.
func summaryWithoutCommandLine(_ url: URL) throws -> NSDictionary {
    NSDictionary(dictionary: withoutCommandLine(try jsonObject(url)))
}

import Foundation
import XCTest

/// Debian's headless Chromium (installed by `make test`): loads a local page, lets its scripts
/// run for 3 s of virtual time, and returns the DOM and Chromium's stderr (page console
/// messages are its ":CONSOLE(" lines).
enum HeadlessChromium {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func dumpDOM(_ page: URL, in dir: TemporaryDirectory, file: StaticString = #filePath, line: UInt = #line)
        throws -> (dom: String, log: String)
    {
        guard let path else { throw XCTSkip("chromium is not installed (make test installs it)") }
        let run = UUID().uuidString
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(dir.path("profile-\(run)").path)", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=3000", "--dump-dom", page.absoluteString,
        ]
        let out = dir.path("dom-\(run).html"), err = dir.path("stderr-\(run).txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = try String(contentsOf: err, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 0, log, file: file, line: line)
        return (try String(contentsOf: out, encoding: .utf8), log)
    }
}

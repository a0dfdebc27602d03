import Foundation
import XCTest

/// `notebooks-export/` holds the workshop notebook for the bundled sample scene; regenerating
/// it with the command in its README must give the same bytes, and it must validate against
/// the nbformat schema (Tests/tools/validate_notebook.py, with nbformat from `make test`).
final class NotebookExportTests: XCTestCase {
    static let exported = Paths.packageRoot.appendingPathComponent("notebooks-export/sample-scene-replay.ipynb")
    /// The command of notebooks-export/README.md (also `make notebook`).
    static let arguments = [
        "replay", "--from", "2023-01-01", "--to", "2025-10-01", "--step", "91d", "--coverage", "0.25%",
    ]

    func testExportedNotebookIsReproducedByTheDocumentedCommand() throws {
        let dir = try TemporaryDirectory()
        let notebook = dir.path("sample-scene-replay.ipynb")
        try CLI.assertExit(0, Self.arguments + ["--out", dir.path("out").path, "--notebook", notebook.path, "--quiet"], timeout: 600)
        let fresh = try Data(contentsOf: notebook)
        let committed = try Data(contentsOf: Self.exported)
        XCTAssertTrue(fresh == committed, "notebooks-export/sample-scene-replay.ipynb is stale: run `make notebook`")
    }

    func testExportedNotebookValidatesAgainstTheNbformatSchema() throws {
        let python = ["/usr/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "python3"
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [python, "-c", "import nbformat"]
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else { throw XCTSkip("nbformat is not installed for \(python) (make test installs python3-nbformat)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, Paths.packageRoot.appendingPathComponent("Tests/tools/validate_notebook.py").path, Self.exported.path]
        let err = Pipe()
        p.standardError = err
        try p.run(); p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, message)
    }
}

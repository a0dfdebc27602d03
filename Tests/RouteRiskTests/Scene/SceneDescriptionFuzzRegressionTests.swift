import XCTest
@testable import RouteRisk

/// Findings of `make fuzz` (FuzzSceneOptions) on scene.toml, each a regression test.
final class SceneDescriptionFuzzRegressionTests: XCTestCase {
    /// toml++ (inside TOMLKit) aborts the process with a failed assertion in `parse_key` when a
    /// table header's name starts with a character that cannot start a key: `[` then a newline,
    /// `#`, `.`, `=`, `,`, `{`, `*`, a non-ASCII letter, … The loader must refuse those first, as
    /// bad data (exit 65) naming the file and the line.
    func testUnnamedTableHeadersAreRefusedWithTheirLine() throws {
        let crashing = ["[\n", "[#x\n", "[[\n", "[.a]\n", "[ \t\n", "[\r\n", "[=\n", "[,\n", "[{\n", "[\\x]\n",
                        "[\u{e9}]\n", "[[ .a]]\n", "[*]\n", "[\u{0b}]\n", "[\u{0c}]\n"]
        for header in crashing {
            let text = "[layers]\r\ncoastline = \"c.geojson\"\n\n" + header + "cell = \"5km\"\n"
            XCTAssertEqual(SceneDescription.lineOfUnnamedTableHeader(text), 4, header.debugDescription)
        }
        // Headers toml++ handles itself (a parse error or a valid table) are left to it.
        for fine in ["[layers]\n", "[ options ]\n", "[\"quoted\"]\n", "['x']\n", "[]\n", "[ ]\n", "[[a]]\n", "[a.]\n", "[",
                     "[_x]\n", "[-x]\n", "[9]\n", "cell = \"[#\"\n"] {
            XCTAssertNil(SceneDescription.lineOfUnnamedTableHeader(fine), fine.debugDescription)
        }
    }

    /// The fuzzer's own input, end to end: a `RunError.badData` with file and line, no abort.
    func testTheFuzzFindingIsBadData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "# A tiny hand-built scene stline = \"coastline.geojson\"\nbs = \"interceptions.csv\"\n\n[\ncell = \"5km\"\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("scene.toml"))
        XCTAssertThrowsError(try SceneDescription.load(directory: directory)) { error in
            guard case RunError.badData(let lines) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(lines, ["\(directory.appendingPathComponent("scene.toml").path):4: a table header needs a name in brackets, such as [layers] or [options]"])
        }
    }
}

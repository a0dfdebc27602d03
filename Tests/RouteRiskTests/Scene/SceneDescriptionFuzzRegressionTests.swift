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

    /// toml++ also aborts (in its time scanner) on a date followed by a space and a lone digit at the end of a
    /// line; no option takes a date literal, so every one is refused first, with its line, and strings, comments,
    /// numbers (exponents, signs) and keys with digits are left alone.
    func testDateAndTimeLiteralsAreRefusedWithTheirLine() throws {
        for value in ["2024-02-2= 2", "1979-05-27 0", "2024-02-02 2", "1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", "0:1",
                      "[1979-05-27 0]", "{ a = 2024-01-01 }", "\"x\" 2024-01-01", "20L4-02-2= 2", "-1-2", "2x:3"] {
            let text = "[layers]\ncoastline = \"c.geojson\" # 2024-01-01\n\n[options]\ncell = \(value)\n"
            XCTAssertEqual(SceneDescription.lineOfDateOrTimeLiteral(text), 5, value.debugDescription)
        }
        for fine in ["cell = \"5km\"\n", "as_of = \"2024-01-01\"\n", "a = 'x 2024-01-01'\n", "# 1979-05-27 0\n", "a = 1e-5\n",
                     "a = -5\n", "a = +1.5e-3\n", "a = 0x1f\n", "a-1-2 = 3\n", "x9-1 = 1\n", "a = \"\"\"\n2024-01-01\n\"\"\"\n",
                     "a = '''\n07:30\n'''\n", "a = \"\\\" 2024-01-01\"\n", "a = 1_000\n", "a = \"unclosed\nb = 1\n"] {
            XCTAssertNil(SceneDescription.lineOfDateOrTimeLiteral(fine), fine.debugDescription)
        }
        // Lines are counted inside multi-line strings too; an unclosed one-line string ends at its line.
        XCTAssertEqual(SceneDescription.lineOfDateOrTimeLiteral("a = \"\"\"\nx\ny\"\"\"\nb = 07:30\n"), 4)
        XCTAssertEqual(SceneDescription.lineOfDateOrTimeLiteral("a = \"open\nb = 07:30\n"), 2)
    }

    /// The fuzzers' inputs that found them, end to end: bad data naming the file and the line, no abort.
    func testTheFuzzFindingsAreBadData() throws {
        try assertLoadRefuses(
            "# A tiny hand-built scene stline = \"coastline.geojson\"\nbs = \"interceptions.csv\"\n\n[\ncell = \"5km\"\n",
            line: 4, reason: "a table header needs a name in brackets, such as [layers] or [options]")
        try assertLoadRefuses(
            "[layers]\nroutes =2024-02-2= 2\nreach = \"50km\"\nweight = \"persons\"\n",
            line: 2, reason: "a date or time is written in quotes in a scene.toml, such as as_of = \"2024-01-01\"")
        try assertLoadRefuses(
            "[layers]\nroutes =20L4-02-2= 2\nreach = \"50km\"\nweight = \"persons\"\n",
            line: 2, reason: "a date or time is written in quotes in a scene.toml, such as as_of = \"2024-01-01\"")
    }

    private func assertLoadRefuses(_ text: String, line: Int, reason: String, file: StaticString = #filePath,
                                   testLine: UInt = #line) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("scene.toml"))
        XCTAssertThrowsError(try SceneDescription.load(directory: directory), file: file, line: testLine) { error in
            guard case RunError.unusable(let lines) = error else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(lines, ["\(directory.appendingPathComponent("scene.toml").path):\(line): \(reason)"], file: file, line: testLine)
            // Bad data (65), but no row to skip: the message does not suggest --skip-invalid.
            XCTAssertEqual((error as? RunError)?.exitStatus, 65, file: file, line: testLine)
            XCTAssertFalse("\(error)".contains("skip-invalid"), "\(error)", file: file, line: testLine)
        }
    }
}

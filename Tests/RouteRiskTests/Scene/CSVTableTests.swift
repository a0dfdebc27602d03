import Foundation
import XCTest
import RouteRisk

final class CSVTableTests: XCTestCase {
    private func parse(_ text: String) throws -> CSVTable {
        try CSVTable.parse(text, file: "t.csv")
    }

    private func assertMalformed(
        _ text: String, line: Int, reasonContains fragment: String,
        file: StaticString = #filePath, fileLine: UInt = #line
    ) {
        XCTAssertThrowsError(try parse(text), file: file, line: fileLine) { error in
            guard case let SceneError.malformedCSV(f, l, reason) = error else {
                return XCTFail("unexpected error \(error)", file: file, line: fileLine)
            }
            XCTAssertEqual(f, "t.csv", file: file, line: fileLine)
            XCTAssertEqual(l, line, file: file, line: fileLine)
            XCTAssertTrue(reason.contains(fragment), "reason: \(reason)", file: file, line: fileLine)
            XCTAssertTrue("\(error)".hasPrefix("t.csv:\(line): "), "\(error)", file: file, line: fileLine)
            XCTAssertEqual((error as? SceneError)?.exitStatus, 65, file: file, line: fileLine)
        }
    }

    func testHeaderAndRowsWithLineNumbers() throws {
        let t = try parse("a,b,c\n1,2,3\n4,5,6\n")
        XCTAssertEqual(t.header, ["a", "b", "c"])
        XCTAssertEqual(t.headerLine, 1)
        XCTAssertEqual(t.rows, [CSVRow(line: 2, fields: ["1", "2", "3"]), CSVRow(line: 3, fields: ["4", "5", "6"])])
    }

    func testNoTrailingNewline() throws {
        let t = try parse("a,b\n1,2")
        XCTAssertEqual(t.rows, [CSVRow(line: 2, fields: ["1", "2"])])
    }

    func testEmptyFieldsAndTrailingComma() throws {
        let t = try parse("a,b,c\n,,\n1,\n")
        XCTAssertEqual(t.rows.map(\.fields), [["", "", ""], ["1", ""]])
    }

    func testQuotedFieldsWithCommasAndDoubledQuotes() throws {
        let t = try parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"\",\"\"\"\"\n")
        XCTAssertEqual(t.rows.map(\.fields), [["x, y", "say \"hi\""], ["", "\""]])
    }

    func testEmbeddedNewlinesKeepLineNumbers() throws {
        let t = try parse("a,b\n\"one\ntwo\nthree\",x\n1,2\n\"p\r\nq\",y\n3,4\n")
        XCTAssertEqual(t.rows.map(\.line), [2, 5, 6, 8])
        XCTAssertEqual(t.rows[0].fields, ["one\ntwo\nthree", "x"])
        XCTAssertEqual(t.rows[2].fields, ["p\r\nq", "y"])
    }

    func testCRLFAndLoneCR() throws {
        let t = try parse("a,b\r\n1,2\r\n3,4\r5,6\r\n")
        XCTAssertEqual(t.header, ["a", "b"])
        XCTAssertEqual(t.rows.map(\.fields), [["1", "2"], ["3", "4"], ["5", "6"]])
        XCTAssertEqual(t.rows.map(\.line), [2, 3, 4])
    }

    func testByteOrderMarkIsSkipped() throws {
        let t = try parse("\u{FEFF}id,date\n1,2\n")
        XCTAssertEqual(t.header, ["id", "date"])
    }

    func testBlankLinesAreNotRowsButCount() throws {
        let t = try parse("\n\na,b\n\n1,2\n   \n\t\r\n3,4\n\n")
        XCTAssertEqual(t.headerLine, 3)
        XCTAssertEqual(t.rows, [CSVRow(line: 5, fields: ["1", "2"]), CSVRow(line: 8, fields: ["3", "4"])])
    }

    func testWrongFieldCountsAreKept() throws {
        let t = try parse("a,b,c\n1,2\n1,2,3,4\n")
        XCTAssertEqual(t.rows.map(\.fields.count), [2, 4])
    }

    func testFieldsAreNotTrimmed() throws {
        let t = try parse("a,b\n 1 , 2\n")
        XCTAssertEqual(t.rows[0].fields, [" 1 ", " 2"])
    }

    func testSpacesAfterClosingQuoteAreIgnored() throws {
        let t = try parse("a,b\n\"x\"  ,\"y\" \n")
        XCTAssertEqual(t.rows[0].fields, ["x", "y"])
    }

    func testQuoteInsideUnquotedFieldIsLiteral() throws {
        let t = try parse("a\n5\"3\n")
        XCTAssertEqual(t.rows[0].fields, ["5\"3"])
    }

    func testNonASCIIText() throws {
        let t = try parse("name\nTanjung Balai Karimun — pelabuhan\n\"Motaain, NTT ✓\"\n")
        XCTAssertEqual(t.rows.map(\.fields), [["Tanjung Balai Karimun — pelabuhan"], ["Motaain, NTT ✓"]])
    }

    func testUnterminatedQuoteNamesTheLineWhereItOpened() {
        assertMalformed("a,b\n1,2\n3,\"oops\n4,5\n6,7\n", line: 3, reasonContains: "opened on line 3 is never closed")
    }

    func testTextAfterClosingQuote() {
        assertMalformed("a,b\n1,2\n\"x\"y,2\n", line: 3, reasonContains: "after a closing quote")
    }

    func testInvalidUTF8() throws {
        let bytes: [UInt8] = Array("a,b\n1,2\n3,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        XCTAssertThrowsError(try bytes.withUnsafeBufferPointer { try CSVTable.parse(bytes: $0, file: "t.csv") }) {
            XCTAssertEqual($0 as? SceneError, .malformedCSV(file: "t.csv", line: 3, reason: "text is not valid UTF-8"))
        }
    }

    func testEmptyFileHasNoHeader() {
        for text in ["", "\u{FEFF}", "\n\n  \n"] {
            XCTAssertThrowsError(try parse(text)) { XCTAssertEqual($0 as? SceneError, .noHeader(file: "t.csv")) }
        }
    }

    func testHeaderOnly() throws {
        let t = try parse("a,b\n")
        XCTAssertEqual(t.header, ["a", "b"])
        XCTAssertTrue(t.rows.isEmpty)
    }

    func testReadFromFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("events.csv")
        try Data("\u{FEFF}a,b\r\n\"1\r\n\",2\r\n3,4\r\n".utf8).write(to: url)
        let t = try CSVTable.read(contentsOf: url)
        XCTAssertEqual(t.rows, [CSVRow(line: 2, fields: ["1\r\n", "2"]), CSVRow(line: 4, fields: ["3", "4"])])

        let missing = dir.appendingPathComponent("absent.csv")
        XCTAssertThrowsError(try CSVTable.read(contentsOf: missing)) { error in
            guard case let SceneError.unreadableFile(file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, missing.path)
            XCTAssertEqual((error as? SceneError)?.exitStatus, 66)
        }
    }

    /// 50,000 rows: a loose regression guard for the byte-level scanner in
    /// debug builds (a release build reads 200,000 rows in about 0.1 s).
    func testLargeTableIsFast() throws {
        var block = ""
        for i in 0..<10 {
            block += "I\(i),2023-0\(i % 9 + 1)-1\(i),110.\(i),1.\(i),\(i % 7),\"smuggling, land\",boat\n"
        }
        let text = "id,date,lon,lat,persons,category,mode\n" + String(repeating: block, count: 5_000)
        let start = Date()
        let t = try parse(text)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(t.rows.count, 50_000)
        XCTAssertEqual(t.rows.last?.line, 50_001)
        XCTAssertEqual(t.rows[1].fields, ["I1", "2023-02-11", "110.1", "1.1", "1", "smuggling, land", "boat"])
        XCTAssertLessThan(elapsed, 5, "parsing 50,000 rows took \(elapsed) s")
    }
}

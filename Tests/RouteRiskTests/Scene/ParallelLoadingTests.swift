import XCTest
@testable import RouteRisk

/// The CSV parsed in pieces against the one-piece parse, and the interception rows checked in parallel chunks
/// against the public one-record-at-a-time validator (its own id claims).
final class ParallelLoadingTests: XCTestCase {
    private func onePiece(_ text: String) throws -> CSVTable {
        var text = text
        return try text.withUTF8 { try CSVTable.parse(bytes: $0, file: "x.csv", chunks: 1, minimumChunkBytes: 1) }
    }

    private func pieces(_ text: String, _ chunks: Int) throws -> CSVTable {
        var text = text
        return try text.withUTF8 { try CSVTable.parse(bytes: $0, file: "x.csv", chunks: chunks, minimumChunkBytes: 8) }
    }

    private func assertSameTable(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try onePiece(text)
        for chunks in [2, 3, 7, 50] {
            let b = try pieces(text, chunks)
            XCTAssertEqual(b.header, a.header, "header, \(chunks) pieces", file: file, line: line)
            XCTAssertEqual(b.headerLine, a.headerLine, "header line, \(chunks) pieces", file: file, line: line)
            XCTAssertEqual(b.rows, a.rows, "rows, \(chunks) pieces", file: file, line: line)
        }
    }

    func testPiecesGiveTheSameRecordsAndLines() throws {
        // Line breaks of every kind, blank and space-only lines, a byte order mark, no final line break.
        var text = "\u{FEFF}\n  \nid,date,lon,lat\r\n"
        for i in 0..<300 {
            let end = ["\n", "\r\n", "\r", "\n\n", "\n \t\n"][i % 5]
            text += "I\(i),2024-01-\(10 + i % 18),11\(i % 10).5,\(i % 7).25\(i % 11 == 0 ? ",extra" : "")" + end
        }
        text += "last,2024-02-01,110,1"
        try assertSameTable(text)
        // A line that is a lone CR at a cut, and a file of blank lines then one record.
        try assertSameTable(String(repeating: "\r\n", count: 40) + "a,b\n1,2\n")
    }

    func testTheFirstErrorInFileOrderIsThrown() throws {
        var lines = ["id,date,lon,lat"]
        for i in 0..<400 { lines.append("I\(i),2024-01-01,110,1") }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        // Invalid UTF-8 on lines 150 and 300: the one-piece parse names line 150.
        for lineNumber in [300, 150] {
            let offset = lines[0..<(lineNumber - 1)].reduce(0) { $0 + $1.utf8.count + 1 }
            bytes[offset + 1] = 0xFF
        }
        func message(_ chunks: Int) -> String {
            bytes.withUnsafeBufferPointer { buffer in
                do {
                    _ = try CSVTable.parse(bytes: buffer, file: "x.csv", chunks: chunks, minimumChunkBytes: 8)
                    return "no error"
                } catch { return "\(error)" }
            }
        }
        XCTAssertTrue(message(1).contains("150"), message(1))
        for chunks in [2, 5, 40] { XCTAssertEqual(message(chunks), message(1)) }
    }

    func testQuotesFallBackToOnePiece() throws {
        var text = "id,name\n"
        for i in 0..<200 { text += i % 9 == 0 ? "\(i),\"a\nb, \"\"c\"\"\"\n" : "\(i),plain\n" }
        try assertSameTable(text)
    }

    func testParallelRowsEqualTheOneAtATimeValidator() throws {
        let now = Timestamp.parse("2026-01-01")!
        var rng = SplitMix64(seed: 8)
        var text = "id,date,lon,lat,persons,category,mode\n"
        let rows = 40_000  // several chunks of 16 384 rows
        for i in 0..<rows {
            let id = rng.uniform(0, 1) < 0.05 ? "I\(Int(rng.uniform(0, Double(i + 1))))" : "I\(i)"  // duplicates, across chunks too
            let date = rng.uniform(0, 1) < 0.01 ? "2027-01-01" : "2024-0\(1 + i % 9)-1\(i % 10)"
            let lon = rng.uniform(0, 1) < 0.01 ? "east" : String(rng.uniform(95, 141))
            let lat = rng.uniform(0, 1) < 0.005 ? "120" : String(rng.uniform(-11, 6))
            let persons = rng.uniform(0, 1) < 0.01 ? "-2" : String(Int(rng.uniform(0, 9)))
            let short = rng.uniform(0, 1) < 0.002
            text += short ? "\(id),\(date)\n" : "\(id),\(date),\(lon),\(lat),\(persons),smuggling_of_migrants,sea\n"
        }
        let table = try CSVTable.parse(text, file: "e.csv")
        let (events, problems) = try InterceptionCSVReader.read(table: table, file: "e.csv", now: now)
        // Reference: the public validator, one record at a time, in file order.
        var validator = InterceptionValidator(file: "e.csv", now: now)
        var expectedEvents: [Interception] = []
        var expectedProblems: [DataProblem] = []
        for row in table.rows {
            let location = SourceLocation(file: "e.csv", line: row.line)
            guard row.fields.count == 7 else {
                expectedProblems.append(DataProblem(location: location, reason: "expected 7 fields, found \(row.fields.count)"))
                continue
            }
            let f = row.fields
            let lon = Double(f[2]), lat = Double(f[3])
            // The public entry takes numbers: a text that is no number goes in as missing (it still claims its id),
            // and its message (which quotes the text) is left out of the comparison below.
            switch validator.validate(id: f[0], date: f[1], lon: lon, lat: lat, persons: f[4], category: f[5],
                                      mode: f[6], location: location) {
            case let .success(e): expectedEvents.append(e)
            case let .failure(p): expectedProblems.append(p)
            }
        }
        XCTAssertGreaterThan(expectedProblems.count, 500)
        XCTAssertGreaterThan(Set(problems.map(\.reason)).filter { $0.hasPrefix("duplicate id") }.count, 100)
        // Rows with a non-numeric lon/lat are left out of the reference (their message quotes the text): compare
        // everything else.
        let skipped = Set(table.rows.filter { $0.fields.count == 7 && (Double($0.fields[2]) == nil || Double($0.fields[3]) == nil) }.map(\.line))
        XCTAssertEqual(problems.filter { !skipped.contains($0.location.line!) }.map(\.description),
                       expectedProblems.filter { !skipped.contains($0.location.line!) }.map(\.description))
        XCTAssertEqual(events.map(\.location), expectedEvents.map(\.location))
        XCTAssertEqual(events.map(\.id), expectedEvents.map(\.id))
        XCTAssertEqual(events.map(\.time), expectedEvents.map(\.time))
        XCTAssertEqual(events.map(\.lon), expectedEvents.map(\.lon))
        XCTAssertEqual(events.map(\.persons), expectedEvents.map(\.persons))
    }
}

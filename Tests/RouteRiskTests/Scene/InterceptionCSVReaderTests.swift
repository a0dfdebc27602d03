import XCTest
import RouteRisk

final class InterceptionCSVReaderTests: XCTestCase {
    private let now = Timestamp.parse("2026-11-29T12:00:00Z")!

    private func read(_ text: String) throws -> (events: [Interception], problems: [DataProblem]) {
        let table = try CSVTable.parse(text, file: "e.csv")
        return try InterceptionCSVReader.read(table: table, file: "e.csv", now: now)
    }

    func testReadsAllColumns() throws {
        let (events, problems) = try read("""
            id,date,lon,lat,persons,category,mode
            I1,2024-05-01,110.355,1.015,3,migrant,land
            I2,2024-05-02T10:00+07:00,104.05,1.13,,,boat

            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(events.map(\.id), ["I1", "I2"])
        XCTAssertEqual(events.map(\.persons), [3, 1])
        XCTAssertEqual(events.map(\.category), ["migrant", nil])
        XCTAssertEqual(events.map(\.mode), ["land", "boat"])
        XCTAssertEqual(events[1].time, Timestamp.parse("2024-05-02T03:00Z"))
        XCTAssertEqual(events[0].lon, 110.355)
        XCTAssertEqual(events[0].lat, 1.015)
        XCTAssertEqual(events.map(\.location), [SourceLocation(file: "e.csv", line: 2), SourceLocation(file: "e.csv", line: 3)])
    }

    func testHeaderNamesAreCaseInsensitiveTrimmedWithAliasesInAnyOrder() throws {
        let (events, problems) = try read(" LATITUDE ,Longitude,Date\n1.5,110.5,2024-01-01\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].lat, 1.5)
        XCTAssertEqual(events[0].lon, 110.5)
        XCTAssertNil(events[0].id)
        XCTAssertEqual(events[0].persons, 1)
        XCTAssertEqual(try read("date,lng,lat\n2024-01-01,110.5,1.5\n").events.first?.lon, 110.5)
    }

    func testMissingRequiredColumn() {
        XCTAssertThrowsError(try read("id,date,x,lat,name\n1,2024-01-01,1,2,Budi\n")) { error in
            XCTAssertEqual(
                error as? SceneError, .missingColumn(file: "e.csv", column: "lon", found: ["id", "date", "x", "lat", "name"]))
            XCTAssertEqual(
                "\(error)", "e.csv: missing required column 'lon' (found: 'id', 'date', 'x', 'lat', 'name')")
            XCTAssertEqual((error as? SceneError)?.exitStatus, 65)
        }
        XCTAssertThrowsError(try read("lon,lat\n")) {
            XCTAssertEqual($0 as? SceneError, .missingColumn(file: "e.csv", column: "date", found: ["lon", "lat"]))
        }
    }

    func testTwoColumnsForOneField() {
        XCTAssertThrowsError(try read("date,lon,longitude,lat\n")) {
            XCTAssertEqual(
                $0 as? SceneError,
                .duplicateColumn(file: "e.csv", column: "lon", found: ["date", "lon", "longitude", "lat"]))
        }
    }

    func testWrongFieldCount() throws {
        let (events, problems) = try read("""
            id,date,lon,lat,persons,category,mode
            I1,2024-05-01,110.3,1.0,3
            I2,2024-05-01,110.3,1.0,3,,,
            I1,2024-05-01,110.3,1.0,3,,

            """)
        XCTAssertEqual(problems.map(\.description), [
            "e.csv:2: expected 7 fields, found 5",
            "e.csv:3: expected 7 fields, found 8",
        ])
        // A misaligned row claims no id: I1 on line 4 is its first valid occurrence.
        XCTAssertEqual(events.map(\.id), ["I1"])
    }

    func testUnparseableAndEmptyCoordinates() throws {
        let (events, problems) = try read("""
            date,lon,lat
            2024-01-01,abc,1
            2024-01-01,,1
            2024-01-01, 110.5 ,"1,5"
            2024-01-01,0x10,1
            2024-01-01,NaN,1

            """)
        XCTAssertEqual(events.count, 0)
        XCTAssertEqual(problems.map(\.description), [
            "e.csv:2: longitude 'abc' is not a number",
            "e.csv:3: missing longitude",
            "e.csv:4: latitude '1,5' is not a number",
            "e.csv:5: longitude '0x10' is not a number",
            "e.csv:6: longitude NaN is not a finite number",
        ])
    }

    func testRangeMessagesEchoTheTextAsWritten() throws {
        let (_, problems) = try read("date,lon,lat\n2024-01-01,1.010,95.20\n")
        XCTAssertEqual(problems.map(\.reason), ["latitude 95.20 is outside −90…90 (lat and lon look swapped?)"])
    }

    func testProblemsCarryTheRightLinesAfterEmbeddedNewlinesAndBlankLines() throws {
        let (events, problems) = try read("""
            id,date,lon,lat,category
            A,2024-01-01,110,1,"two
            lines"

            A,2024-01-02,110,1,x
            B,2031-01-01,110,1,x

            """)
        XCTAssertEqual(events.map(\.id), ["A"])
        XCTAssertEqual(events[0].category, "two\nlines")
        XCTAssertEqual(problems.map(\.description), [
            "e.csv:5: duplicate id 'A' (first on line 2)",
            "e.csv:6: date 2031-01-01 is after the time of the run (2026-11-29)",
        ])
    }

    func testUnknownColumnsAreIgnored() throws {
        let (events, problems) = try read("""
            id,name,passport,date,lon,lat
            I1,Budi Santoso,X1234567,2024-01-01,110,1

            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(events.count, 1)
        let dump = String(describing: events[0])
        XCTAssertFalse(dump.contains("Budi"))
        XCTAssertFalse(dump.contains("X1234567"))
    }

    func testHeaderOnly() throws {
        let (events, problems) = try read("date,lon,lat\n")
        XCTAssertTrue(events.isEmpty)
        XCTAssertTrue(problems.isEmpty)
    }
}

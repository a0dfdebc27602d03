import XCTest
import RouteRisk

final class InterceptionValidatorTests: XCTestCase {
    /// 2026-11-29T12:00:00Z.
    private let now = Timestamp.parse("2026-11-29T12:00:00Z")!
    private var validator = InterceptionValidator(file: "e.csv", now: 0)

    override func setUp() {
        validator = InterceptionValidator(file: "e.csv", now: now)
    }

    private func at(_ line: Int) -> SourceLocation { SourceLocation(file: "e.csv", line: line) }

    private func check(
        id: String? = nil, date: String? = "2024-05-01", lon: Double? = 110.35, lat: Double? = 1.01,
        persons: String? = nil, category: String? = nil, mode: String? = nil, line: Int = 2
    ) -> Result<Interception, DataProblem> {
        validator.validate(
            id: id, date: date, lon: lon, lat: lat, persons: persons, category: category, mode: mode,
            location: at(line))
    }

    private func assertProblem(
        _ result: Result<Interception, DataProblem>, _ reason: String, line: Int = 2,
        file: StaticString = #filePath, fileLine: UInt = #line
    ) {
        switch result {
        case .success(let event):
            XCTFail("expected a problem, got \(event)", file: file, line: fileLine)
        case .failure(let problem):
            XCTAssertEqual(problem.reason, reason, file: file, line: fileLine)
            XCTAssertEqual(problem.location, at(line), file: file, line: fileLine)
            XCTAssertEqual(problem.description, "e.csv:\(line): \(reason)", file: file, line: fileLine)
        }
    }

    func testValidRecord() throws {
        let event = try check(
            id: " I1 ", date: "2024-05-01T08:30+07:00", lon: 110.35, lat: 1.01, persons: "3",
            category: " migrant ", mode: "", line: 9
        ).get()
        XCTAssertEqual(event.id, "I1")
        XCTAssertEqual(event.time, Timestamp.parse("2024-05-01T01:30Z"))
        XCTAssertEqual(event.lon, 110.35)
        XCTAssertEqual(event.lat, 1.01)
        XCTAssertEqual(event.persons, 3)
        XCTAssertEqual(event.category, "migrant")
        XCTAssertNil(event.mode)
        XCTAssertEqual(event.location, at(9))
    }

    func testLongitudeOutOfRange() {
        assertProblem(check(lon: 200.5), "longitude 200.5 is outside −180…180")
        assertProblem(check(lon: -181), "longitude -181 is outside −180…180")
    }

    func testRangeEndsAreValid() {
        XCTAssertNoThrow(try check(id: "a", lon: 180, lat: -90).get())
        XCTAssertNoThrow(try check(id: "b", lon: -180, lat: 90).get())
    }

    func testLatitudeOutOfRange() {
        assertProblem(check(lon: 110, lat: -95.5), "latitude -95.5 is outside −90…90")
    }

    func testSwappedLatLonHint() {
        assertProblem(check(lon: 1.01, lat: 110.35), "latitude 110.35 is outside −90…90 (lat and lon look swapped?)")
        assertProblem(check(lon: 1.01, lat: 95.2), "latitude 95.2 is outside −90…90 (lat and lon look swapped?)")
        // Swapping would not help: no hint.
        assertProblem(check(lon: 100, lat: 95.2), "latitude 95.2 is outside −90…90")
        assertProblem(check(lon: 1, lat: 200), "latitude 200 is outside −90…90")
    }

    func testNonFiniteCoordinates() {
        assertProblem(check(lon: .nan), "longitude nan is not a finite number")
        assertProblem(check(lat: -.infinity), "latitude -inf is not a finite number")
    }

    func testMissingCoordinates() {
        assertProblem(check(lon: nil, lat: nil), "missing longitude; missing latitude")
    }

    func testMissingDate() {
        assertProblem(check(date: nil), "missing date")
        assertProblem(check(date: "  "), "missing date")
    }

    func testUnparseableDate() {
        assertProblem(
            check(date: "2021-13-01"), "unparseable date '2021-13-01' (expected YYYY-MM-DD or ISO 8601 date-time)")
        assertProblem(
            check(date: "01/02/2021"), "unparseable date '01/02/2021' (expected YYYY-MM-DD or ISO 8601 date-time)")
    }

    func testDateAfterTheRun() {
        assertProblem(check(date: "2031-01-01"), "date 2031-01-01 is after the time of the run (2026-11-29)")
        assertProblem(
            check(date: "2026-11-29T12:00:01Z"),
            "date 2026-11-29T12:00:01Z is after the time of the run (2026-11-29T12:00:00Z)")
    }

    func testDateAtTheRunIsValid() {
        XCTAssertNoThrow(try check(id: "a", date: "2026-11-29").get())
        XCTAssertNoThrow(try check(id: "b", date: "2026-11-29T12:00:00Z").get())
        XCTAssertNoThrow(try check(id: "c", date: "2026-11-29T19:00:00+07:00").get())
    }

    func testPersonsDefaultsToOne() throws {
        XCTAssertEqual(try check(id: "a", persons: nil).get().persons, 1)
        XCTAssertEqual(try check(id: "b", persons: "").get().persons, 1)
        XCTAssertEqual(try check(id: "c", persons: " ").get().persons, 1)
    }

    func testPersonsIntegral() throws {
        XCTAssertEqual(try check(id: "a", persons: "0").get().persons, 0)
        XCTAssertEqual(try check(id: "b", persons: "12").get().persons, 12)
        XCTAssertEqual(try check(id: "c", persons: "3.0").get().persons, 3)
        XCTAssertEqual(try check(id: "d", persons: "+4").get().persons, 4)
    }

    func testPersonsInvalid() {
        for p in ["-2", "2.5", "abc", "1e2", "3.", ".0", "0x10", "99999999999999999999999"] {
            assertProblem(check(persons: p), "persons '\(p)' is not an integer ≥ 0")
        }
    }

    func testDuplicateID() throws {
        XCTAssertNoThrow(try check(id: "I12", line: 7).get())
        assertProblem(check(id: "I12", line: 9), "duplicate id 'I12' (first on line 7)", line: 9)
        assertProblem(check(id: " I12", line: 11), "duplicate id 'I12' (first on line 7)", line: 11)
        XCTAssertNoThrow(try check(id: "i12", line: 12).get())
    }

    func testInvalidFirstOccurrenceStillClaimsTheID() {
        assertProblem(check(id: "X", date: nil, line: 3), "missing date", line: 3)
        assertProblem(check(id: "X", line: 4), "duplicate id 'X' (first on line 3)", line: 4)
    }

    func testIDsCompareByCodePoint() throws {
        // "é" precomposed and decomposed are canonically equivalent Swift
        // Strings, but different ids (MODEL §1: code point comparison).
        XCTAssertNoThrow(try check(id: "caf\u{E9}", line: 2).get())
        XCTAssertNoThrow(try check(id: "cafe\u{301}", line: 3).get())
    }

    func testEmptyIDIsNoID() throws {
        XCTAssertNil(try check(id: "", line: 2).get().id)
        XCTAssertNil(try check(id: "", line: 3).get().id)
        XCTAssertNil(try check(id: "  ", line: 4).get().id)
    }

    func testDuplicateFromAFeatureIndex() {
        let at3 = SourceLocation(file: "e.gpkg", feature: 3)
        let at8 = SourceLocation(file: "e.gpkg", feature: 8)
        _ = validator.validate(
            id: "7", date: "2024-01-01", lon: 1, lat: 1, persons: nil, category: nil, mode: nil, location: at3)
        let result = validator.validate(
            id: "7", date: "2024-01-01", lon: 1, lat: 1, persons: nil, category: nil, mode: nil, location: at8)
        guard case .failure(let problem) = result else { return XCTFail() }
        XCTAssertEqual(problem.description, "e.gpkg: feature 8: duplicate id '7' (first at feature 3)")
    }

    func testSeveralFaultsInOneProblem() {
        assertProblem(
            check(id: nil, date: "2021-02-30", lon: 300, lat: 1, persons: "-1"),
            "unparseable date '2021-02-30' (expected YYYY-MM-DD or ISO 8601 date-time); "
                + "longitude 300 is outside −180…180; persons '-1' is not an integer ≥ 0")
    }

    func testEchoedValuesAreEscapedAndShortened() {
        assertProblem(
            check(date: "2021\n\u{1B}[31m"),
            "unparseable date '2021\\n\\u{1B}[31m' (expected YYYY-MM-DD or ISO 8601 date-time)")
        let long = String(repeating: "x", count: 100)
        assertProblem(check(persons: long), "persons '\(String(repeating: "x", count: 40))…' is not an integer ≥ 0")
    }

    func testSourceLocationDescriptions() {
        XCTAssertEqual(SourceLocation(file: "a.csv", line: 4).description, "a.csv:4")
        XCTAssertEqual(SourceLocation(file: "a.geojson", feature: 2).description, "a.geojson: feature 2")
        XCTAssertEqual(SourceLocation(file: "a.geojson").description, "a.geojson")
    }
}

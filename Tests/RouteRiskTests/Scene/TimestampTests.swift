import XCTest
import RouteRisk

final class TimestampTests: XCTestCase {
    // Expected values are independently known epoch seconds (checked with
    // Python's datetime and `date -u -d … +%s`).

    func testDates() {
        XCTAssertEqual(Timestamp.parse("1970-01-01"), 0)
        XCTAssertEqual(Timestamp.parse("2000-01-01"), 946_684_800)
        XCTAssertEqual(Timestamp.parse("1969-12-31"), -86_400)
        XCTAssertEqual(Timestamp.parse("1900-03-01"), -2_203_891_200)
        XCTAssertEqual(Timestamp.parse("0001-01-01"), -62_135_596_800)
    }

    func testLeapDays() {
        XCTAssertEqual(Timestamp.parse("2024-02-29"), 1_709_164_800)
        XCTAssertEqual(Timestamp.parse("2000-02-29"), 951_782_400)  // divisible by 400
        XCTAssertNil(Timestamp.parse("2023-02-29"))
        XCTAssertNil(Timestamp.parse("1900-02-29"))  // divisible by 100, not 400
        XCTAssertNil(Timestamp.parse("2100-02-29"))
    }

    func testDateTimes() {
        XCTAssertEqual(Timestamp.parse("2038-01-19T03:14:07Z"), 2_147_483_647)
        XCTAssertEqual(Timestamp.parse("2038-01-19T03:14:07"), 2_147_483_647)  // no zone: UTC
        XCTAssertEqual(Timestamp.parse("2000-01-01T00:00"), 946_684_800)
        XCTAssertEqual(Timestamp.parse("9999-12-31T23:59:59Z"), 253_402_300_799)
    }

    func testFractionAndOffsets() throws {
        let t = try XCTUnwrap(Timestamp.parse("2021-03-04T05:06:07.25+07:00"))
        XCTAssertEqual(t, 1_614_809_167.25, accuracy: 1e-6)
        XCTAssertEqual(Timestamp.parse("2021-03-04T05:06-03:30"), 1_614_846_960)
        XCTAssertEqual(Timestamp.parse("2000-01-01T07:00:00+07:00"), 946_684_800)
        XCTAssertEqual(Timestamp.parse("1999-12-31T17:00:00-07:00"), 946_684_800)
        let fine = try XCTUnwrap(Timestamp.parse("2000-01-01T00:00:00.123456789Z"))
        XCTAssertEqual(fine - 946_684_800, 0.123456789, accuracy: 1e-6)
    }

    func testRejectsOutOfRangeFields() {
        for s in [
            "2021-13-01", "2021-00-10", "2021-04-31", "2021-01-00", "2021-01-32",
            "2021-01-01T24:00", "2021-01-01T12:60", "2021-01-01T12:00:60",
            "2021-01-01T12:00+24:00", "2021-01-01T12:00+05:60",
        ] {
            XCTAssertNil(Timestamp.parse(s), s)
        }
    }

    func testRejectsOtherForms() {
        for s in [
            "", "2021", "2021-1-5", "21-01-05", "2021/01/05", "05/01/2021", "20210105",
            " 2021-01-05", "2021-01-05 ", "2021-01-05T", "2021-01-05T10", "2021-01-05T10:0",
            "2021-01-05 10:00", "2021-01-05T10:00:00.", "2021-01-05T10:00.5",
            "2021-01-05T10:00:00+0700", "2021-01-05T10:00:00+07", "2021-01-05T10:00:00ZZ",
            "2021-01-05Z", "+2021-01-05", "２０２１-01-05", "yesterday",
        ] {
            XCTAssertNil(Timestamp.parse(s), s)
        }
    }

    func testFormatting() {
        XCTAssertEqual(Timestamp.isoDate(0), "1970-01-01")
        XCTAssertEqual(Timestamp.isoDate(1_709_164_800 + 86_399.9), "2024-02-29")
        XCTAssertEqual(Timestamp.isoDate(-1), "1969-12-31")
        XCTAssertEqual(Timestamp.isoDateTime(2_147_483_647.75), "2038-01-19T03:14:07Z")
        XCTAssertEqual(Timestamp.isoDateTime(-0.5), "1969-12-31T23:59:59Z")
        XCTAssertEqual(Timestamp.isoDateTime(-62_135_596_800), "0001-01-01T00:00:00Z")
    }

    func testMonthIndex() {
        XCTAssertEqual(Timestamp.monthIndex(0), 1970 * 12)
        XCTAssertEqual(Timestamp.monthIndex(-1), 1969 * 12 + 11)
        XCTAssertEqual(Timestamp.monthIndex(1_709_164_800), 2024 * 12 + 1)
        XCTAssertEqual(Timestamp.monthStart(2024 * 12 + 1), Timestamp.parse("2024-02-01"))
        XCTAssertEqual(Timestamp.monthStart(1969 * 12 + 11), Timestamp.parse("1969-12-01"))
    }

    func testMonthIndexMonthStartRoundTrip() {
        for index in (1899 * 12)...(2101 * 12) {
            let start = Timestamp.monthStart(index)
            XCTAssertEqual(Timestamp.monthIndex(start), index)
            XCTAssertEqual(Timestamp.monthIndex(start - 0.001), index - 1)
            XCTAssertEqual(Timestamp.monthIndex(Timestamp.monthStart(index + 1) - 1), index)
            XCTAssertTrue(Timestamp.isoDate(start).hasSuffix("-01"))
        }
    }

    func testParseFormatRoundTripOverManyDays() {
        // Every 13th day from 1600 to 2400 (both leap-year rules exercised).
        var t = Timestamp.parse("1600-01-01")!
        let end = Timestamp.parse("2400-12-31")!
        while t <= end {
            XCTAssertEqual(Timestamp.parse(Timestamp.isoDate(t)), t)
            XCTAssertEqual(Timestamp.parse(Timestamp.isoDateTime(t + 45_296)), t + 45_296)
            t += 13 * 86_400
        }
    }

    func testDurations() {
        XCTAssertEqual(Timestamp.parseDuration(days: "365d"), 365)
        XCTAssertEqual(Timestamp.parseDuration(days: "30d"), 30)
        XCTAssertEqual(Timestamp.parseDuration(days: "12.5d"), 12.5)
        XCTAssertEqual(Timestamp.parseDuration(days: "0d"), 0)
        for s in ["", "d", "365", "365 d", "-5d", "+5d", ".5d", "5.d", "1e3d", "5D", "5days", "nand", "infd", "12.5.1d"] {
            XCTAssertNil(Timestamp.parseDuration(days: s), s)
        }
    }
}

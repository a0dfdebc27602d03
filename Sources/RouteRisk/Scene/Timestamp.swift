/// UTC timestamps as seconds since 1970-01-01T00:00:00Z (MODEL §1, §3), by pure
/// arithmetic: no calendars, time zones or formatters.
///
/// Day counts use Howard Hinnant's `days_from_civil` / `civil_from_days`
/// (“chrono-Compatible Low-Level Date Algorithms”,
/// https://howardhinnant.github.io/date_algorithms.html), proleptic Gregorian.
public enum Timestamp {
    private static let secondsPerDay = 86_400.0

    // MARK: Parsing

    /// Parses `YYYY-MM-DD` (00:00 UTC) or an ISO 8601 date-time
    /// `YYYY-MM-DDTHH:MM[:SS[.f…]]` with an optional `Z` or `±HH:MM` offset
    /// (none means UTC). Every field is range-checked (month 1–12, day within
    /// the month including leap years, hour 0–23, minute 0–59, second 0–59,
    /// offset up to ±23:59). Anything else, including surrounding whitespace,
    /// gives nil.
    public static func parse(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = b.count

        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in i..<(i + count) {
                let d = Int(b[k]) - 48
                guard d >= 0, d <= 9 else { return nil }
                v = v * 10 + d
            }
            i += count
            return v
        }
        func expect(_ c: Unicode.Scalar) -> Bool {
            guard i < n, b[i] == UInt8(ascii: c) else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"),
              let day = digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let days = Double(daysFromCivil(year: year, month: month, day: day))
        if i == n { return days * secondsPerDay }

        guard expect("T"), let hour = digits(2), expect(":"), let minute = digits(2),
              hour <= 23, minute <= 59
        else { return nil }
        var seconds = 0.0
        if expect(":") {
            guard let sec = digits(2), sec <= 59 else { return nil }
            seconds = Double(sec)
            if expect(".") {
                let start = i
                var fraction = 0.0
                var scale = 1.0
                while i < n, b[i] >= 48, b[i] <= 57 {
                    if i - start < 15 {  // beyond this a Double cannot tell the difference
                        fraction = fraction * 10 + Double(b[i] - 48)
                        scale *= 10
                    }
                    i += 1
                }
                guard i > start else { return nil }
                seconds += fraction / scale
            }
        }
        var offset = 0
        if i < n {
            if expect("Z") {
                // UTC
            } else if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = digits(2), expect(":"), let om = digits(2), oh <= 23, om <= 59
                else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        // Local time = UTC + offset, so UTC = local − offset.
        return days * secondsPerDay + Double(hour * 3600 + minute * 60 - offset) + seconds
    }

    /// Parses a duration in days: `365d`, `30d`, `12.5d` (digits, an optional
    /// fraction, then `d`). Gives nil for anything else, including signs,
    /// exponents and a missing unit.
    public static func parseDuration(days s: String) -> Double? {
        guard s.hasSuffix("d") else { return nil }
        let number = s.dropLast()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let value = Double(number), value.isFinite
        else { return nil }
        return value
    }

    // MARK: Calendar arithmetic

    /// Calendar month index of a time (UTC): `year·12 + month − 1`.
    /// `t` must be finite (any date of years −300 million … 300 million).
    public static func monthIndex(_ t: Double) -> Int {
        let (y, m, _) = civilFromDays(day(t))
        return y * 12 + m - 1
    }

    /// The first instant (00:00 UTC on day 1) of a month index.
    public static func monthStart(_ monthIndex: Int) -> Double {
        let year = floorDiv(monthIndex, 12)
        let month = monthIndex - year * 12 + 1
        return Double(daysFromCivil(year: year, month: month, day: 1)) * secondsPerDay
    }

    /// `YYYY-MM-DD` (UTC).
    public static func isoDate(_ t: Double) -> String {
        guard t.isFinite else { return "\(t)" }
        let (y, m, d) = civilFromDays(day(t))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC; fractions of a second are dropped, rounding
    /// down).
    public static func isoDateTime(_ t: Double) -> String {
        guard t.isFinite else { return "\(t)" }
        let whole = t.rounded(.down)
        let days = day(t)
        let secs = Int(whole - Double(days) * secondsPerDay)  // 0..<86400
        return "\(isoDate(t))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))Z"
    }

    /// Days since 1970-01-01 of the day that contains `t` (rounding down).
    private static func day(_ t: Double) -> Int {
        precondition(t.isFinite && abs(t) < 1e16, "timestamp \(t) is outside the supported range")
        return Int((t / secondsPerDay).rounded(.down))
    }

    static func isLeapYear(_ y: Int) -> Bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic
    /// Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400                                              // [0, 399]
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                      // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// Hinnant's `civil_from_days`: the proleptic Gregorian date of a day count
    /// since 1970-01-01.
    static func civilFromDays(_ z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                          // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365     // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                    // [0, 365]
        let mp = (5 * doy + 2) / 153                                         // [0, 11]
        let d = doy - (153 * mp + 2) / 5 + 1                                 // [1, 31]
        let m = mp < 10 ? mp + 3 : mp - 9                                    // [1, 12]
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + padded : padded
    }
}

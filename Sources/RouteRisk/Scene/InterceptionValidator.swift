/// Checks interception records one at a time against MODEL §1 and turns the
/// valid ones into `Interception`s.
///
/// A record with several faults gets one `DataProblem` whose reason lists them
/// all, separated by "; ", in the order id, date, longitude, latitude, persons.
/// Every record that carries an id claims it, valid or not: the first
/// occurrence stands and each later one is a duplicate naming the first's line.
/// Ids compare by Unicode code point (MODEL §1), not by canonical equivalence.
public struct InterceptionValidator: Sendable {
    public let file: String
    /// The time of the run, seconds since 1970-01-01T00:00:00Z: later dates are invalid.
    public let now: Double
    private var firstSeen: [CodePointKey: SourceLocation] = [:]

    public init(file: String, now: Double) {
        self.file = file
        self.now = now
    }

    /// Makes room for `count` ids (an optimisation only).
    public mutating func reserveCapacity(_ count: Int) {
        firstSeen.reserveCapacity(count)
    }

    /// Validates one record. Strings are trimmed of surrounding whitespace; an
    /// empty id, category or mode counts as absent, an empty `persons` as 1.
    public mutating func validate(
        id: String?, date: String?, lon: Double?, lat: Double?, persons: String?,
        category: String?, mode: String?, location: SourceLocation
    ) -> Result<Interception, DataProblem> {
        validate(
            id: id, date: date, lon: Coordinate(lon), lat: Coordinate(lat), persons: persons,
            category: category, mode: mode, location: location)
    }

    /// A coordinate as the source gave it.
    enum Coordinate {
        case missing
        /// Text that is not a number.
        case unparseable(String)
        /// A number, with its text when the source was text (for messages).
        case value(Double, text: String?)

        init(_ v: Double?) { self = v.map { .value($0, text: nil) } ?? .missing }

        /// Strict decimal parsing: surrounding whitespace is trimmed; an empty
        /// string is missing; hexadecimal floats are refused.
        init(text raw: String?) {
            guard let raw else { self = .missing; return }
            let t = trimmed(raw)
            if t.isEmpty { self = .missing; return }
            if t.utf8.contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) {
                self = .unparseable(t)
                return
            }
            if let v = Double(t) { self = .value(v, text: t) } else { self = .unparseable(t) }
        }
    }

    mutating func validate(
        id rawID: String?, date rawDate: String?, lon: Coordinate, lat: Coordinate,
        persons rawPersons: String?, category: String?, mode: String?, location: SourceLocation
    ) -> Result<Interception, DataProblem> {
        // id: optional; the first occurrence stands.
        let id = nonEmpty(rawID)
        var first: SourceLocation?
        if let id {
            let key = CodePointKey(string: id)
            if let seen = firstSeen[key] {
                first = seen
            } else {
                firstSeen[key] = location
            }
        }
        return validate(claimedID: id, duplicateOf: first, date: rawDate, lon: lon, lat: lat, persons: rawPersons,
                        category: category, mode: mode, location: location)
    }

    /// One record whose id claim the caller settled: `id` trimmed and non-empty (or nil), `first` the location of
    /// an earlier record with that id. Touches no state, so records can be checked in parallel.
    func validate(
        claimedID id: String?, duplicateOf first: SourceLocation?, date rawDate: String?, lon: Coordinate,
        lat: Coordinate, persons rawPersons: String?, category: String?, mode: String?, location: SourceLocation
    ) -> Result<Interception, DataProblem> {
        var reasons: [String] = []
        if let id, let first {
            reasons.append("duplicate id '\(echo(id))' (first \(Self.describe(first, from: location)))")
        }

        // date: required, parseable, not after the run.
        var time: Double?
        if let date = nonEmpty(rawDate) {
            if let t = Timestamp.parse(date) {
                if t > now {
                    let runTime = date.contains("T") ? Timestamp.isoDateTime(now) : Timestamp.isoDate(now)
                    reasons.append("date \(echo(date)) is after the time of the run (\(runTime))")
                } else {
                    time = t
                }
            } else {
                reasons.append("unparseable date '\(echo(date))' (expected YYYY-MM-DD or ISO 8601 date-time)")
            }
        } else {
            reasons.append("missing date")
        }

        // lon/lat: finite and in range; a latitude that would fit as a longitude
        // while the longitude fits as a latitude suggests swapped columns.
        let lonValue = check(lon, name: "longitude", limit: 180, reasons: &reasons, hint: nil)
        var swapHint: String?
        if case let .value(la, _) = lat, case let .value(lo, _) = lon,
           la.isFinite, lo.isFinite, abs(la) > 90, abs(la) <= 180, abs(lo) <= 90 {
            swapHint = "lat and lon look swapped?"
        }
        let latValue = check(lat, name: "latitude", limit: 90, reasons: &reasons, hint: swapHint)

        // persons: empty = 1, else an integer ≥ 0 ("3.0" is accepted as 3).
        var persons = 1
        if let p = nonEmpty(rawPersons) {
            if let v = Self.parsePersons(p) {
                persons = v
            } else {
                reasons.append("persons '\(echo(p))' is not an integer ≥ 0")
            }
        }

        guard reasons.isEmpty, let time, let lonValue, let latValue else {
            return .failure(DataProblem(location: location, reason: reasons.joined(separator: "; ")))
        }
        return .success(Interception(
            id: id, time: time, lon: lonValue, lat: latValue, persons: persons,
            category: nonEmpty(category), mode: nonEmpty(mode), location: location))
    }

    private func check(
        _ c: Coordinate, name: String, limit: Double, reasons: inout [String], hint: String?
    ) -> Double? {
        switch c {
        case .missing:
            reasons.append("missing \(name)")
        case let .unparseable(text):
            reasons.append("\(name) '\(echo(text))' is not a number")
        case let .value(v, text):
            // Only a message needs the value as shown (echoing every valid value cost 4 % of a load).
            var shown: String { text.map(echo) ?? Self.format(v) }
            if !v.isFinite {
                reasons.append("\(name) \(shown) is not a finite number")
            } else if abs(v) > limit {
                let range = "−\(Self.format(limit))…\(Self.format(limit))"
                reasons.append("\(name) \(shown) is outside \(range)" + (hint.map { " (\($0))" } ?? ""))
            } else {
                return v
            }
        }
        return nil
    }

    /// `3`, `+3`, `3.0`, `3.00` → 3; anything else (negative, fractional,
    /// exponent, overflow) → nil.
    static func parsePersons(_ s: String) -> Int? {
        var value = 0
        var digits = 0
        var index = s.utf8.startIndex
        let utf8 = s.utf8
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "+") { index = utf8.index(after: index) }
        while index < utf8.endIndex, case let b = utf8[index], b >= 48, b <= 57 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b - 48))
            guard !o1, !o2 else { return nil }
            value = sum
            digits += 1
            index = utf8.index(after: index)
        }
        guard digits > 0 else { return nil }
        if index < utf8.endIndex {  // only ".0", ".00" … may follow
            guard utf8[index] == UInt8(ascii: ".") else { return nil }
            index = utf8.index(after: index)
            guard index < utf8.endIndex else { return nil }
            while index < utf8.endIndex {
                guard utf8[index] == UInt8(ascii: "0") else { return nil }
                index = utf8.index(after: index)
            }
        }
        return value
    }

    /// "on line 7", "at feature 3", "in other.csv on line 7": where the first
    /// occurrence of an id was, seen from `current`.
    static func describe(_ first: SourceLocation, from current: SourceLocation) -> String {
        let position: String?
        if let line = first.line {
            position = "on line \(line)"
        } else if let key = first.key {
            position = "at feature \(key)"
        } else if let feature = first.feature {
            position = "at feature \(feature)"
        } else {
            position = nil
        }
        guard let position else { return "in \(first.file)" }
        return first.file == current.file ? position : "in \(first.file) \(position)"
    }

    /// A number for messages: integral values without a decimal point.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }

    func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = trimmed(s)
        return t.isEmpty ? nil : t
    }
}

/// Removes leading and trailing ASCII whitespace (space, tab, CR, LF, VT, FF)
/// and U+00A0 (no-break space); cheap when there is nothing to remove.
func trimmed(_ s: String) -> String {
    let utf8 = s.utf8
    guard let first = utf8.first, let last = utf8.last else { return s }
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    // U+00A0 is C2 A0 in UTF-8; A0 is never the first byte of a character.
    guard isSpace(first) || isSpace(last) || first == 0xC2 || last == 0xA0 else { return s }
    var scalars = Substring(s).unicodeScalars
    func isBlank(_ u: Unicode.Scalar) -> Bool { u.isASCII ? isSpace(UInt8(u.value)) : u == "\u{A0}" }
    while let u = scalars.first, isBlank(u) { scalars.removeFirst() }
    while let u = scalars.last, isBlank(u) { scalars.removeLast() }
    return String(scalars)
}

/// A value from the data as shown in a message: control characters escaped
/// (`\n`, `\u{1B}` …) so that a message stays on one line and cannot drive the
/// terminal, and anything beyond 40 characters cut to `…`.
func echo(_ s: String) -> String {
    let limit = 40
    var out = ""
    var count = 0
    for u in s.unicodeScalars {
        if count == limit { return out + "…" }
        switch u {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value):
            out += "\\u{\(String(u.value, radix: 16, uppercase: true))}"
        default: out.unicodeScalars.append(u)
        }
        count += 1
    }
    return out
}

/// A string that hashes and compares by its UTF-8 bytes, i.e. by Unicode code
/// point, unlike `String`'s canonical equivalence.
struct CodePointKey: Hashable {
    let string: String

    static func == (a: CodePointKey, b: CodePointKey) -> Bool {
        a.string.utf8.elementsEqual(b.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

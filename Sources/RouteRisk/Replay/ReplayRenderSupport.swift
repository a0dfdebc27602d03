import Foundation

// Shared by the two replay renderers (ReplayPage, ReplayNotebook): an ordered JSON value
// with two fixed serialisations, and the number, date and text rules both renderers print
// with. Everything here is pure and deterministic: same input, same bytes.

/// A JSON value whose objects keep the order they were built in.
enum ReplayJSON {
    case null
    case bool(Bool)
    case int(Int)
    /// Printed with `%.6g`; NaN and ±∞ print as null, −0 as 0.
    case number(Double)
    case string(String)
    case array([ReplayJSON])
    case object([(String, ReplayJSON)])

    static func optional(_ v: Double?) -> ReplayJSON { v.map { .number($0) } ?? .null }

    /// Compact JSON that is safe inside an HTML `<script>` element: besides JSON's own
    /// escapes, `<`, `>`, `&`, U+2028 and U+2029 are written as `\u003c` … so no text can
    /// close the element or open a comment, whatever a route name holds.
    func compactHTMLSafe() -> String {
        var out = ""
        writeCompact(into: &out)
        return out
    }

    /// The layout of Python's `json.dumps(v, sort_keys=True, indent=1, ensure_ascii=False)`,
    /// which is what nbformat writes: keys sorted by code point, one space per level.
    func pythonIndented() -> String {
        var out = ""
        writeIndented(into: &out, level: 0)
        return out
    }

    private func writeCompact(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += ReplayJSON.numberText(d)
        case .string(let s): ReplayJSON.writeString(s, htmlSafe: true, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCompact(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                ReplayJSON.writeString(key, htmlSafe: true, into: &out)
                out += ":"
                value.writeCompact(into: &out)
            }
            out += "}"
        }
    }

    private func writeIndented(into out: inout String, level: Int) {
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                if i > 0 { out += ",\n" }
                out += String(repeating: " ", count: level + 1)
                item.writeIndented(into: &out, level: level + 1)
            }
            out += "\n" + String(repeating: " ", count: level) + "]"
        case .object(let members) where !members.isEmpty:
            let sorted = members.sorted { Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.0.unicodeScalars.map(\.value)) }
            out += "{\n"
            for (i, (key, value)) in sorted.enumerated() {
                if i > 0 { out += ",\n" }
                out += String(repeating: " ", count: level + 1)
                ReplayJSON.writeString(key, htmlSafe: false, into: &out)
                out += ": "
                value.writeIndented(into: &out, level: level + 1)
            }
            out += "\n" + String(repeating: " ", count: level) + "}"
        case .array: out += "[]"
        case .object: out += "{}"
        case .string(let s): ReplayJSON.writeString(s, htmlSafe: false, into: &out)
        default: writeCompact(into: &out)
        }
    }

    static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return "0" }
        return cFormat("%.6g", d)
    }

    /// JSON string escaping as Python's `json.dumps(ensure_ascii=False)` does it (lower-case hex),
    /// plus the HTML-safe escapes when asked.
    private static func writeString(_ s: String, htmlSafe: Bool, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where htmlSafe, ">" where htmlSafe, "&" where htmlSafe,
                 "\u{2028}" where htmlSafe, "\u{2029}" where htmlSafe:
                out += hexEscape(scalar.value)
            default:
                if scalar.value < 0x20 { out += hexEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    private static func hexEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// The number, date and text rules of the replay page and notebook.
enum ReplayFormat {
    /// Whole metres (half away from zero); a non-finite value gives 0.
    static func metres(_ v: Double) -> Int {
        guard v.isFinite, abs(v) < 1e15 else { return 0 }
        return Int(v.rounded())
    }

    /// A polyline as `[x0, y0, dx1, dy1, …]` in whole metres, each delta taken between
    /// rounded points (so no rounding drift); consecutive equal points are dropped.
    static func deltaLine(_ points: [PlanarPoint]) -> [ReplayJSON] {
        var out: [ReplayJSON] = []
        out.reserveCapacity(points.count * 2)
        var px = 0, py = 0, first = true
        for p in points where p.x.isFinite && p.y.isFinite {
            let x = metres(p.x), y = metres(p.y)
            if !first && x == px && y == py { continue }
            out.append(.int(x - px)); out.append(.int(y - py))
            px = x; py = y; first = false
        }
        return out
    }

    /// A period end as a date (`2023-01-31`) when it falls on midnight UTC, else a date-time.
    static func date(_ t: Double) -> String {
        guard t.isFinite else { return "–" }
        return t.truncatingRemainder(dividingBy: 86_400) == 0 ? Timestamp.isoDate(t) : Timestamp.isoDateTime(t)
    }

    /// Shares as percent: one decimal below 10 %, whole above, ".0" dropped: "1 %", "0.5 %", "29 %".
    static func percent(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        return short(v * 100) + " %"
    }

    /// PAI and other ratios of that size: one decimal below 10, whole above, ".0" dropped.
    static func short(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        var s = abs(v) < 10 ? cFormat("%.1f", v) : cFormat("%.0f", v)
        if s.hasSuffix(".0") { s.removeLast(2) }
        if s == "-0" { s = "0" }
        return s
    }

    static func short(_ v: Double?) -> String { v.map { short($0) } ?? "–" }

    /// Two decimals (PEI*, the PAI ratio).
    static func twoDecimals(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        let s = cFormat("%.2f", v)
        return s == "-0.00" ? "0.00" : s
    }

    /// The last path component of the scene path: the page and notebook name the scene but
    /// carry no directory (it may hold a user name, and the bytes must not depend on where
    /// the scene was checked out).
    static func sceneName(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        let name = p.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? p
        return name.isEmpty ? "scene" : name
    }

    /// User text on one line: control characters and line/paragraph separators become spaces.
    static func oneLine(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x85, 0x2028, 0x2029: out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Text for HTML and XML element content or a double-quoted attribute.
    static func xmlEscaped(_ s: String) -> String {
        var out = ""
        for ch in oneLine(s) {
            switch ch {
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: appendMarkupEscaped(ch, to: &out)
            }
        }
        return out
    }

    /// `&`, `<` and `>` as entities, anything else as itself: the part HTML and Markdown share.
    private static func appendMarkupEscaped(_ ch: Character, to out: inout String) {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        default: out.append(ch)
        }
    }

    /// User text inside a line of Markdown (never at its start): HTML-escaped, and the
    /// characters that act mid-line backslash-escaped (emphasis, code, links, tables, math,
    /// strike-through, a closing heading `#`), so a route name renders as itself.
    static func markdownEscaped(_ s: String) -> String {
        var out = ""
        for ch in oneLine(s) {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "$", "~":
                out += "\\" + String(ch)
            default: appendMarkupEscaped(ch, to: &out)
            }
        }
        return out
    }
}

/// The shading of predicted cells, common to the page and the notebook: one scale over every
/// step (so colours compare across steps), logarithmic when the chosen cells' intensities
/// span more than a factor of 10, and a five-stop sequential ramp (ColorBrewer YlOrRd).
struct ReplayIntensityScale {
    static let ramp: [(Int, Int, Int)] = [(255, 255, 178), (254, 204, 92), (253, 141, 60), (240, 59, 32), (189, 0, 38)]

    let low: Double
    let high: Double
    let logarithmic: Bool

    init(_ steps: [ReplayStep]) {
        var lo = Double.infinity, hi = -Double.infinity
        for step in steps {
            for cell in step.cells where cell.intensityKm2.isFinite {
                lo = min(lo, cell.intensityKm2); hi = max(hi, cell.intensityKm2)
            }
        }
        if !lo.isFinite { lo = 0; hi = 0 }
        low = lo; high = hi
        logarithmic = lo > 0 && hi / lo > 10
    }

    /// 0 … 1 along the ramp.
    func position(_ v: Double) -> Double {
        guard v.isFinite, high > low else { return 1 }
        let t = logarithmic ? (log(v) - log(low)) / (log(high) - log(low)) : (v - low) / (high - low)
        return min(1, max(0, t))
    }

    /// `#rrggbb`.
    static func colour(_ t: Double) -> String {
        let f = min(1, max(0, t.isFinite ? t : 1)) * Double(ramp.count - 1)
        let i = min(Int(f), ramp.count - 2)
        let u = f - Double(i)
        let a = ramp[i], b = ramp[i + 1]
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + Double(y - x) * u).rounded()) }
        let rgb = [mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)]
        return "#" + rgb.map { let h = String($0, radix: 16); return h.count == 1 ? "0" + h : h }.joined()
    }
}

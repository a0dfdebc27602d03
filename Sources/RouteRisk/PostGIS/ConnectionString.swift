import Foundation

/// GDAL connection strings (`PG:dbname=ops host=db user=analyst password=…`, `postgresql://…`):
/// recognising them, and masking the password wherever one is echoed.
public enum ConnectionString {
    /// True for a GDAL connection string or virtual path rather than a local file: a driver
    /// prefix of two or more letters and a colon (`PG:`, `MySQL:`, `WFS:`; a Windows drive
    /// letter has one), a URL, or a `/vsi…/` path.
    public static func isConnection(_ text: String) -> Bool {
        if text.hasPrefix("/vsi") { return true }
        guard let colon = text.firstIndex(of: ":") else { return false }
        let prefix = text[..<colon]
        return prefix.count >= 2 && prefix.first!.isLetter
            && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// True for a PostgreSQL source (`PG:` or a `postgres(ql)://` URI).
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("pg:") || lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// The text with every password replaced by `***`: libpq's `password=value` or
    /// `password='quoted value'` (any case, also `PGPASSWORD=`), and the password of a URI
    /// `scheme://user:password@host`.
    public static func masked(_ text: String) -> String {
        var out = ""
        var last = text.startIndex
        for range in secretRanges(text) {
            out += text[last..<range.lowerBound] + "***"
            last = range.upperBound
        }
        return out + text[last...]
    }

    /// A message from GDAL or libpq about `connection`, with the connection's passwords masked
    /// wherever they appear (also outside a `password=` keyword, should a driver echo them).
    public static func masked(_ message: String, about connection: String) -> String {
        var text = masked(message)
        for secret in passwords(in: connection) {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// The password values written in a connection string, as written and unquoted.
    static func passwords(in text: String) -> [String] {
        secretRanges(text).flatMap { range -> [String] in
            let raw = String(text[range])
            guard raw.count >= 2, raw.hasPrefix("'"), raw.hasSuffix("'") else { return [raw] }
            let inner = String(raw.dropFirst().dropLast())
            return [raw, inner.replacingOccurrences(of: "\\'", with: "'").replacingOccurrences(of: "\\\\", with: "\\")]
        }.filter { !$0.isEmpty }
    }

    /// The ranges of password values in `text`.
    private static func secretRanges(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        let chars = Array(text.indices)
        var k = 0
        while k < chars.count {
            let i = chars[k]
            let atWordStart = k == 0 || !isWordCharacter(text[chars[k - 1]])
            if atWordStart, let keywordEnd = keyword(in: text, at: i) {
                var j = keywordEnd
                while j < text.endIndex, text[j] == " " { j = text.index(after: j) }
                if j < text.endIndex, text[j] == "=" {
                    j = text.index(after: j)
                    while j < text.endIndex, text[j] == " " { j = text.index(after: j) }
                    let end = endOfValue(text, from: j)
                    if end > j { ranges.append(j..<end) }
                    k = text.distance(from: text.startIndex, to: end)
                    continue
                }
            }
            if text[i...].hasPrefix("://") {
                let authorityStart = text.index(i, offsetBy: 3)
                let authorityEnd = text[authorityStart...].firstIndex { "/?# |".contains($0) } ?? text.endIndex
                if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@"),
                   let colon = text[authorityStart..<at].firstIndex(of: ":") {
                    let start = text.index(after: colon)
                    if start < at { ranges.append(start..<at) }
                    k = text.distance(from: text.startIndex, to: at)
                    continue
                }
            }
            k += 1
        }
        return ranges
    }

    /// The end of the keyword `password` or `pgpassword` (any case) starting at `i`.
    private static func keyword(in text: String, at i: String.Index) -> String.Index? {
        for word in ["pgpassword", "password"] {
            guard let end = text.index(i, offsetBy: word.count, limitedBy: text.endIndex) else { continue }
            if text[i..<end].lowercased() == word, end == text.endIndex || !isWordCharacter(text[end]) { return end }
        }
        return nil
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// The end of a libpq value: a single-quoted value with `\'` and `\\` escapes, or up to
    /// the next space (or `|`, QGIS's layer suffix).
    private static func endOfValue(_ text: String, from start: String.Index) -> String.Index {
        var j = start
        if j < text.endIndex, text[j] == "'" {
            j = text.index(after: j)
            while j < text.endIndex {
                if text[j] == "\\" {
                    j = text.index(after: j)
                    if j < text.endIndex { j = text.index(after: j) }
                    continue
                }
                if text[j] == "'" { return text.index(after: j) }
                j = text.index(after: j)
            }
            return j
        }
        while j < text.endIndex, !" |\n\t".contains(text[j]) { j = text.index(after: j) }
        return j
    }
}

import Foundation
import TOMLKit

/// A scene directory's `scene.toml`: `[layers]` names the layer files relative to it (or GDAL
/// connection strings, `PG:dbname=ops|layername=border.interceptions`, passed as they are),
/// `[options]` sets defaults for any `score` option (same names as the flags).
public struct SceneDescription: Sendable {
    public let directory: URL
    public let layers: [LayerName: LayerSource]
    public let options: [(name: String, value: String)]

    public static func load(directory: URL) throws -> SceneDescription {
        let file = directory.appendingPathComponent("scene.toml")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw RunError.missingInput("scene directory not found: \(directory.path)")
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw RunError.missingInput("\(file.path): not found (a scene directory holds a scene.toml)")
        }
        if let line = Self.lineOfUnnamedTableHeader(text) {
            throw RunError.unusable(["\(file.path):\(line): a table header needs a name in brackets, such as [layers] or [options]"])
        }
        if let line = Self.lineOfDateOrTimeLiteral(text) {
            throw RunError.unusable(["\(file.path):\(line): a date or time is written in quotes in a scene.toml, such as as_of = \"2024-01-01\""])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw RunError.unusable(["\(file.path):\(error.source.begin.line): \(error.description)"])
        }
        var layers: [LayerName: LayerSource] = [:]
        var problems: [String] = []
        if let layerTable = table["layers"]?.table {
            for key in layerTable.keys.sorted() {
                guard let name = LayerName(rawValue: key) else {
                    problems.append("\(file.path): [layers]: unknown layer '\(key)' (known: \(LayerName.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                guard let path = layerTable[key]?.string else {
                    problems.append("\(file.path): [layers] \(key): expected a file name or connection string in quotes")
                    continue
                }
                layers[name] = LayerSource.parse(path, relativeTo: directory)
            }
        }
        var options: [(String, String)] = []
        if let optionTable = table["options"]?.table {
            for key in optionTable.keys.sorted() {
                guard ScoreOptions.optionNames.contains(key) else {
                    problems.append("\(file.path): [options]: unknown option '\(key)' (known: \(ScoreOptions.optionNames.joined(separator: ", ")))")
                    continue
                }
                guard let value = optionTable[key] else { continue }
                if let s = value.string { options.append((key, s)) }
                else if let b = value.bool { options.append((key, b ? "true" : "false")) }
                else if let i = value.int { options.append((key, String(i))) }
                else if let d = value.double { options.append((key, String(d))) }
                else { problems.append("\(file.path): [options] \(key): expected a string, number or boolean") }
            }
        }
        if !problems.isEmpty { throw RunError.unusable(problems) }
        return SceneDescription(directory: directory, layers: layers, options: options)
    }

    /// The 1-based line of the first date or time literal outside strings and comments: a value that starts with
    /// a digit (or a sign and a digit) and holds a `:` or a `-` other than an exponent's (2024-01-01,
    /// 1979-05-27T07:32:00, 07:30, 20L4-02-2). No scene option takes one (a
    /// date is a string, `as_of = "2024-01-01"`), and toml++ (3.x) stops the process with a failed assertion
    /// (an assumption in a release build) on some of them, such as `1979-05-27 0` at the end of a line (found
    /// by `make fuzz`, FuzzSceneOptions), instead of reporting a parse error: they are refused before it.
    static func lineOfDateOrTimeLiteral(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), hash = UInt8(ascii: "#")
        let newline = UInt8(ascii: "\n"), backslash = UInt8(ascii: "\\")
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func continuesToken(_ b: UInt8) -> Bool {
            isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
        }
        let plus = UInt8(ascii: "+"), minus = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        /// toml++'s value terminators: whitespace, a newline, a comment, `,`, `]` and `}`.
        func isValueTerminator(_ b: UInt8) -> Bool {
            b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == newline || b == UInt8(ascii: "\r") || b == hash
                || b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
        }
        func startsWith(_ s: [UInt8], at i: Int) -> Bool { i + s.count <= bytes.count && Array(bytes[i..<(i + s.count)]) == s }
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == newline {
                line += 1
                i += 1
            } else if b == hash {
                while i < bytes.count && bytes[i] != newline { i += 1 }
            } else if b == quote || b == apostrophe {
                // A string: one-line, or multi-line between three quotes; basic (") strings have backslash escapes.
                let fence = [UInt8](repeating: b, count: startsWith([b, b, b], at: i) ? 3 : 1)
                i += fence.count
                while i < bytes.count && !startsWith(fence, at: i) {
                    if fence.count == 1 && bytes[i] == newline { break }  // an unclosed one-line string: toml++'s to report
                    if bytes[i] == newline { line += 1 }
                    i += (b == quote && bytes[i] == backslash) ? 2 : 1
                }
                if i < bytes.count && bytes[i] != newline { i += fence.count }
            } else if (i == 0 || !continuesToken(bytes[i - 1]))
                        && (isDigit(b) || ((b == plus || b == minus) && i + 1 < bytes.count && isDigit(bytes[i + 1]))) {
                // The value as toml++ scans it (to a value terminator). A `-` (but a sign's or an exponent's) or a `:`
                // in it makes toml++ weigh a date or time: `20L4-02-2= 2` reached the same assertion as
                // `2024-02-2= 2` (FuzzSceneOptions, seed 1).
                var j = i + 1
                var datelike = false
                while j < bytes.count && !isValueTerminator(bytes[j]) {
                    let c = bytes[j], before = bytes[j - 1]
                    if c == colon || (c == minus && before != UInt8(ascii: "e") && before != UInt8(ascii: "E")) { datelike = true }
                    j += 1
                }
                if datelike { return line }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    /// The 1-based line of a table header whose name starts with a character that cannot begin a
    /// key (`[`, `[[` then spaces, then neither A–Z a–z 0–9 _ - nor a quote nor `]`). TOMLKit's
    /// toml++ (3.x) stops the process with a failed assertion on those (found by `make fuzz`,
    /// FuzzSceneOptions) instead of reporting a parse error, so they are refused before it.
    /// A scene.toml holds no arrays, so a line starting with `[` is always a header.
    static func lineOfUnnamedTableHeader(_ text: String) -> Int? {
        // By bytes: a "\r\n" is one Character, and a split by Characters would miss it.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var rest = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard rest.first == UInt8(ascii: "[") else { continue }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "[") { rest = rest.dropFirst() }
            rest = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            // "[" at the very end of the file toml++ reports itself; at the end of a line it does not.
            guard let c = rest.first else {
                if index < lines.count - 1 { return index + 1 }
                continue
            }
            let isKeyStart = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "]")
            if !isKeyStart { return index + 1 }
        }
        return nil
    }
}

import Foundation

/// One CSV record: its fields as written (not padded, not trimmed) and the
/// 1-based physical line on which it starts.
public struct CSVRow: Hashable, Sendable {
    /// 1-based physical line where the record starts. Line breaks inside quoted
    /// fields and blank lines count, so this is the line an editor shows.
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A CSV file (RFC 4180): the first record is the header, the rest are rows.
///
/// - A UTF-8 byte order mark is skipped; the text must be UTF-8.
/// - Records end with CRLF, LF or a lone CR.
/// - Quoted fields may hold commas, doubled quotes (`""` → `"`) and line breaks.
///   Spaces or tabs between a closing quote and the next comma are ignored;
///   anything else there is an error. A quote inside an unquoted field is kept
///   as a literal character.
/// - A blank line (empty, or only spaces and tabs) is not a record but still
///   counts for line numbers.
/// - Rows are kept with the field count they have; checking it is the caller's
///   business (MODEL §1: a row with the wrong field count is invalid).
/// - An unterminated quoted field or invalid UTF-8 throws
///   `SceneError.malformedCSV` naming the line.
public struct CSVTable: Sendable {
    public let header: [String]
    /// Physical line of the header record.
    public let headerLine: Int
    public let rows: [CSVRow]

    public init(header: [String], headerLine: Int = 1, rows: [CSVRow]) {
        self.header = header
        self.headerLine = headerLine
        self.rows = rows
    }

    /// Reads and parses a file; the file's path as given names it in errors.
    public static func read(contentsOf url: URL) throws -> CSVTable {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SceneError.unreadableFile(file: name, reason: Self.reason(error, url: url))
        }
        return try data.withUnsafeBytes { raw in
            try parse(bytes: raw.bindMemory(to: UInt8.self), file: name)
        }
    }

    /// Parses CSV text; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws -> CSVTable {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, file: file) }
    }

    /// Parses UTF-8 bytes; `file` names the source in errors.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> CSVTable {
        // Four pieces per thread, taken by whichever thread is free (concurrentPerform): a thread that starts late
        // (its core busy with another layer) takes its share. `validate` of the 1 M scene, 8 farm-bench pairs:
        // 2.31 → 2.11 s, median ratio 0.96 (0.89–1.06) against one piece per thread.
        try parse(bytes: bytes, file: file, chunks: 4 * Parallelism.threadCount, minimumChunkBytes: 1 << 20)
    }

    /// Parses in up to `chunks` pieces in parallel when the text holds no quote at all: then every line feed ends a
    /// record (or a blank line), so pieces cut just after a line feed parse alone, each from its first line number
    /// on, and their records joined in order are the whole file's. The first error in file order is the one thrown.
    /// With a quote anywhere (a quoted field may hold line breaks) the text is parsed in one piece.
    static func parse(bytes: UnsafeBufferPointer<UInt8>, file: String, chunks requested: Int,
                      minimumChunkBytes: Int) throws -> CSVTable {
        let n = bytes.count
        let chunks = Swift.max(1, Swift.min(requested, n / Swift.max(1, minimumChunkBytes)))
        var records: [CSVRow]
        if chunks > 1, memchr(bytes.baseAddress!, Int32(UInt8(ascii: "\"")), n) == nil {
            // Cut points: just after the first line feed at or past each even share.
            var cuts = [0]
            for c in 1..<chunks {
                let from = Swift.max(cuts.last!, c * n / chunks)
                guard from < n, let lf = memchr(bytes.baseAddress! + from, 0x0A, n - from) else { break }
                let cut = bytes.baseAddress!.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
                if cut < n, cut > cuts.last! { cuts.append(cut) }
            }
            cuts.append(n)
            let pieces = cuts.count - 1
            // First line of each piece: 1 + the line breaks before it (LF, CRLF and a lone CR each count once).
            var breaks = [Int](repeating: 0, count: pieces)
            var results = [Result<[CSVRow], Error>?](repeating: nil, count: pieces)
            breaks.withUnsafeMutableBufferPointer { counts in
                Parallelism.run(workers: pieces) { k in
                    var count = 0
                    var i = cuts[k]
                    let end = cuts[k + 1]
                    while i < end {
                        let b = bytes[i]
                        if b == 0x0A { count += 1 } else if b == 0x0D, !(i + 1 < n && bytes[i + 1] == 0x0A) { count += 1 }
                        i += 1
                    }
                    counts[k] = count
                }
            }
            var firstLines = [1]
            for k in 0..<(pieces - 1) { firstLines.append(firstLines[k] + breaks[k]) }
            results.withUnsafeMutableBufferPointer { slots in
                Parallelism.run(workers: pieces) { k in
                    let piece = UnsafeBufferPointer(rebasing: bytes[cuts[k]..<cuts[k + 1]])
                    var parser = Parser(bytes: piece, file: file, firstLine: firstLines[k], atStart: k == 0)
                    slots[k] = Result { try parser.records() }
                }
            }
            records = []
            for r in results { records += try r!.get() }
        } else {
            var parser = Parser(bytes: bytes, file: file)
            records = try parser.records()
        }
        guard !records.isEmpty else { throw SceneError.noHeader(file: file) }
        let head = records.removeFirst()
        return CSVTable(header: head.fields, headerLine: head.line, rows: records)
    }

    /// A short lower-case reason for a failed read.
    private static func reason(_ error: Error, url: URL) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "is a directory" }
        if let cocoa = error as? CocoaError, cocoa.code == .fileReadNoPermission {
            return "permission denied"
        }
        return error.localizedDescription
    }
}

/// Byte-level RFC 4180 scanner. Unquoted fields are sliced straight from the
/// buffer; only quoted fields with doubled quotes are copied.
private struct Parser {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Read position.
    var i = 0
    /// Current physical line (1-based).
    var line = 1
    /// Scratch buffer for quoted fields that contain doubled quotes.
    var scratch: [UInt8] = []

    /// `atStart`: the bytes begin the file (a byte order mark is skipped there only); `firstLine`: their first line.
    init(bytes: UnsafeBufferPointer<UInt8>, file: String, firstLine: Int = 1, atStart: Bool = true) {
        self.bytes = bytes
        self.file = file
        self.line = firstLine
        if atStart, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    }

    mutating func records() throws -> [CSVRow] {
        var rows: [CSVRow] = []
        var width = 0  // field count of the previous record, to reserve capacity
        let n = bytes.count
        while i < n {
            // Blank line (only spaces/tabs): skip, but count it.
            var j = i
            while j < n, bytes[j] == Self.space || bytes[j] == Self.tab { j += 1 }
            if j == n { i = n; break }
            if bytes[j] == Self.lf || bytes[j] == Self.cr {
                i = j
                consumeLineBreak()
                continue
            }
            let start = line
            var fields: [String] = []
            fields.reserveCapacity(width)
            while true {
                fields.append(try field())
                if i < n, bytes[i] == Self.comma {
                    i += 1
                    continue
                }
                // End of record: a line break or the end of the input.
                consumeLineBreak()
                break
            }
            width = fields.count
            rows.append(CSVRow(line: start, fields: fields))
        }
        return rows
    }

    /// Consumes CRLF, LF or CR at `i` (if any) and advances the line count.
    private mutating func consumeLineBreak() {
        guard i < bytes.count else { return }
        if bytes[i] == Self.cr {
            i += 1
            if i < bytes.count, bytes[i] == Self.lf { i += 1 }
            line += 1
        } else if bytes[i] == Self.lf {
            i += 1
            line += 1
        }
    }

    /// Reads one field starting at `i`; leaves `i` at the delimiter that ends it
    /// (comma, line break, or the end of the input).
    private mutating func field() throws -> String {
        let n = bytes.count
        if i < n, bytes[i] == Self.quote { return try quotedField() }
        let start = i
        while i < n {
            let b = bytes[i]
            if b == Self.comma || b == Self.lf || b == Self.cr { break }
            i += 1
        }
        return try string(start..<i, line: line)
    }

    private mutating func quotedField() throws -> String {
        let n = bytes.count
        let openLine = line
        i += 1  // opening quote
        var segment = i
        var copied = false
        scratch.removeAll(keepingCapacity: true)
        var result = ""
        while true {
            guard i < n else {
                throw SceneError.malformedCSV(
                    file: file, line: openLine,
                    reason: "quoted field opened on line \(openLine) is never closed")
            }
            let b = bytes[i]
            if b == Self.quote {
                if i + 1 < n, bytes[i + 1] == Self.quote {  // doubled quote → one quote
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment...i]))
                    copied = true
                    i += 2
                    segment = i
                    continue
                }
                // Closing quote.
                if copied {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segment..<i]))
                    result = try scratch.withUnsafeBufferPointer { try Self.decode($0, file: file, line: openLine) }
                } else {
                    result = try string(segment..<i, line: openLine)
                }
                i += 1
                break
            }
            if b == Self.lf {
                line += 1
            } else if b == Self.cr, !(i + 1 < n && bytes[i + 1] == Self.lf) {
                line += 1  // a lone CR is a line break too
            }
            i += 1
        }
        // After the closing quote: optional spaces/tabs, then a delimiter.
        while i < n, bytes[i] == Self.space || bytes[i] == Self.tab { i += 1 }
        if i < n, bytes[i] != Self.comma, bytes[i] != Self.lf, bytes[i] != Self.cr {
            throw SceneError.malformedCSV(
                file: file, line: line,
                reason: "unexpected character '\(Self.show(bytes[i]))' after a closing quote (expected ',' or end of line)")
        }
        return result
    }

    private func string(_ range: Range<Int>, line: Int) throws -> String {
        try Self.decode(UnsafeBufferPointer(rebasing: bytes[range]), file: file, line: line)
    }

    private static func decode(_ slice: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws -> String {
        // Fast path: pure ASCII is always valid UTF-8.
        var ascii = true
        for b in slice where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: slice, as: UTF8.self) }
        // Strict check (no overlong forms or surrogates) with the standard
        // library's parser: `String(validating:)` needs macOS 15.
        var iterator = slice.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return String(decoding: slice, as: UTF8.self)
            case .error:
                throw SceneError.malformedCSV(file: file, line: line, reason: "text is not valid UTF-8")
            }
        }
    }

    private static func show(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
    }
}

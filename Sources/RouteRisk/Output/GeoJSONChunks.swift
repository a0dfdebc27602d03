import CFileRange
import Foundation

/// One GeoJSON layer written by OGR's GeoJSON driver on several cores: the rows are cut into consecutive chunks,
/// each chunk is written by its own OGR dataset (its own thread) into a temporary file, and the files are joined
/// into the one OGR would have written alone, byte for byte.
///
/// The join relies on the layout of OGR's GeoJSON writer (GDAL `ogr/ogrsf_frmts/geojson`): a header, a line
/// `"bbox": [ … ],` padded with spaces to a fixed width (written at close over a reserved blank line), the line
/// `"features": [`, the features separated by `,\n`, and `\n]\n}\n`. Each feature's text depends on that feature
/// alone, and the layer's bbox is the union of the features' (each bound printed with the same fixed precision, so
/// the extreme printed value of the chunks is the printed extreme; a bbox across the antimeridian, which OGR merges
/// by the rules of RFC 7946 §5.2, is refused). Every one of these is checked on the chunk
/// files; when any does not hold (another GDAL version, say) the layer is written again by one OGR dataset.
enum GeoJSONChunks {
    /// Below this many rows a layer is written by one dataset (the join would not pay).
    static let minimumRowsPerChunk = 2048
    /// Rows are made and written this many at a time, so a layer's rows are never all in memory.
    static let batchRows = 8192

    typealias Row = (wkb: [UInt8]?, values: [FieldValue])

    /// The number of chunks `write` uses for `count` rows.
    static func chunkCount(rows count: Int, requested: Int) -> Int {
        Swift.max(1, Swift.min(requested, count / minimumRowsPerChunk))
    }

    static func write(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                      options: [String], rows: [Row], chunks requested: Int) throws {
        try write(path: path, name: name, geometry: geometry, fields: fields, options: options, count: rows.count,
                  chunks: requested) { _, range in Array(rows[range]) }
    }

    /// Writes `count` rows made by `makeRows(chunk, range)` on the thread that writes chunk `chunk` (so the
    /// rows are made in parallel too, a batch at a time; `chunk` < `chunkCount(rows:requested:)`).
    static func write(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                      options: [String], count: Int, chunks requested: Int,
                      makeRows: (_ chunk: Int, _ range: Range<Int>) throws -> [Row]) throws {
        let chunks = chunkCount(rows: count, requested: requested)
        func writeWhole() throws {
            try writeFile(path: path, name: name, geometry: geometry, fields: fields, options: options,
                          range: 0..<count) { try makeRows(0, $0) }
        }
        guard chunks > 1 else { return try writeWhole() }
        let ranges = (0..<chunks).map { c in (c * count / chunks)..<((c + 1) * count / chunks) }
        let parts = ranges.indices.map { "\(path).part\($0)" }
        // Registered so that an interrupt removes them too (InterruptGuard).
        for part in parts { TemporaryFiles.register(part) }
        defer {
            for part in parts {
                try? FileManager.default.removeItem(atPath: part)
                TemporaryFiles.unregister(part)
            }
        }
        var failures = [Error?](repeating: nil, count: chunks)
        failures.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Parallelism.run(workers: chunks) { c in
                do {
                    try writeFile(path: parts[c], name: name, geometry: geometry, fields: fields, options: options,
                                  range: ranges[c]) { try makeRows(c, $0) }
                } catch {
                    base[c] = error
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        guard try joinFiles(parts, into: path) else { return try writeWhole() }
    }

    /// The OGR dataset of one file: the layer and its rows, made and written a batch at a time.
    private static func writeFile(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                                  options: [String], range: Range<Int>,
                                  makeRows: (Range<Int>) throws -> [Row]) throws {
        let writer = try VectorWriter(driver: "GeoJSON", path: path)
        let layer = try writer.addLayer(name: name, geometry: geometry, fields: fields, options: options)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(range.upperBound, start + batchRows)
            for row in try makeRows(start..<end) { try layer.write(wkb: row.wkb, values: row.values) }
            start = end
        }
        try writer.close()
    }

    /// Joins the chunk files into `path` as `join` does, reading only their heads and tails into memory (a national
    /// layer is hundreds of MB). The first chunk becomes the file: its header is rewritten in place with the joined
    /// bbox (the same length: OGR pads that line to a fixed width), the later chunks' features are appended to it
    /// (`copy_file_range`, in the kernel), and it is renamed to `path`; only the later chunks are copied. False when
    /// a chunk does not have the expected layout.
    static func joinFiles(_ parts: [String], into path: String) throws -> Bool {
        let headBytes = 1 << 16
        var heads: [Data] = []
        var bodies: [(file: FileHandle, start: UInt64, end: UInt64)] = []
        defer { for body in bodies { try? body.file.close() } }
        for part in parts {
            guard let file = FileHandle(forReadingAtPath: part) else {
                throw GDALError(path: part, message: "cannot read back a chunk")
            }
            let size = try file.seekToEnd()
            try file.seek(toOffset: 0)
            let head = try file.read(upToCount: headBytes) ?? Data()
            try file.seek(toOffset: size >= UInt64(trailer.count) ? size - UInt64(trailer.count) : 0)
            let tail = try file.read(upToCount: trailer.count) ?? Data()
            guard [UInt8](tail) == trailer, let start = [UInt8](head).firstRange(of: featuresLine)?.upperBound,
                  UInt64(start) + UInt64(trailer.count) < size
            else { try? file.close(); return false }
            heads.append(head)
            bodies.append((file, UInt64(start), size - UInt64(trailer.count)))
        }
        // The header of the joined file from the chunks' headers (each given a one-byte stand-in body).
        guard let header = join(heads.map { head -> Data in
            let bytes = [UInt8](head)
            let start = bytes.firstRange(of: featuresLine)!.upperBound
            return Data(bytes[..<start] + [UInt8(ascii: "x")] + trailer)
        }) else { return false }
        let headerBytes = [UInt8](header).firstRange(of: featuresLine)!.upperBound
        guard UInt64(headerBytes) == bodies[0].start else { return false }
        guard let out = FileHandle(forUpdatingAtPath: parts[0]) else {
            throw GDALError(path: parts[0], message: "cannot reopen a chunk")
        }
        defer { try? out.close() }
        do {
            try out.seek(toOffset: 0)
            try out.write(contentsOf: header.prefix(headerBytes))
            try out.seek(toOffset: bodies[0].end)
            for (k, body) in bodies.enumerated().dropFirst() {
                try out.write(contentsOf: Data(",\n".utf8))
                try append(body.file, body.start..<body.end, to: out, name: parts[k])
            }
            try out.write(contentsOf: Data(trailer))
        } catch let error as GDALError {
            throw error
        } catch {
            throw GDALError(path: path, message: error.localizedDescription)
        }
        guard rename(parts[0], path) == 0 else {
            throw GDALError(path: path, message: "cannot rename \(parts[0]): \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Appends the bytes `range` of `file` at the current end of `out`: `copy_file_range` (no copy through user
    /// space), else blocks read and written.
    private static func append(_ file: FileHandle, _ range: Range<UInt64>, to out: FileHandle, name: String) throws {
        var offset = __off64_t(range.lowerBound)
        var left = Int(range.upperBound - range.lowerBound)
        let to = try out.offset()
        var outOffset = __off64_t(to)
        while left > 0 && copiesInKernel {
            let copied = copy_file_range(file.fileDescriptor, &offset, out.fileDescriptor, &outOffset, left, 0)
            if copied > 0 {
                left -= copied
                continue
            }
            if copied == 0 { throw GDALError(path: name, message: "chunk shorter than its size") }
            // Not supported between these files (another file system, an old kernel): blocks through memory.
            guard [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP].contains(errno), left == Int(range.upperBound - range.lowerBound) else {
                throw GDALError(path: name, message: String(cString: strerror(errno)))
            }
            break
        }
        guard left > 0 else { return try out.seek(toOffset: UInt64(outOffset)) }
        try file.seek(toOffset: range.lowerBound)
        while left > 0 {
            let block = try file.read(upToCount: Swift.min(left, 8 << 20)) ?? Data()
            guard !block.isEmpty else { throw GDALError(path: name, message: "chunk shorter than its size") }
            try out.write(contentsOf: block)
            left -= block.count
        }
    }

    /// Whether `append` tries `copy_file_range` first (tests turn it off to run the fallback).
    nonisolated(unsafe) static var copiesInKernel = true

    private static let featuresLine = Array("\"features\": [\n".utf8)
    private static let bboxStart = Array("\"bbox\": [ ".utf8)
    private static let trailer = Array("\n]\n}\n".utf8)

    /// The single file from the chunk files, or nil when a chunk does not have the expected layout.
    static func join(_ files: [Data]) -> Data? {
        struct Part {
            var beforeBBox: ArraySlice<UInt8>
            var bboxLineWidth: Int
            var bounds: [Substring]
            var betweenBBoxAndFeatures: ArraySlice<UInt8>
            var features: ArraySlice<UInt8>
        }
        var parts: [Part] = []
        for data in files {
            let bytes = [UInt8](data)
            guard let featuresAt = find(featuresLine, in: bytes[...]),
                  let bboxAt = find(bboxStart, in: bytes[..<featuresAt]),
                  bboxAt == 0 || bytes[bboxAt - 1] == UInt8(ascii: "\n"),
                  let lineEnd = bytes[bboxAt..<featuresAt].firstIndex(of: UInt8(ascii: "\n")),
                  bytes.count >= featuresAt + featuresLine.count + trailer.count,
                  Array(bytes.suffix(trailer.count)) == trailer
            else { return nil }
            // `"bbox": [ a, b, c, d ],` then spaces.
            let line = String(decoding: bytes[bboxAt..<lineEnd], as: UTF8.self)
            let text = line.trimmingCharacters(in: CharacterSet(charactersIn: " "))
            guard text.hasPrefix("\"bbox\": [ "), text.hasSuffix(" ],") else { return nil }
            let inner = text.dropFirst("\"bbox\": [ ".count).dropLast(" ],".count)
            let bounds = inner.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " "))[...]
            }
            // A bbox across the antimeridian (min x > max x) is merged by OGR's RFC 7946 rules, not by min/max:
            // such a layer is written by one dataset.
            guard bounds.count == 4, bounds.allSatisfy({ Double($0) != nil }), Double(bounds[0])! <= Double(bounds[2])!,
                  line == "\"bbox\": [ " + bounds.joined(separator: ", ") + " ]," + String(repeating: " ", count: line.count - text.count)
            else { return nil }
            let body = bytes[(featuresAt + featuresLine.count)..<(bytes.count - trailer.count)]
            guard !body.isEmpty else { return nil }
            parts.append(Part(beforeBBox: bytes[..<bboxAt], bboxLineWidth: line.utf8.count, bounds: bounds,
                              betweenBBoxAndFeatures: bytes[lineEnd..<featuresAt], features: body))
        }
        guard let first = parts.first,
              parts.allSatisfy({ $0.beforeBBox == first.beforeBBox && $0.bboxLineWidth == first.bboxLineWidth
                  && $0.betweenBBoxAndFeatures == first.betweenBBoxAndFeatures })
        else { return nil }
        // The union: the smallest printed minima, the largest printed maxima (printing is monotone).
        var bounds = first.bounds
        for part in parts.dropFirst() {
            for k in 0..<4 {
                let (a, b) = (Double(bounds[k])!, Double(part.bounds[k])!)
                if k < 2 ? b < a : b > a { bounds[k] = part.bounds[k] }
            }
        }
        var line = "\"bbox\": [ " + bounds.joined(separator: ", ") + " ],"
        guard line.utf8.count <= first.bboxLineWidth else { return nil }
        line += String(repeating: " ", count: first.bboxLineWidth - line.utf8.count)
        var out = Data(first.beforeBBox)
        out.append(contentsOf: Array(line.utf8))
        out.append(contentsOf: first.betweenBBoxAndFeatures)
        out.append(contentsOf: featuresLine)
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: Array(",\n".utf8)) }
            out.append(contentsOf: part.features)
        }
        out.append(contentsOf: trailer)
        return out
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

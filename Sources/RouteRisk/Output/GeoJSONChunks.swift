import Foundation

/// One GeoJSON layer written by OGR's GeoJSON driver on several cores: the rows are cut into consecutive chunks,
/// each chunk is written by its own OGR dataset (on one thread) into memory, and the chunks' texts are written into
/// the one file OGR would have written alone, byte for byte, each at its place as soon as the chunks before it are
/// done (`Assembly`).
///
/// The assembly relies on the layout of OGR's GeoJSON writer (GDAL `ogr/ogrsf_frmts/geojson`): a header, a line
/// `"bbox": [ … ],` padded with spaces to a fixed width (written at close over a reserved blank line), the line
/// `"features": [`, the features separated by `,\n`, and `\n]\n}\n`. Each feature's text depends on that feature
/// alone, and the layer's bbox is the union of the features' (each bound printed with the same fixed precision, so
/// the extreme printed value of the chunks is the printed extreme; a bbox across the antimeridian, which OGR merges
/// by the rules of RFC 7946 §5.2, is refused). Every one of these is checked on the chunks' texts; when any does
/// not hold (another GDAL version, say) the layer is written again by one OGR dataset.
enum GeoJSONChunks {
    /// Below this many rows a layer is written by one dataset (the chunks would not pay).
    static let minimumRowsPerChunk = 2048
    /// Chunks per thread: the last chunk to finish, written alone while the other cores wait, is short.
    static let chunksPerThread = 4
    /// Rows are made and written this many at a time, so a layer's rows are never all in memory.
    static let batchRows = 8192

    typealias Row = (wkb: [UInt8]?, values: [FieldValue])

    /// The number of chunks `write` uses for `count` rows on `requested` threads.
    static func chunkCount(rows count: Int, requested: Int) -> Int {
        requested <= 1 ? 1 : Swift.max(1, Swift.min(requested * chunksPerThread, count / minimumRowsPerChunk))
    }

    static func write(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                      options: [String], rows: [Row], chunks requested: Int) throws {
        try write(path: path, name: name, geometry: geometry, fields: fields, options: options, count: rows.count,
                  chunks: requested) { _, range in Array(rows[range]) }
    }

    /// Writes `count` rows made by `makeRows(chunk, range)` on the thread that writes chunk `chunk` (so the
    /// rows are made in parallel too, a batch at a time; `chunk` < `chunkCount(rows:requested:)`; a chunk is
    /// made on one thread, the chunks of a thread one after the other).
    static func write(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                      options: [String], count: Int, chunks requested: Int,
                      makeRows: (_ chunk: Int, _ range: Range<Int>) throws -> [Row]) throws {
        let chunks = chunkCount(rows: count, requested: requested)
        func writeWhole() throws {
            let writer = try writeLayer(path: path, name: name, geometry: geometry, fields: fields, options: options,
                                        range: 0..<count) { try makeRows(0, $0) }
            try writer.close()
        }
        guard chunks > 1 else { return try writeWhole() }
        let ranges = (0..<chunks).map { c in (c * count / chunks)..<((c + 1) * count / chunks) }
        let assembly = try Assembly(path: path, chunks: chunks)
        let workers = Swift.min(requested, chunks)
        var failures = [Error?](repeating: nil, count: chunks)
        failures.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            // Worker w takes chunks w, w + workers, …: the chunks finish about in order, so few wait in memory.
            Parallelism.run(workers: workers) { w in
                var c = w
                while c < chunks && !assembly.stopped {
                    do {
                        let writer = try writeLayer(path: path, name: name, geometry: geometry, fields: fields,
                                                    options: options, range: ranges[c]) { try makeRows(c, $0) }
                        try assembly.add(c, try writer.closeIntoMemory())
                    } catch {
                        base[c] = error
                        assembly.stop()
                    }
                    c += workers
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        guard try assembly.finish() else { return try writeWhole() }
    }

    /// The OGR dataset of one layer (into memory, for GeoJSON): its rows made and written a batch at a time.
    private static func writeLayer(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                                   options: [String], range: Range<Int>,
                                   makeRows: (Range<Int>) throws -> [Row]) throws -> VectorWriter {
        let writer = try VectorWriter(driver: "GeoJSON", path: path)
        let layer = try writer.addLayer(name: name, geometry: geometry, fields: fields, options: options)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(range.upperBound, start + batchRows)
            for row in try makeRows(start..<end) { try layer.write(wkb: row.wkb, values: row.values) }
            start = end
        }
        return writer
    }

    /// The chunks' texts written into one file at `path`, whatever the order they come in: chunk 0 whole (its header
    /// stands in for the layer's), then each later chunk's features after `,\n`, each at its offset as soon as the
    /// chunks before it are placed (`pwrite`, outside the lock: the other threads go on), then the trailer, and the
    /// layer's header (the chunks' bboxes joined, `join`) over chunk 0's, the same length. Each text is freed once
    /// written. `finish` says false when a chunk's layout is not the expected one: the caller writes the layer again.
    final class Assembly: @unchecked Sendable {
        let path: String
        private let file: Int32
        private let lock = NSLock()
        private var waiting: [Int: (text: MemoryText, body: Range<Int>)] = [:]
        /// Each chunk's header (to its `"features": [` line), with a one-byte stand-in body and the trailer.
        private var heads: [Data?]
        private var next = 0
        private var offset = 0
        private var headerLength = 0
        private var unexpected = false
        private var failed = false

        init(path: String, chunks: Int) throws {
            self.path = path
            heads = [Data?](repeating: nil, count: chunks)
            file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard file >= 0 else { throw GDALError(path: path, message: String(cString: strerror(errno))) }
        }

        deinit { closeFile() }

        /// Whether a chunk failed (the others stop) or had an unexpected layout (nothing more is written).
        var stopped: Bool { lock.withLock { failed || unexpected } }

        func stop() { lock.withLock { failed = true } }

        /// Chunk `chunk`'s text, written at once when the chunks before it are placed, else kept until they are.
        func add(_ chunk: Int, _ text: MemoryText) throws {
            let bytes = text.buffer
            let head = bytes.prefix(1 << 16)
            guard let featuresAt = head.firstRange(of: GeoJSONChunks.featuresLine)?.upperBound,
                  bytes.count >= featuresAt + GeoJSONChunks.trailer.count + 1,
                  bytes.suffix(GeoJSONChunks.trailer.count).elementsEqual(GeoJSONChunks.trailer)
            else { return lock.withLock { unexpected = true } }
            let standIn = Data(bytes[..<featuresAt] + [UInt8(ascii: "x")] + GeoJSONChunks.trailer)
            // The chunks now placed: their text, the part of it to write, its offset, whether `,\n` goes before it.
            var placed: [(text: MemoryText, part: Range<Int>, at: Int, separated: Bool)] = []
            lock.withLock {
                guard !unexpected && !failed else { return }
                heads[chunk] = standIn
                waiting[chunk] = (text, featuresAt..<(bytes.count - GeoJSONChunks.trailer.count))
                while let (text, body) = waiting.removeValue(forKey: next) {
                    if next == 0 {
                        // Chunk 0 from its first byte: its header holds the place of the layer's.
                        headerLength = body.lowerBound
                        placed.append((text, 0..<body.upperBound, 0, false))
                        offset = body.upperBound
                    } else {
                        // OGR's separator between two features, then this chunk's features.
                        placed.append((text, body, offset, true))
                        offset += 2 + body.count
                    }
                    next += 1
                }
            }
            for (text, part, at, separated) in placed {
                if separated { try write(GeoJSONChunks.separator, at: at) }
                try write(text.bytes + part.lowerBound, count: part.count, at: separated ? at + 2 : at)
            }
        }

        /// The trailer and the layer's header; false when a chunk's layout was unexpected. Closes the file.
        func finish() throws -> Bool {
            let (heads, end, headerLength, complete) = lock.withLock {
                (self.heads, offset, self.headerLength, !unexpected && next == self.heads.count)
            }
            defer { closeFile() }
            guard complete else { return false }
            guard let header = join(heads.map { $0! }),
                  let length = [UInt8](header).firstRange(of: GeoJSONChunks.featuresLine)?.upperBound,
                  length == headerLength
            else { return false }
            try write(GeoJSONChunks.trailer, at: end)
            try write([UInt8](header.prefix(length)), at: 0)
            return true
        }

        private var isOpen = true

        private func closeFile() {
            if isOpen { close(file) }
            isOpen = false
        }

        private func write(_ bytes: [UInt8], at: Int) throws {
            try bytes.withUnsafeBufferPointer { try write($0.baseAddress!, count: $0.count, at: at) }
        }

        private func write(_ bytes: UnsafePointer<UInt8>, count: Int, at: Int) throws {
            try writeAll(file, bytes, count: count, at: at, path: path)
        }
    }

    private static let featuresLine = Array("\"features\": [\n".utf8)
    private static let bboxStart = Array("\"bbox\": [ ".utf8)
    private static let trailer = Array("\n]\n}\n".utf8)
    private static let separator = Array(",\n".utf8)

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

import Foundation

/// One GeoJSON layer written by OGR's GeoJSON driver on several cores: the rows are cut into consecutive chunks,
/// each chunk is written by its own OGR dataset (on one thread) into memory, and the chunks' texts are written into
/// the one file OGR would have written alone, byte for byte, each at its place as soon as the chunks before it are
/// done (`Assembly`).
///
/// The assembly relies on the layout of OGR's GeoJSON writer (GDAL `ogr/ogrsf_frmts/geojson`): a header, a line
/// `"bbox": [ … ],` padded with spaces to a fixed width (written at close over a reserved blank line), the line
/// `"features": [`, the features separated by `,\n`, and `\n]\n}\n`. Each feature's text depends on that feature
/// alone, and the layer's bbox is the union of the features' extents, printed here from the chunks' extents as
/// `OGRGeoJSONWriteLayer` prints it (`Mode`). Every one of these is checked on the chunks' texts; when any does not
/// hold (another GDAL version, say) the layer is written again by one OGR dataset with the caller's options.
///
/// A layer asked for with `RFC7946=YES` is written in chunks with `RFC7946=NO` and no spatial reference (`Mode`):
/// under RFC 7946 the writer copies every feature (`OGRFeature::SetFrom`) and its geometry
/// (`OGRGeometryFactory::transformWithOptions` with `WRAPDATELINE=YES`) before writing it, a tenth of its time, and
/// that changes nothing when no longitude lies beyond ±170° (the cut at the antimeridian looks only at geometries
/// within `DATELINEOFFSET`, 10°, of it) and polygons are already counter-clockwise (`WKB.counterClockwisePolygon`):
/// the features' text is the same, and so is the header but for its `crs` member (none without a reference) and its
/// bbox (printed here). A chunk whose extent reaches beyond ±170° sends the layer to one RFC 7946 dataset.
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
        let mode = Mode(layerOptions: options)
        let ranges = (0..<chunks).map { c in (c * count / chunks)..<((c + 1) * count / chunks) }
        let assembly = try Assembly(path: path, chunks: chunks, mode: mode)
        let workers = Swift.max(1, Swift.min(requested, chunks))
        var failures = [Error?](repeating: nil, count: chunks)
        failures.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            // Worker w takes chunks w, w + workers, …: the chunks finish about in order, so few wait in memory.
            Parallelism.run(workers: workers) { w in
                var c = w
                while c < chunks && !assembly.stopped {
                    do {
                        let (writer, layer) = try writeLayer(
                            path: path, name: name, geometry: geometry, fields: fields, options: mode.options,
                            referenced: mode.referenced, range: ranges[c]) { try makeRows(c, $0) }
                        let extent = layer.extent()
                        try assembly.add(c, try writer.closeIntoMemory(), extent: extent)
                    } catch {
                        base[c] = error
                        assembly.stop()
                    }
                    c += workers
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        guard try assembly.finish() else {
            // The caller's options, one dataset.
            let (writer, _) = try writeLayer(path: path, name: name, geometry: geometry, fields: fields, options: options,
                                             referenced: true, range: 0..<count) { try makeRows(0, $0) }
            return try writer.close()
        }
    }

    /// How the chunks are written and the layer's bbox printed, from the layer options the caller asked for.
    struct Mode: Sendable {
        /// The chunks' options: `RFC7946=NO` in place of `RFC7946=YES`.
        let options: [String]
        /// Whether the chunks' layers carry the WGS84 reference (not when RFC 7946 is done here: no `crs` member).
        let referenced: Bool
        /// The layer bbox's bounds as `OGRGeoJSONWriteLayer`'s destructor prints them: `%.<COORDINATE_PRECISION>f`
        /// under RFC 7946 (7 by default), `%.15g` otherwise.
        let bboxFormat: String
        /// Whether a longitude beyond ±170° sends the layer to one dataset (RFC 7946's antimeridian cut).
        let guardsAntimeridian: Bool

        init(layerOptions: [String]) {
            func value(_ key: String) -> String? {
                layerOptions.lazy.compactMap { option -> String? in
                    let parts = option.split(separator: "=", maxSplits: 1)
                    return parts.count == 2 && parts[0].uppercased() == key ? String(parts[1]) : nil
                }.first
            }
            let rfc7946 = ["YES", "TRUE", "ON", "1"].contains(value("RFC7946")?.uppercased() ?? "")
            guardsAntimeridian = rfc7946
            referenced = !rfc7946
            options = rfc7946 ? layerOptions.map { $0.uppercased().hasPrefix("RFC7946=") ? "RFC7946=NO" : $0 } : layerOptions
            bboxFormat = rfc7946 ? "%.\(value("COORDINATE_PRECISION").flatMap { Int($0) } ?? 7)f" : "%.15g"
        }

        /// A bound printed by C's `snprintf` (what GDAL's `CPLSPrintf` calls).
        func printed(_ value: Double) -> String { cFormat(bboxFormat, value) }

        /// Whether a chunk of this extent may be written in this mode: under RFC 7946 no longitude beyond ±170° (the
        /// antimeridian cut) and no latitude beyond ±90° (which OGR's RFC 7946 writer refuses with an error).
        func accepts(_ extent: LayerExtent) -> Bool {
            !guardsAntimeridian || (extent.minX >= -170 && extent.maxX <= 170 && extent.minY >= -90 && extent.maxY <= 90)
        }
    }

    /// The OGR dataset of one layer (into memory, for GeoJSON): its rows made and written a batch at a time.
    private static func writeLayer(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                                   options: [String], referenced: Bool, range: Range<Int>,
                                   makeRows: (Range<Int>) throws -> [Row]) throws -> (VectorWriter, LayerWriter) {
        let writer = try VectorWriter(driver: "GeoJSON", path: path)
        let layer = try writer.addLayer(name: name, geometry: geometry, fields: fields, options: options, referenced: referenced)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(range.upperBound, start + batchRows)
            for row in try makeRows(start..<end) { try layer.write(wkb: row.wkb, values: row.values) }
            start = end
        }
        return (writer, layer)
    }

    /// The chunks' texts written into one file at `path`, whatever the order they come in: chunk 0 whole (its header
    /// stands in for the layer's), then each later chunk's features after `,\n`, each at its offset as soon as the
    /// chunks before it are placed (`pwrite`, outside the lock: the other threads go on), then the trailer, and the
    /// layer's header (the chunks' extents joined, `join`) over chunk 0's, the same length. Each text is freed once
    /// written. `finish` says false when a chunk's layout is not the expected one, or its extent is one the mode does
    /// not accept: the caller writes the layer again.
    final class Assembly: @unchecked Sendable {
        let path: String
        private let file: Int32
        private let lock = NSLock()
        private var waiting: [Int: (text: MemoryText, body: Range<Int>)] = [:]
        /// Each chunk's header (to its `"features": [` line), with a one-byte stand-in body and the trailer.
        private var heads: [Data?]
        /// Each chunk's extent (nil: no geometry).
        private var extents: [LayerExtent?]
        private let mode: Mode
        private var next = 0
        private var offset = 0
        private var headerLength = 0
        private var unexpected = false
        private var failed = false

        init(path: String, chunks: Int, mode: Mode) throws {
            self.path = path
            self.mode = mode
            heads = [Data?](repeating: nil, count: chunks)
            extents = [LayerExtent?](repeating: nil, count: chunks)
            file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard file >= 0 else { throw GDALError(path: path, message: String(cString: strerror(errno))) }
        }

        deinit { closeFile() }

        /// Whether a chunk failed (the others stop) or had an unexpected layout (nothing more is written).
        var stopped: Bool { lock.withLock { failed || unexpected } }

        func stop() { lock.withLock { failed = true } }

        /// Chunk `chunk`'s text and the extent of its features, written at once when the chunks before it are placed,
        /// else kept until they are.
        func add(_ chunk: Int, _ text: MemoryText, extent: LayerExtent?) throws {
            let bytes = text.buffer
            let head = bytes.prefix(1 << 16)
            guard extent.map(mode.accepts) ?? true,
                  let featuresAt = head.firstRange(of: GeoJSONChunks.featuresLine)?.upperBound,
                  bytes.count >= featuresAt + GeoJSONChunks.trailer.count + 1,
                  bytes.suffix(GeoJSONChunks.trailer.count).elementsEqual(GeoJSONChunks.trailer)
            else { return lock.withLock { unexpected = true } }
            let standIn = Data(bytes[..<featuresAt] + [UInt8(ascii: "x")] + GeoJSONChunks.trailer)
            // The chunks now placed: their text, the part of it to write, its offset, whether `,\n` goes before it.
            var placed: [(text: MemoryText, part: Range<Int>, at: Int, separated: Bool)] = []
            lock.withLock {
                guard !unexpected && !failed else { return }
                heads[chunk] = standIn
                extents[chunk] = extent
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
            let (heads, extents, end, headerLength, complete) = lock.withLock {
                (self.heads, self.extents, offset, self.headerLength, !unexpected && next == self.heads.count)
            }
            defer { closeFile() }
            guard complete else { return false }
            guard let header = join(heads.map { $0! }, extents: extents, mode: mode),
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

    /// The single file from the chunks' texts and extents, or nil when a chunk does not have the expected layout or
    /// has no extent. The bbox line is chunk 0's, its bounds the union of the extents printed as the mode says.
    static func join(_ files: [Data], extents: [LayerExtent?], mode: Mode) -> Data? {
        struct Part {
            var beforeBBox: ArraySlice<UInt8>
            var bboxLineWidth: Int
            var betweenBBoxAndFeatures: ArraySlice<UInt8>
            var features: ArraySlice<UInt8>
        }
        guard extents.count == files.count, let first = extents.first ?? nil else { return nil }
        var union = first
        for extent in extents.dropFirst() {
            guard let extent else { return nil }
            union = union.union(extent)
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
            let line = bytes[bboxAt..<lineEnd]
            let text = line[..<((line.lastIndex { $0 != UInt8(ascii: " ") } ?? bboxAt) + 1)]
            guard text.starts(with: bboxStart), text.reversed().starts(with: " ],".utf8.reversed()) else { return nil }
            let body = bytes[(featuresAt + featuresLine.count)..<(bytes.count - trailer.count)]
            guard !body.isEmpty else { return nil }
            parts.append(Part(beforeBBox: bytes[..<bboxAt], bboxLineWidth: line.count,
                              betweenBBoxAndFeatures: bytes[lineEnd..<featuresAt], features: body))
        }
        guard let head = parts.first,
              parts.allSatisfy({ $0.beforeBBox == head.beforeBBox && $0.bboxLineWidth == head.bboxLineWidth
                  && $0.betweenBBoxAndFeatures == head.betweenBBoxAndFeatures })
        else { return nil }
        let bounds = [union.minX, union.minY, union.maxX, union.maxY].map(mode.printed)
        var line = "\"bbox\": [ " + bounds.joined(separator: ", ") + " ],"
        guard line.utf8.count <= head.bboxLineWidth else { return nil }
        line += String(repeating: " ", count: head.bboxLineWidth - line.utf8.count)
        var out = Data(head.beforeBBox)
        out.append(contentsOf: Array(line.utf8))
        out.append(contentsOf: head.betweenBBoxAndFeatures)
        out.append(contentsOf: featuresLine)
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: separator) }
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

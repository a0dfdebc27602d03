import Foundation

/// One GeoJSON layer written by OGR's GeoJSON driver on several cores: the rows are cut into consecutive chunks,
/// each chunk is written by its own OGR dataset (its own thread) into a temporary file, and the files are joined
/// into the one OGR would have written alone, byte for byte.
///
/// The join relies on the layout of OGR's GeoJSON writer (GDAL `ogr/ogrsf_frmts/geojson`): a header, a line
/// `"bbox": [ … ],` padded with spaces to a fixed width (written at close over a reserved blank line), the line
/// `"features": [`, the features separated by `,\n`, and `\n]\n}\n`. Each feature's text depends on that feature
/// alone, and the layer's bbox is the union of the features' (each bound printed with the same fixed precision, so
/// the extreme printed value of the chunks is the printed extreme). Every one of these is checked on the chunk
/// files; when any does not hold (another GDAL version, say) the layer is written again by one OGR dataset.
enum GeoJSONChunks {
    /// Below this many rows a layer is written by one dataset (the join would not pay).
    static let minimumRowsPerChunk = 2048

    static func write(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                      options: [String], rows: [(wkb: [UInt8]?, values: [FieldValue])], chunks requested: Int) throws {
        let chunks = Swift.max(1, Swift.min(requested, rows.count / minimumRowsPerChunk))
        func writeWhole() throws {
            try writeFile(path: path, name: name, geometry: geometry, fields: fields, options: options, rows: rows[...])
        }
        guard chunks > 1 else { return try writeWhole() }
        let ranges = (0..<chunks).map { c in (c * rows.count / chunks)..<((c + 1) * rows.count / chunks) }
        let parts = ranges.indices.map { "\(path).part\($0)" }
        defer { for part in parts { try? FileManager.default.removeItem(atPath: part) } }
        var failures = [Error?](repeating: nil, count: chunks)
        failures.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                do {
                    try writeFile(path: parts[c], name: name, geometry: geometry, fields: fields, options: options,
                                  rows: rows[ranges[c]])
                } catch {
                    base[c] = error
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        let files = try parts.map { part -> Data in
            do { return try Data(contentsOf: URL(fileURLWithPath: part)) } catch {
                throw GDALError(path: part, message: "cannot read back a chunk: \(error.localizedDescription)")
            }
        }
        guard let joined = join(files) else { return try writeWhole() }
        do { try joined.write(to: URL(fileURLWithPath: path)) } catch {
            throw GDALError(path: path, message: error.localizedDescription)
        }
    }

    /// The OGR dataset of one file: the layer and its rows.
    private static func writeFile(path: String, name: String, geometry: OGRGeometryKind?, fields: [FieldDefinition],
                                  options: [String], rows: ArraySlice<(wkb: [UInt8]?, values: [FieldValue])>) throws {
        let writer = try VectorWriter(driver: "GeoJSON", path: path)
        let layer = try writer.addLayer(name: name, geometry: geometry, fields: fields, options: options)
        for row in rows { try layer.write(wkb: row.wkb, values: row.values) }
        try writer.close()
    }

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
            guard bounds.count == 4, bounds.allSatisfy({ Double($0) != nil }),
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

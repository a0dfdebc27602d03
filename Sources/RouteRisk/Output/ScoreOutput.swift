import Foundation

/// Writes the outputs of a score run into `--out` (MODEL §11): `routes.geojson`,
/// `hotspots.geojson` and `summary.json`, or `routerisk.gpkg` with layers `routes`,
/// `hotspots` and `summary`. Nothing is left behind when any step fails.
public struct ScoreOutput {
    public let directory: URL
    public let format: OutputFormat
    public let overwrite: Bool
    /// QGIS styles: a sidecar `.qml` per GeoJSON layer, `layer_styles` in a GeoPackage or the
    /// database (`--no-styles` turns them off).
    public var styles = true
    /// The database of `--format postgis`.
    public var database: PostGISTarget?
    /// Recorded in `summary.json` (input hashes, version, command line) when set.
    public var provenance: Provenance?

    public init(directory: URL, format: OutputFormat, overwrite: Bool) {
        self.directory = directory
        self.format = format
        self.overwrite = overwrite
    }

    public var fileNames: [String] {
        switch format {
        case .geojson: return ["routes.geojson", "hotspots.geojson", "summary.json"] + (styles ? ["routes.qml", "hotspots.qml"] : [])
        case .gpkg: return ["routerisk.gpkg"]
        case .postgis: return ["routes", "hotspots"].map { database?.qualified(PostGISTarget.tableName($0)) ?? $0 }
        }
    }

    /// Fails early (exit status 73) when outputs exist and `--overwrite` is off (66 when the
    /// database cannot be reached).
    public func checkWritable() throws {
        if format == .postgis {
            try postGIS().checkWritable(tables: ["routes", "hotspots"].map(PostGISTarget.tableName))
            return
        }
        try AtomicOutput(directory: directory, overwrite: overwrite).checkWritable(fileNames)
    }

    private func postGIS() throws -> PostGISOutput {
        guard let database else { throw RunError.usage("--format postgis needs --out PG:…") }
        return PostGISOutput(target: database, overwrite: overwrite, styles: styles)
    }

    /// Writes every output; returns the summary that was written.
    @discardableResult
    public func write(_ result: ScoreResult, clock: StageClock? = nil) throws -> Summary {
        var output = AtomicOutput(directory: directory, overwrite: overwrite)
        if format != .postgis { try output.checkWritable(fileNames) }
        let started = DispatchTime.now().uptimeNanoseconds
        /// The write stage's wall time so far, recorded in the summary it writes.
        func writeSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        do {
            let context = try GEOSContext()
            let cells = FeatureWriter.cellsToWrite(result)
            // `--share` (docs/PRIVACY.md): which rows are withheld is decided over the whole layer
            // (complementary suppression), before the rows are made in batches.
            let sharing = result.options.share.map { ScoreSharing(rule: $0, result: result, cells: cells) }
            // Rows are made where they are written (GeoJSON: a batch at a time on each writing thread).
            func routeRows(_ range: Range<Int>, context: GEOSContext) throws -> [(wkb: [UInt8]?, values: [FieldValue])] {
                try range.map { i in
                    let values = FeatureWriter.routeValues(result.routes[i], result: result)
                    return (wkb: try FeatureWriter.routeWKB(result.routes[i], context: context),
                            values: sharing?.route(i, values) ?? values)
                }
            }
            func cellRows(_ range: Range<Int>, _ transformer: CoordinateTransformer) throws -> [(wkb: [UInt8]?, values: [FieldValue])] {
                try zip(FeatureWriter.cellWKB(cells[range], result: result, transformer: transformer), range).map { wkb, i in
                    let values = FeatureWriter.cellValues(cells[i], result: result)
                    return (wkb: wkb, values: sharing?.cell(i, values) ?? values)
                }
            }
            func newTransformer() throws -> CoordinateTransformer {
                try CoordinateTransformer(from: "EPSG:4326", to: result.projection.definition)
            }
            var summary = Summary(result, cellsWritten: cells.count)
            summary.suppressed = sharing?.counts
            // The model that made this summary (routerisk-2 with the forecast, else routerisk-1).
            summary.provenance = provenance.map { var p = $0; p.model = summary.model; return p }
            // The clock's stages include those already in `result.stages` (the same clock, read
            // later): take them instead of adding them, or each stage would be counted twice.
            if let clock {
                var stages: [String: Double] = [:]
                for (name, s) in clock.stages { stages[name, default: 0] += s }
                summary.stages_s = stages
            }
            switch format {
            case .geojson:
                // One layer after the other, each on every core: its rows in chunks, each chunk its own GDAL
                // dataset on one thread, written at its place in the file byte for byte (GeoJSONChunks). (The two
                // layers on two threads with their chunks nested inside ran the chunks one by one: GCD does not widen a
                // concurrentPerform started from within another.)
                let routeURL = try output.stage("routes.geojson"), cellURL = try output.stage("hotspots.geojson")
                let threads = Parallelism.threadCount
                // One GEOS context per chunk, made and used on that chunk's thread.
                var contexts = [GEOSContext?](repeating: nil, count: GeoJSONChunks.chunkCount(rows: result.routes.count, requested: threads))
                try contexts.withUnsafeMutableBufferPointer { own in
                    try GeoJSONChunks.write(
                        path: routeURL.path, name: "routes", geometry: .any,
                        fields: FeatureWriter.routeFields(result), options: FeatureWriter.geoJSONLayerOptions,
                        count: result.routes.count, chunks: threads) { chunk, range in
                        if own[chunk] == nil { own[chunk] = try GEOSContext() }
                        return try routeRows(range, context: own[chunk]!)
                    }
                }
                // One PROJ transformer per chunk, made and used on that chunk's thread.
                let cellChunks = GeoJSONChunks.chunkCount(rows: cells.count, requested: threads)
                var transformers = [CoordinateTransformer?](repeating: nil, count: cellChunks)
                try transformers.withUnsafeMutableBufferPointer { own in
                    try GeoJSONChunks.write(
                        path: cellURL.path, name: "hotspots", geometry: .polygon,
                        fields: FeatureWriter.cellFields(result), options: FeatureWriter.geoJSONLayerOptions,
                        count: cells.count, chunks: threads) { chunk, range in
                        if own[chunk] == nil { own[chunk] = try newTransformer() }
                        return try cellRows(range, own[chunk]!)
                    }
                }
                if styles {
                    // QGIS loads `<name>.qml` beside a file layer as its default style.
                    // The styles read the field values only (their classes): no geometry made for them.
                    let layers: [(String, [FieldDefinition], [(wkb: [UInt8]?, values: [FieldValue])])] = [
                        ("routes", FeatureWriter.routeFields(result),
                         result.routes.map { (wkb: nil, values: FeatureWriter.routeValues($0, result: result)) }),
                        ("hotspots", FeatureWriter.cellFields(result),
                         cells.map { (wkb: nil, values: FeatureWriter.cellValues($0, result: result)) }),
                    ]
                    for (name, fields, rows) in layers {
                        let stored = StoredStyles(layer: name, table: name, geometryColumn: "", fields: fields, rows: rows)
                        if let style = stored.styles.first {
                            try output.stageData(Data(QMLDocument.qml(style).utf8), as: "\(name).qml")
                        }
                    }
                }
                summary.stages_s["write"] = writeSeconds()
                try output.stageData(try summary.jsonData(), as: "summary.json")
            case .gpkg:
                let routeRows = try routeRows(0..<result.routes.count, context: context)
                let cellRows = try cellRows(0..<cells.count, try newTransformer())
                let url = try output.stage("routerisk.gpkg")
                let writer = try VectorWriter(driver: "GPKG", path: url.path)
                try FeatureWriter.writeLayer(writer, name: "routes", geometry: .any, fields: FeatureWriter.routeFields(result), options: [], rows: routeRows)
                try FeatureWriter.writeLayer(writer, name: "hotspots", geometry: .polygon, fields: FeatureWriter.cellFields(result), options: [], rows: cellRows)
                summary.stages_s["write"] = writeSeconds()
                let json = String(decoding: try summary.jsonData(), as: UTF8.self)
                try FeatureWriter.writeLayer(
                    writer, name: "summary", geometry: nil,
                    fields: [.init(name: "model", kind: .string), .init(name: "summary_json", kind: .string)],
                    options: [], rows: [(wkb: nil, values: [.string(Summary.modelName), .string(json)])])
                if styles {
                    // In the same temporary GeoPackage, renamed into place with the layers.
                    try StyleTable.write([
                        StoredStyles(layer: "routes", table: "routes", geometryColumn: "geom", fields: FeatureWriter.routeFields(result), rows: routeRows),
                        StoredStyles(layer: "hotspots", table: "hotspots", geometryColumn: "geom", fields: FeatureWriter.cellFields(result), rows: cellRows),
                    ], into: writer, time: Timestamp.isoDateTime(Date().timeIntervalSince1970))
                }
                try writer.close()
            case .postgis:
                let routeRows = try routeRows(0..<result.routes.count, context: context)
                let cellRows = try cellRows(0..<cells.count, try newTransformer())
                summary.stages_s["write"] = writeSeconds()
                try postGIS().write([
                    PostGISLayer(layer: "routes", geometry: .multiLineString, fields: FeatureWriter.routeFields(result), rows: routeRows),
                    PostGISLayer(layer: "hotspots", geometry: .polygon, fields: FeatureWriter.cellFields(result), rows: cellRows),
                ], command: "score", summaryJSON: String(decoding: try summary.jsonData(), as: UTF8.self))
                return summary
            }
            try output.commit()
            return summary
        } catch {
            let failure = output.failure(error)
            output.discard()
            throw failure
        }
    }
}

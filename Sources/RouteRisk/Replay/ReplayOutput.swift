import Foundation

/// Writes a replay (MODEL §10): `replay-metrics.csv`, `replay-summary.json`, the replay layer
/// (`replay.geojson`, or `replay.gpkg` with `--format gpkg`), the offline page `replay.html`,
/// and optionally a workshop notebook. All or nothing, like the score outputs.
public struct ReplayOutput {
    public let directory: URL
    public let format: OutputFormat
    public let overwrite: Bool
    public let notebook: URL?
    /// QGIS styles (`replay.qml`, or `layer_styles` in the GeoPackage or database).
    public var styles = true
    /// The database of `--format postgis`: the layer goes to `routerisk_replay`, the summary
    /// (with every step's metrics) to `routerisk_runs`; no files but the notebook.
    public var database: PostGISTarget?
    /// Recorded in `replay-summary.json` (input hashes, version, command line) when set.
    public var provenance: Provenance?

    public init(directory: URL, format: OutputFormat, overwrite: Bool, notebook: URL?) {
        self.directory = directory
        self.format = format
        self.overwrite = overwrite
        self.notebook = notebook
    }

    public var fileNames: [String] {
        if format == .postgis { return [database?.qualified(PostGISTarget.tableName("replay")) ?? "routerisk_replay"] }
        return ["replay-metrics.csv", "replay-summary.json", format == .gpkg ? "replay.gpkg" : "replay.geojson", "replay.html"]
            + (styles && format == .geojson ? ["replay.qml"] : []) + (styles ? ["replay.qgs"] : [])
    }

    private func postGIS() throws -> PostGISOutput {
        guard let database else { throw RunError.usage("--format postgis needs --out PG:…") }
        return PostGISOutput(target: database, overwrite: overwrite, styles: styles)
    }

    public func checkWritable() throws {
        if format == .postgis {
            try postGIS().checkWritable(tables: [PostGISTarget.tableName("replay")])
            if let notebook, !overwrite, FileManager.default.fileExists(atPath: notebook.path) {
                throw RunError.cannotWrite("\(notebook.path): already exists (give --overwrite to replace)")
            }
            return
        }
        try AtomicOutput(directory: directory, overwrite: overwrite).checkWritable(fileNames)
        if let notebook, !overwrite, FileManager.default.fileExists(atPath: notebook.path) {
            throw RunError.cannotWrite("\(notebook.path): already exists (give --overwrite to replace)")
        }
    }

    public func write(_ replay: ReplayResult) throws {
        // A shared export (`--share`) drops the event points before anything is rendered.
        let replay = replay.forSharing()
        try checkWritable()
        var output = AtomicOutput(directory: directory, overwrite: overwrite)
        var notebookOutput = notebook.map { AtomicOutput(directory: $0.deletingLastPathComponent(), overwrite: overwrite) }
        do {
            if format == .postgis {
                if let notebook, var n = notebookOutput {
                    try n.stageData(ReplayNotebook.json(replay), as: notebook.lastPathComponent)
                    notebookOutput = n
                }
                let (fields, rows) = try Self.layerRows(replay)
                try postGIS().write(
                    [PostGISLayer(layer: "replay", geometry: .any, fields: Self.typedFields(.postgis, fields), rows: rows)],
                    command: "replay", summaryJSON: String(decoding: try summaryJSON(replay), as: UTF8.self))
                try notebookOutput?.commit()
                return
            }
            try output.stageData(
                Data(Self.metricsCSV(
                    replay.steps.map(\.metrics), withPlan: replay.summary.planTeams != nil, sharing: replay.sharing).utf8),
                as: "replay-metrics.csv")
            try output.stageData(try summaryJSON(replay), as: "replay-summary.json")
            let layerName = format == .gpkg ? "replay.gpkg" : "replay.geojson"
            let url = try output.stage(layerName)
            let (fields, rows) = try Self.layerRows(replay)
            // The page (one thread's work) is made while GDAL writes the layer, whose chunks leave a core idle
            // at times (its last chunk, the assembly).
            let (page, written) = Parallelism.alongside({ ReplayPage.html(replay) }) {
                Result { try Self.writeLayer(replay, fields: fields, rows: rows, to: url, format: format, styles: styles) }
            }
            try written.get()
            if styles, let style = Self.storedStyles(fields: fields, rows: rows).styles.first {
                if format == .geojson { try output.stageData(Data(QMLDocument.qml(style).utf8), as: "replay.qml") }
                // A project that opens the layer with its temporal settings in force (see QGISProject).
                let source = format == .gpkg ? "./replay.gpkg|layername=replay" : "./replay.geojson"
                let range = replay.steps.isEmpty ? nil : (
                    start: Timestamp.isoDateTime(replay.steps.first!.metrics.start), end: Timestamp.isoDateTime(replay.steps.last!.metrics.end))
                let project = QGISProject.qgs(
                    title: "routerisk replay", layers: [.init(id: "replay", name: "replay", source: source, style: style)], range: range,
                    stepDays: replay.steps.first.map { ($0.metrics.end - $0.metrics.start) / 86_400 } ?? 1)
                try output.stageData(Data(project.utf8), as: "replay.qgs")
            }
            try output.stageData(Data(page.utf8), as: "replay.html")
            if let notebook, var n = notebookOutput {
                try n.stageData(ReplayNotebook.json(replay), as: notebook.lastPathComponent)
                notebookOutput = n
            }
            try output.commit()
            try notebookOutput?.commit()
        } catch {
            let failure = notebookOutput.map { $0.failure(output.failure(error)) } ?? output.failure(error)
            output.discard()
            notebookOutput?.discard()
            throw failure
        }
    }

    static let csvColumns = [
        "step", "start", "end", "test_events", "hit_rate", "area_fraction", "pai", "pei_star", "route_hit_rate",
        "baseline_hit_rate", "baseline_pai",
    ]

    /// MODEL §14's plan columns, after §10's, with `--plan-teams`.
    static let planColumns = ["plan_hit_rate", "baseline_plan_hit_rate", "hindsight_hit_rate", "plan_efficiency"]

    /// Exactly the columns of MODEL §10 (then §14's with `withPlan`); empty rates for a step without test events.
    /// With `sharing`, a withheld step's `test_events` is empty too.
    public static func metricsCSV(_ metrics: [ReplayStepMetrics], withPlan: Bool = false, sharing: ReplaySharing? = nil) -> String {
        func v(_ d: Double?) -> String { d.map { "\($0)" } ?? "" }
        var lines = [(csvColumns + (withPlan ? planColumns : [])).joined(separator: ",")]
        for (index, m) in metrics.enumerated() {
            let tests = sharing.map { $0.steps[index].testEvents.map(String.init) ?? "" } ?? String(m.testEvents)
            lines.append([
                String(m.step), Timestamp.isoDateTime(m.start), Timestamp.isoDateTime(m.end), tests,
                v(m.hitRate), v(m.areaFraction), v(m.pai), v(m.peiStar), v(m.routeHitRate), v(m.baselineHitRate),
                v(m.baselinePAI),
            ].joined(separator: ",") + (withPlan
                ? "," + [m.planHitRate, m.baselinePlanHitRate, m.hindsightHitRate, m.planEfficiency].map(v).joined(separator: ",")
                : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct SummaryDocument: Encodable {
        let summary: ReplaySummary
        let options: String
        let metrics: [StepRow]
        /// `--share K`: K and what was withheld; the inputs and the command line (`verify`).
        var shareMinCount: Int? = nil
        var suppressed: SuppressionCounts? = nil
        var provenance: Provenance? = nil
        struct StepRow: Encodable {
            let step: Int, start: String, end: String, testEvents: Int?
            let hitRate: Double?, areaFraction: Double, pai: Double?, peiStar: Double?, routeHitRate: Double?
            let baselineHitRate: Double?, baselinePai: Double?
            let topRoutes: [String]
            /// MODEL §14 with --plan-teams (omitted without it).
            var planHitRate: Double? = nil, baselinePlanHitRate: Double? = nil
            var hindsightHitRate: Double? = nil, planEfficiency: Double? = nil
        }
    }

    /// `replay-summary.json` with this writer's provenance.
    public func summaryJSON(_ replay: ReplayResult) throws -> Data {
        try Self.summaryJSON(replay.forSharing(), provenance: provenance)
    }

    public static func summaryJSON(_ replay: ReplayResult, provenance: Provenance? = nil) throws -> Data {
        let replay = replay.forSharing()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let rows = replay.steps.enumerated().map { index, s in
            let m = s.metrics
            return SummaryDocument.StepRow(
                step: m.step, start: Timestamp.isoDateTime(m.start), end: Timestamp.isoDateTime(m.end),
                testEvents: replay.sharing.map { $0.steps[index].testEvents } ?? m.testEvents, hitRate: m.hitRate, areaFraction: m.areaFraction, pai: m.pai,
                peiStar: m.peiStar, routeHitRate: m.routeHitRate, baselineHitRate: m.baselineHitRate,
                baselinePai: m.baselinePAI, topRoutes: s.topRoutes, planHitRate: m.planHitRate,
                baselinePlanHitRate: m.baselinePlanHitRate, hindsightHitRate: m.hindsightHitRate,
                planEfficiency: m.planEfficiency)
        }
        var document = SummaryDocument(summary: replay.summary, options: replay.optionsText, metrics: rows)
        document.shareMinCount = replay.sharing?.rule.minimumCount
        document.suppressed = replay.sharing?.counts
        document.provenance = provenance.map { var p = $0; p.model = replay.summary.model; return p }
        var data = try encoder.encode(document)
        data.append(0x0A)
        return data
    }

    static let layerFields: [FieldDefinition] = [
        .init(name: "step", kind: .integer), .init(name: "start", kind: .string), .init(name: "end", kind: .string),
        .init(name: "kind", kind: .string), .init(name: "rank", kind: .integer), .init(name: "q", kind: .integer),
        .init(name: "r", kind: .integer), .init(name: "intensity_km2", kind: .real), .init(name: "persons", kind: .integer),
        .init(name: "date", kind: .string), .init(name: "hit", kind: .integer),
    ]

    /// Per step the predicted cells (`kind` = predicted_cell) and the test events (`kind` =
    /// test_event), each with `step`, `start` and `end` in ISO 8601 for QGIS's Temporal Controller.
    static func writeLayer(
        _ replay: ReplayResult, fields: [FieldDefinition], rows: [(wkb: [UInt8]?, values: [FieldValue])], to url: URL,
        format: OutputFormat, styles: Bool = false
    ) throws {
        if format == .geojson {
            // On every core, in chunks assembled byte for byte into the one file (GeoJSONChunks).
            try GeoJSONChunks.write(
                path: url.path, name: "replay", geometry: .any, fields: fields, options: FeatureWriter.geoJSONLayerOptions,
                rows: rows, chunks: Parallelism.threadCount)
            return
        }
        let writer = try VectorWriter(driver: "GPKG", path: url.path)
        try FeatureWriter.writeLayer(writer, name: "replay", geometry: .any, fields: typedFields(format, fields), options: [], rows: rows)
        if styles {
            try StyleTable.write([storedStyles(fields: fields, rows: rows, geometryColumn: "geom")], into: writer,
                                 time: Timestamp.isoDateTime(Date().timeIntervalSince1970))
        }
        try writer.close()
    }

    static func storedStyles(
        fields: [FieldDefinition], rows: [(wkb: [UInt8]?, values: [FieldValue])], geometryColumn: String = ""
    ) -> StoredStyles {
        StoredStyles(layer: "replay", table: "replay", geometryColumn: geometryColumn, fields: fields, rows: rows)
    }

    /// The replay layer's fields and rows (geometry as WKB, lon/lat).
    static func layerRows(_ replay: ReplayResult) throws -> ([FieldDefinition], [(wkb: [UInt8]?, values: [FieldValue])]) {
        // A shared export (`--share`): cells with their test-event counts and one "elsewhere" per step.
        if let sharing = replay.sharing { return try sharedLayerRows(replay, sharing: sharing) }
        // WKB made in Swift (the bytes of GEOS's writer, `WKB`): no GEOS geometry per row.
        var rows: [(wkb: [UInt8]?, values: [FieldValue])] = []
        for step in replay.steps {
            let m = step.metrics
            let start = FieldValue.string(Timestamp.isoDateTime(m.start)), end = FieldValue.string(Timestamp.isoDateTime(m.end))
            for (rank, cell) in step.cells.enumerated() {
                rows.append((WKB.counterClockwisePolygon(exterior: cell.ringLonLat[...]), [
                    .integer(Int64(m.step)), start, end, .string("predicted_cell"), .integer(Int64(rank + 1)),
                    .integer(Int64(cell.q)), .integer(Int64(cell.r)), .real(cell.intensityKm2), .null, .null, .null,
                ]))
            }
            for event in step.events {
                rows.append((WKB.point(event.lonLat), [
                    .integer(Int64(m.step)), start, end, .string("test_event"), .null, .null, .null, .null,
                    .integer(Int64(event.persons)), .string(Timestamp.isoDateTime(event.time)), .integer(event.hit ? 1 : 0),
                ]))
            }
        }
        return (layerFields, rows)
    }

    /// The replay fields for a GeoPackage or a database: `start`, `end` and `date` as date-time
    /// columns (ISO 8601 text in GeoJSON), so that QGIS's Temporal Controller can filter on them.
    static func typedFields(_ format: OutputFormat, _ fields: [FieldDefinition] = layerFields) -> [FieldDefinition] {
        format == .geojson ? fields : fields.map {
            ["start", "end", "date"].contains($0.name) ? FieldDefinition(name: $0.name, kind: .dateTime) : $0
        }
    }

    /// The replay layer of a shared export: per step the chosen cells with their test-event
    /// counts (`kind` = predicted_cell) and one feature without geometry for the events outside
    /// them (`kind` = elsewhere); no event point. Withheld counts are null.
    static let sharedLayerFields: [FieldDefinition] = [
        .init(name: "step", kind: .integer), .init(name: "start", kind: .string), .init(name: "end", kind: .string),
        .init(name: "kind", kind: .string), .init(name: "rank", kind: .integer), .init(name: "q", kind: .integer),
        .init(name: "r", kind: .integer), .init(name: "intensity_km2", kind: .real), .init(name: "test_events", kind: .integer),
    ]

    static func sharedLayerRows(_ replay: ReplayResult, sharing: ReplaySharing) throws -> ([FieldDefinition], [(wkb: [UInt8]?, values: [FieldValue])]) {
        func count(_ n: Int?) -> FieldValue { n.map { .integer(Int64($0)) } ?? .null }
        var rows: [(wkb: [UInt8]?, values: [FieldValue])] = []
        for (index, step) in replay.steps.enumerated() {
            let m = step.metrics
            let shared = sharing.steps[index]
            let start = FieldValue.string(Timestamp.isoDateTime(m.start)), end = FieldValue.string(Timestamp.isoDateTime(m.end))
            for (rank, cell) in step.cells.enumerated() {
                rows.append((WKB.counterClockwisePolygon(exterior: cell.ringLonLat[...]), [
                    .integer(Int64(m.step)), start, end, .string("predicted_cell"), .integer(Int64(rank + 1)),
                    .integer(Int64(cell.q)), .integer(Int64(cell.r)), .real(cell.intensityKm2), count(shared.inCells[rank]),
                ]))
            }
            rows.append((nil, [
                .integer(Int64(m.step)), start, end, .string("elsewhere"), .null, .null, .null, .null, count(shared.elsewhere),
            ]))
        }
        return (sharedLayerFields, rows)
    }
}

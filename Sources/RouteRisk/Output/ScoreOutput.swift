import Foundation

/// Writes the outputs of a score run into `--out` (MODEL §11): `routes.geojson`,
/// `hotspots.geojson` and `summary.json`, or `routerisk.gpkg` with layers `routes`,
/// `hotspots` and `summary`. Nothing is left behind when any step fails.
public struct ScoreOutput {
    public let directory: URL
    public let format: OutputFormat
    public let overwrite: Bool

    public init(directory: URL, format: OutputFormat, overwrite: Bool) {
        self.directory = directory
        self.format = format
        self.overwrite = overwrite
    }

    public var fileNames: [String] {
        switch format {
        case .geojson: return ["routes.geojson", "hotspots.geojson", "summary.json"]
        case .gpkg: return ["routerisk.gpkg"]
        }
    }

    /// Fails early (exit status 73) when outputs exist and `--overwrite` is off.
    public func checkWritable() throws {
        try AtomicOutput(directory: directory, overwrite: overwrite).checkWritable(fileNames)
    }

    /// Writes every output; returns the summary that was written.
    @discardableResult
    public func write(_ result: ScoreResult, clock: StageClock? = nil) throws -> Summary {
        var output = AtomicOutput(directory: directory, overwrite: overwrite)
        try output.checkWritable(fileNames)
        do {
            let context = try GEOSContext()
            let cells = FeatureWriter.cellsToWrite(result)
            let routeRows: [(wkb: [UInt8]?, values: [FieldValue])] = try result.routes.map { (wkb: try FeatureWriter.routeWKB($0, context: context), values: FeatureWriter.routeValues($0)) }
            let cellRows: [(wkb: [UInt8]?, values: [FieldValue])] = try zip(FeatureWriter.cellWKB(cells, result: result, context: context), cells).map {
                (wkb: $0, values: FeatureWriter.cellValues($1))
            }
            var summary = Summary(result, cellsWritten: cells.count)
            if let clock { for (name, s) in clock.stages { summary.stages_s[name, default: 0] += s } }
            switch format {
            case .geojson:
                for (name, fields, kind, rows) in [
                    ("routes", FeatureWriter.routeFields, OGRGeometryKind.any, routeRows),
                    ("hotspots", FeatureWriter.cellFields, OGRGeometryKind.polygon, cellRows),
                ] {
                    let url = try output.stage("\(name).geojson")
                    let writer = try VectorWriter(driver: "GeoJSON", path: url.path)
                    try FeatureWriter.writeLayer(
                        writer, name: name, geometry: kind, fields: fields,
                        options: FeatureWriter.geoJSONLayerOptions, rows: rows)
                    try writer.close()
                }
                try output.stageData(try summary.jsonData(), as: "summary.json")
            case .gpkg:
                let url = try output.stage("routerisk.gpkg")
                let writer = try VectorWriter(driver: "GPKG", path: url.path)
                try FeatureWriter.writeLayer(writer, name: "routes", geometry: .any, fields: FeatureWriter.routeFields, options: [], rows: routeRows)
                try FeatureWriter.writeLayer(writer, name: "hotspots", geometry: .polygon, fields: FeatureWriter.cellFields, options: [], rows: cellRows)
                let json = String(decoding: try summary.jsonData(), as: UTF8.self)
                try FeatureWriter.writeLayer(
                    writer, name: "summary", geometry: nil,
                    fields: [.init(name: "model", kind: .string), .init(name: "summary_json", kind: .string)],
                    options: [], rows: [(wkb: nil, values: [.string(Summary.modelName), .string(json)])])
                try writer.close()
            }
            try output.commit()
            return summary
        } catch let error as RunError {
            output.discard()
            throw error
        } catch {
            output.discard()
            throw RunError.cannotWrite("\(directory.path): \(error)")
        }
    }
}

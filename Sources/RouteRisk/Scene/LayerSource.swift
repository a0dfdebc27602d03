import Foundation

/// Where one layer of a scene comes from: a local file or a GDAL connection string
/// (`PG:dbname=ops host=db.local`), and optionally which layer of a multi-layer source,
/// written with QGIS's suffix `|layername=NAME` (a GeoPackage, a KML, a PostGIS table
/// `schema.table`).
public struct LayerSource: Hashable, Sendable, CustomStringConvertible {
    /// What GDAL opens: an absolute or relative file path, or the connection string as given.
    public let dataset: String
    /// The layer chosen with `|layername=`; nil: the source's only (or first) layer.
    public let layerName: String?
    /// True when `dataset` is a connection string, passed to GDAL unchanged.
    public let isConnection: Bool

    public init(dataset: String, layerName: String? = nil) {
        self.dataset = dataset
        self.layerName = layerName
        self.isConnection = ConnectionString.isConnection(dataset)
    }

    /// A local file (what every layer was before connection strings).
    public init(url: URL) {
        self.init(dataset: url.path)
    }

    /// Parses `SOURCE[|layername=NAME]`; a relative path is taken relative to `directory`
    /// (the scene's) when given, a connection string never is.
    public static func parse(_ text: String, relativeTo directory: URL? = nil) -> LayerSource {
        var dataset = text
        var layerName: String?
        if let bar = text.range(of: "|layername=", options: [.caseInsensitive, .backwards]) {
            dataset = String(text[..<bar.lowerBound])
            let name = String(text[bar.upperBound...])
            // QGIS may add further `|key=value` parts (e.g. `|subset=`); only layername is read.
            layerName = name.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        }
        if ConnectionString.isConnection(dataset) {
            return LayerSource(dataset: dataset, layerName: layerName)
        }
        let url = directory.map { URL(fileURLWithPath: dataset, relativeTo: $0).standardizedFileURL } ?? URL(fileURLWithPath: dataset)
        return LayerSource(dataset: url.path, layerName: layerName)
    }

    /// The local file, or nil for a connection string.
    public var fileURL: URL? { isConnection ? nil : URL(fileURLWithPath: dataset) }

    /// True for a `.csv` file read by routerisk's own CSV reader (MODEL §1 lines).
    var isCSVFile: Bool { !isConnection && layerName == nil && (dataset as NSString).pathExtension.lowercased() == "csv" }

    /// The source as the user wrote it, with any password masked: for messages and outputs.
    public var description: String {
        ConnectionString.masked(dataset) + (layerName.map { "|layername=\($0)" } ?? "")
    }
}

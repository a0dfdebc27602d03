import ArgumentParser
import Foundation
import RouteRisk

/// The output options shared by `score` and `replay` (inputs first, output last, as GDAL's CLIs).
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("out"), help: ArgumentHelp("Output directory (default routerisk-out; routerisk-plan for plan); with --format postgis: a connection string PG:….", valueName: "dir"))
    var outGiven: String?
    /// The directory as given, or the command's default.
    var out: String { outGiven ?? "routerisk-out" }
    @Option(help: ArgumentHelp("geojson (one .geojson per layer), gpkg (one GeoPackage) or postgis (tables in the database of --out).", valueName: "geojson|gpkg|postgis"))
    var format: String = "geojson"
    @Option(help: ArgumentHelp("Schema of the --format postgis tables.", valueName: "name"))
    var schema: String = "public"
    @Flag(name: .customLong("no-styles"), help: "Leave out the QGIS styles (.qml sidecars, layer_styles).")
    var noStyles = false
    @Flag(help: "Replace existing output files.")
    var overwrite = false
    @Flag(help: "Print the summary JSON on stdout instead of the table.")
    var json = false
    @Flag(help: "Print nothing on stdout.")
    var quiet = false
    @Flag(help: "Print wall time and peak memory per stage on stderr (used by make bench).")
    var timings = false
    @Option(help: ArgumentHelp("Shared export: withhold every count from 1 to K − 1 and show no event point (docs/PRIVACY.md); K ≥ 2.", valueName: "K"))
    var share: String?

    /// The options of this group that `scene.toml` may also set, for `ScoreOptions.set`.
    var flags: [(String, String?)] { [("share", share)] }

    func validate() throws {
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format: expected geojson, gpkg or postgis, found '\(format)'")
        }
        if outputFormat == .postgis && !ConnectionString.isPostgres(out) {
            throw ValidationError("--format postgis: --out must be a PostgreSQL connection string (PG:dbname=… or postgresql://…), found '\(ConnectionString.masked(out))'")
        }
        if outputFormat != .postgis && ConnectionString.isPostgres(out) {
            throw ValidationError("--out is a database connection: give --format postgis")
        }
    }

    /// The database of `--format postgis`.
    var database: PostGISTarget? { outputFormat == .postgis ? PostGISTarget(connection: out, schema: schema) : nil }

    var outputFormat: OutputFormat { OutputFormat(rawValue: format.lowercased()) ?? .geojson }
    var directory: URL { URL(fileURLWithPath: out) }

    /// The output paths as the user gave them, for the report.
    func paths(_ names: [String]) -> [String] {
        if outputFormat == .postgis { return names.map { "\($0) in \(ConnectionString.masked(out))" } }
        return names.map { (out as NSString).appendingPathComponent($0) }
    }
}

import ArgumentParser
import Foundation
import RouteRisk

/// The output options shared by `score` and `replay` (inputs first, output last, as GDAL's CLIs).
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
    var out: String = "routerisk-out"
    @Option(help: ArgumentHelp("geojson (one .geojson per layer) or gpkg (one GeoPackage).", valueName: "geojson|gpkg"))
    var format: String = "geojson"
    @Flag(help: "Replace existing output files.")
    var overwrite = false
    @Flag(help: "Print the summary JSON on stdout instead of the table.")
    var json = false
    @Flag(help: "Print nothing on stdout.")
    var quiet = false
    @Flag(help: "Print wall time and peak memory per stage on stderr (used by make bench).")
    var timings = false

    func validate() throws {
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format: expected geojson or gpkg, found '\(format)'")
        }
    }

    var outputFormat: OutputFormat { OutputFormat(rawValue: format.lowercased()) ?? .geojson }
    var directory: URL { URL(fileURLWithPath: out) }

    /// The output paths as the user gave them, for the report.
    func paths(_ names: [String]) -> [String] { names.map { (out as NSString).appendingPathComponent($0) } }
}

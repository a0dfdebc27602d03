import ArgumentParser
import Foundation
import RouteRisk

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score every candidate route and a hexagonal hot-spot grid from the interception history.")

    @OptionGroup var scene: SceneOptions

    @Option(help: ArgumentHelp("Working CRS: auto (LAEA centred on the geography) or a projected CRS such as EPSG:32750.", valueName: "crs"))
    var crs: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Score as of this date (default: the latest interception).", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("Use events of the last N days, e.g. 365d (default: all history).", valueName: "Nd|all"))
    var window: String?
    @Option(name: .customLong("half-life"), help: ArgumentHelp("Half-life of event weights, e.g. 365d, or none (default 365d).", valueName: "Nd|none"))
    var halfLife: String?
    @Option(help: ArgumentHelp("Weight each event by 1 (events) or by its persons (default events).", valueName: "events|persons"))
    var weight: String?
    @Option(help: ArgumentHelp("Hex cell size, centre to centre (default 5km).", valueName: "distance"))
    var cell: String?
    @Option(help: ArgumentHelp("Study area: cells within this distance of a coastline, border or route (default 50km).", valueName: "distance"))
    var reach: String?
    @Option(help: ArgumentHelp("Kernel bandwidth: auto (likelihood cross-validation), silverman, or a distance (default auto).", valueName: "auto|silverman|distance"))
    var bandwidth: String?
    @Option(help: ArgumentHelp("Gi* distance band (default 2 × cell).", valueName: "distance"))
    var band: String?
    @Option(help: ArgumentHelp("Route corridor half-width (default 2km).", valueName: "distance"))
    var corridor: String?

    @Option(help: ArgumentHelp("Output directory (default routerisk-out).", valueName: "dir"))
    var out: String = "routerisk-out"
    @Option(help: ArgumentHelp("geojson (routes.geojson, hotspots.geojson, summary.json) or gpkg (routerisk.gpkg).", valueName: "geojson|gpkg"))
    var format: String = "geojson"
    @Flag(help: "Replace existing output files.")
    var overwrite = false
    @Flag(name: .customLong("all-cells"), help: "Write every study-area cell, not only those with intensity or a significant Gi*.")
    var allCells = false
    @Option(help: ArgumentHelp("Rows in the table of top routes (default 10).", valueName: "n"))
    var top: Int = 10
    @Flag(help: "Print summary.json on stdout instead of the table.")
    var json = false
    @Flag(help: "Print nothing on stdout.")
    var quiet = false
    @Flag(help: "Print wall time and peak memory per stage on stderr (used by make bench).")
    var timings = false

    func validate() throws {
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format: expected geojson or gpkg, found '\(format)'")
        }
        guard top >= 0 else { throw ValidationError("--top: expected a number ≥ 0") }
    }

    func run() throws {
        try runReportingErrors {
            var options = ScoreOptions()
            try scene.resolve(into: &options, flags: [
                ("crs", crs), ("as-of", asOf), ("window", window), ("half-life", halfLife), ("weight", weight),
                ("cell", cell), ("reach", reach), ("bandwidth", bandwidth), ("band", band), ("corridor", corridor),
            ])
            if allCells { options.allCells = true }
            let output = ScoreOutput(
                directory: URL(fileURLWithPath: out), format: OutputFormat(rawValue: format.lowercased())!,
                overwrite: overwrite)
            try output.checkWritable()
            let progress = TerminalProgress()
            let clock = StageClock { progress.handle($0, finished: $1, seconds: $2) }
            let result = try ScoreRun(options: options).run(clock: clock)
            let summary = try clock.measure("write") { try output.write(result) }
            if timings {
                for (i, stage) in clock.stages.enumerated() {
                    let line = String(format: "stage %-16@ %8.3f s  peak %7.1f MiB\n", stage.name as NSString, stage.seconds,
                                      Double(clock.peakMemory[i]) / 1_048_576)
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            if quiet { return }
            if json {
                FileHandle.standardOutput.write(try summary.jsonData())
                return
            }
            print(TextReport.scoreReport(result, summary: summary, top: top, files: output.fileNames.map {
                output.directory.appendingPathComponent($0).path
            }))
        }
    }
}

import ArgumentParser
import Foundation
import RouteRisk

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score every candidate route and a hexagonal hot-spot grid from the interception history.")

    @OptionGroup var scene: SceneOptions

    @OptionGroup var model: ModelOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Score as of this date (default: the latest interception).", valueName: "date"))
    var asOf: String?
    @Flag(name: .customLong("no-emerging"), help: "Skip the emerging hot spots (on when the window spans at least 6 months).")
    var noEmerging = false
    @Option(name: .customLong("time-neighbours"), help: ArgumentHelp("Months back that neighbour a month in the space–time Gi* (default 1).", valueName: "k"))
    var timeNeighbours: String?
    @Option(help: ArgumentHelp("Conditional-randomisation replicates for gi_p_sim, e.g. 999 (default 0: analytical p only).", valueName: "n"))
    var permutations: String?
    @Option(help: ArgumentHelp("Seed of the permutations (same seed, same p-values).", valueName: "n"))
    var seed: String?

    @Flag(name: .customLong("all-cells"), help: "Write every study-area cell, not only those with intensity or a significant Gi*.")
    var allCells = false
    @Option(help: ArgumentHelp("Rows in the table of top routes.", valueName: "n"))
    var top: Int = 10
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top: expected a number ≥ 0") }
    }

    func run() throws {
        try runReportingErrors {
            var options = ScoreOptions()
            try scene.resolve(into: &options, flags: model.flags + output.flags + [
                ("as-of", asOf), ("time-neighbours", timeNeighbours), ("permutations", permutations), ("seed", seed),
                ("emerging", noEmerging ? "false" : nil),
            ])
            if allCells { options.allCells = true }
            var writer = ScoreOutput(
                directory: output.directory, format: output.outputFormat,
                overwrite: output.overwrite)
            writer.styles = !output.noStyles
            writer.database = output.database
            try writer.checkWritable()
            writer.provenance = try scene.provenance(options)
            let progress = TerminalProgress()
            let clock = StageClock { progress.handle($0, finished: $1, seconds: $2) }
            let result = try ScoreRun(options: options).run(clock: clock)
            writer.provenance = writer.provenance?.withDatabaseRows(result.scene.counts)
            let summary = try clock.measure("write") { try writer.write(result) }
            if output.timings { printTimings(clock) }
            if output.quiet { return }
            if output.json {
                FileHandle.standardOutput.write(try summary.jsonData())
                return
            }
            print(TextReport.scoreReport(result, summary: summary, top: top, files: output.paths(writer.fileNames)))
        }
    }
}

import ArgumentParser
import Foundation
import RouteRisk

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay the history step by step and measure how well the maps predicted what came next.")

    @OptionGroup var scene: SceneOptions
    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("First fit time (YYYY-MM-DD).", valueName: "date"))
    var from: String
    @Option(help: ArgumentHelp("Last fit time allowed (YYYY-MM-DD).", valueName: "date"))
    var to: String
    @Option(help: ArgumentHelp("Step between fits, and the length of each test period.", valueName: "Nd"))
    var step: String = "30d"
    @Option(help: ArgumentHelp("Cells chosen at each step: a share such as 1% or an area such as 2000km2.", valueName: "share|area"))
    var coverage: String = "1%"
    @Option(help: ArgumentHelp("Map that ranks the cells: routerisk-2 (MODEL §13, route-aware) or kde (§5, routerisk-1) (default routerisk-2).", valueName: "routerisk-2|kde"))
    var forecast: String?
    @Option(help: ArgumentHelp("Also write a workshop notebook (nbformat 4) to this file.", valueName: "file.ipynb"))
    var notebook: String?
    @Option(name: .customLong("plan-teams"), help: ArgumentHelp("Also score each step as a patrol plan of K teams (MODEL §14).", valueName: "K"))
    var planTeams: Int?
    @Option(name: .customLong("plan-radius"), help: ArgumentHelp("Reach of a plan's team.", valueName: "distance"))
    var planRadius: String = "15km"
    @Option(name: .customLong("post-radius"), help: ArgumentHelp("Cells this close to an official post are already watched.", valueName: "distance"))
    var postRadius: String = "0km"

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let k = planTeams, k < 1 { throw ValidationError("--plan-teams: expected a whole number ≥ 1") }
    }

    func run() throws {
        try runReportingErrors {
            var options = ScoreOptions()
            try scene.resolve(into: &options, flags: model.flags + output.flags + [("forecast", forecast)])
            guard let fromTime = Timestamp.parse(from) else { throw RunError.usage("--from: expected YYYY-MM-DD, found '\(from)'") }
            guard let toTime = Timestamp.parse(to) else { throw RunError.usage("--to: expected YYYY-MM-DD, found '\(to)'") }
            guard let stepDays = try Quantity.days(step, option: "step") else { throw RunError.usage("--step: expected a number of days") }
            var replayOptions = ReplayOptions(from: fromTime, to: toTime, stepDays: stepDays, coverage: try Coverage.parse(coverage))
            replayOptions.planTeams = planTeams
            if planTeams != nil, let rule = options.share {
                // A shared replay carries no plan metrics (docs/PRIVACY.md): say so, and solve no plans for nothing.
                FileHandle.standardError.write(Data((
                    "routerisk: --share \(rule.minimumCount) leaves out the plan metrics of --plan-teams (rates over each "
                    + "step's test events, which a shared export withholds when small); run without --share to see them\n").utf8))
                replayOptions.planTeams = nil
            }
            replayOptions.planRadius = try Quantity.distance(planRadius, option: "plan-radius")
            replayOptions.postRadius = try PlanOptions.distanceOrZero(postRadius, option: "post-radius")
            var writer = ReplayOutput(
                directory: output.directory, format: output.outputFormat,
                overwrite: output.overwrite, notebook: notebook.map { URL(fileURLWithPath: $0) })
            writer.styles = !output.noStyles
            writer.database = output.database
            try writer.checkWritable()
            writer.provenance = try scene.provenance(options)
            let progress = TerminalProgress()
            let clock = StageClock { progress.handle($0, finished: $1, seconds: $2) }
            let result = try ReplayRun(options: options, replay: replayOptions).run(clock: clock) { done, total in
                progress.note("step \(done) of \(total)")
            }.forSharing()
            try clock.measure("write") { try writer.write(result) }
            if output.timings { printTimings(clock) }
            if output.quiet { return }
            if output.json {
                FileHandle.standardOutput.write(try writer.summaryJSON(result))
                return
            }
            print(TextReport.replayReport(result, files: output.paths(writer.fileNames) + (notebook.map { [$0] } ?? [])))
        }
    }
}

/// Wall time, CPU time (every thread) and peak memory per stage, on stderr.
func printTimings(_ clock: StageClock) {
    for (i, stage) in clock.stages.enumerated() {
        // (%-16@ pads nothing on Linux: the name is padded here.)
        let name = stage.name.padding(toLength: max(16, stage.name.count), withPad: " ", startingAt: 0)
        let line = "stage " + name + String(format: " %8.3f s  cpu %8.3f s  peak %7.1f MiB\n", stage.seconds,
                                            clock.cpuSeconds[i], Double(clock.peakMemory[i]) / 1_048_576)
        FileHandle.standardError.write(Data(line.utf8))
    }
}

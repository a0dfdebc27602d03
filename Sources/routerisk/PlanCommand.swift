import ArgumentParser
import Foundation
import RouteRisk

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Where K patrol teams should work next: the maximal covering plan over the forecast, proven optimal by GLPK.")

    @OptionGroup var scene: SceneOptions
    @OptionGroup var model: ModelOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Plan as of this date (default: the latest interception).", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("Number of patrol teams, K.", valueName: "K"))
    var teams: Int = 5
    @Option(help: ArgumentHelp("Reach of a team: it covers the cells whose centre is this close.", valueName: "distance"))
    var radius: String = "15km"
    @Option(name: .customLong("post-radius"), help: ArgumentHelp("Cells this close to an official post are already watched (0km: posts cover nothing).", valueName: "distance"))
    var postRadius: String = "0km"
    @Option(help: ArgumentHelp("Candidate team sites: any OGR point layer (default: every study-area cell centre).", valueName: "file"))
    var sites: String?
    @Option(help: ArgumentHelp("auto (greedy, then GLPK's exact MIP) or greedy.", valueName: "auto|greedy"))
    var solver: String = "auto"
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Time limit of the solve, e.g. 60s or 5min.", valueName: "duration"))
    var timeLimit: String = "60s"
    @Option(help: ArgumentHelp("Demand: routerisk-2 (MODEL §13's forecast over --horizon) or kde (MODEL §5's λ·a) (default routerisk-2).", valueName: "routerisk-2|kde"))
    var forecast: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReportingErrors {
            var options = ScoreOptions()
            try scene.resolve(into: &options, flags: model.flags + [("as-of", asOf), ("forecast", forecast)])
            var plan = PlanOptions()
            plan.teams = teams
            plan.radius = try Quantity.distance(radius, option: "radius")
            plan.postRadius = try PlanOptions.distanceOrZero(postRadius, option: "post-radius")
            plan.sitesFile = sites.map { URL(fileURLWithPath: $0) }
            guard let s = PlanSolver(rawValue: solver.lowercased()) else {
                throw RunError.usage("--solver: expected auto or greedy, found '\(solver)'")
            }
            plan.solver = s
            plan.timeLimit = try PlanOptions.seconds(timeLimit, option: "time-limit")
            try plan.validate()
            guard output.outputFormat != .postgis else {
                throw RunError.usage("--format postgis: plan writes files; give --format geojson or gpkg")
            }
            // The default output directory of plan is routerisk-plan/ (score's is routerisk-out/).
            let directory = output.outGiven ?? "routerisk-plan"
            let writer = PlanOutput(directory: URL(fileURLWithPath: directory), format: output.outputFormat, overwrite: output.overwrite)
            try writer.checkWritable()
            let progress = TerminalProgress()
            let clock = StageClock { progress.handle($0, finished: $1, seconds: $2) }
            let result = try PlanRun(options: options, plan: plan).run(clock: clock)
            for line in result.sitesSkipped { FileHandle.standardError.write(Data("routerisk: \(line)\n".utf8)) }
            let summary = try clock.measure("write") { try writer.write(result) }
            if output.timings { printTimings(clock) }
            if output.quiet { return }
            if output.json {
                FileHandle.standardOutput.write(try summary.jsonData())
                return
            }
            print(TextReport.planReport(result, files: writer.fileNames.map { (directory as NSString).appendingPathComponent($0) }))
        }
    }
}

import ArgumentParser
import Foundation
import RouteRisk

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scene against every input rule and report counts, CRS, extent, dates and problems.")

    @OptionGroup var scene: SceneOptions

    func run() throws {
        try runReportingErrors {
            var options = ScoreOptions()
            try scene.resolve(into: &options, flags: [])
            let loaded = try SceneLoader(now: options.now, inputCRS: options.inputCRS).load(options.layers)
            print(ValidationReport.render(loaded))
            if !loaded.problems.isEmpty && !options.skipInvalid {
                // The problems are listed above; exit 65 (bad data) without a second message.
                throw ExitCode(RunError.badData([]).exitStatus)
            }
        }
    }
}

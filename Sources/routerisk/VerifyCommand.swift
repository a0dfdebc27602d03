import ArgumentParser
import Foundation
import RouteRisk

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash the input files a summary.json or replay-summary.json recorded: exit 0 when all match, 65 otherwise.")

    @Argument(help: ArgumentHelp("summary.json or replay-summary.json of a run.", valueName: "summary"))
    var summary: String

    func run() throws {
        try runReportingErrors {
            let verification = try Verification.verify(summaryAt: URL(fileURLWithPath: summary))
            print(verification.report)
            if !verification.allMatch { throw ExitCode(RunError.badData([]).exitStatus) }
        }
    }
}

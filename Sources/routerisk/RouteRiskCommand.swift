import ArgumentParser
import Foundation
import RouteRisk

@main
struct RouteRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routerisk",
        abstract: "Border-route risk analysis: score informal crossing routes and map interception hot spots.",
        discussion: """
            With no arguments, `routerisk score` runs on the bundled sample scene (synthetic routes
            and interceptions on real GSHHG geography). See README.md for every option and output field.
            """,
        version: "\(RouteRiskVersion.current) (\(RouteRiskVersion.source))",
        subcommands: [ScoreCommand.self, ReplayCommand.self, PlanCommand.self, ValidateCommand.self, VerifyCommand.self],
        defaultSubcommand: ScoreCommand.self)

    static func main() {
        ProcessMemory.returnLargeBlocksToTheSystem()
        main(nil)
    }
}

/// Exits with the status of a `RunError` (64 usage, 65 bad data, 66 missing input, 73 cannot write),
/// after printing its message on stderr.
func exitWith(_ error: Error) -> Never {
    let status: Int32
    let message: String
    switch error {
    case let e as RunError:
        status = e.exitStatus
        message = e.description
    case let e as SceneError:
        status = e.exitStatus
        message = e.description
    default:
        status = 70  // EX_SOFTWARE: a failure that no input explains.
        message = "internal error: \(error)"
    }
    // A password given in a connection string never reaches the terminal.
    FileHandle.standardError.write(Data("routerisk: \(ConnectionString.masked(message))\n".utf8))
    exit(status)
}

/// Runs a command body, turning library errors into exit statuses.
func runReportingErrors(_ body: () throws -> Void) throws {
    InterruptGuard.install()
    do {
        try body()
    } catch let error as RunError {
        exitWith(error)
    } catch let error as SceneError {
        exitWith(error)
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        exitWith(error)
    }
}

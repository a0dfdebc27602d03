import Foundation
import RouteRisk

/// The invariants every fuzz target checks beyond "no crash, no sanitizer report, no hang":
/// each rejection is a `DataProblem` with a location, or an error that names its file.
public enum Invariants {
    /// Stops the process (a finding) when `condition` fails.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition {
            FileHandle.standardError.write(Data("invariant broken: \(message())\n".utf8))
            abort()
        }
    }

    /// A record-level problem must say where: a line (text) or a feature index (OGR).
    public static func requireLocated(_ problems: [DataProblem], file: String) {
        for p in problems {
            require(p.location.file == file, "problem in another file: \(p)")
            require(p.location.line != nil || p.location.feature != nil, "problem without a line or feature: \(p)")
            require(!p.reason.isEmpty, "problem without a reason: \(p)")
        }
    }

    /// A file-level rejection must name the file.
    public static func requireNamesFile(_ error: Error, file: String) {
        let text: String
        switch error {
        case let e as RunError: text = e.description
        case let e as SceneError: text = e.description
        default:
            require(false, "unexpected error type \(type(of: error)): \(error)")
            return
        }
        require(text.contains(file), "error does not name \(file): \(text)")
    }

    /// A scratch directory per process (fuzz targets run one input at a time).
    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("routerisk-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}

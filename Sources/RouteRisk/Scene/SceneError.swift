import Foundation

/// A scene input that cannot be read at all: the run stops before any record is
/// validated. Record-level problems are `DataProblem`s instead.
public enum SceneError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A required column is absent from a CSV header.
    case missingColumn(file: String, column: String, found: [String])
    /// Two header columns map to the same field (e.g. `lon` and `longitude`).
    case duplicateColumn(file: String, column: String, found: [String])
    /// The file is not well-formed CSV (RFC 4180) at `line`.
    case malformedCSV(file: String, line: Int, reason: String)
    /// The file has no header row (it is empty or holds only blank lines).
    case noHeader(file: String)
    /// The file could not be opened or read.
    case unreadableFile(file: String, reason: String)

    public var description: String {
        switch self {
        case let .missingColumn(file, column, found):
            return "\(file): missing required column '\(column)' (found: \(Self.list(found)))"
        case let .duplicateColumn(file, column, found):
            return "\(file): more than one column gives '\(column)' (found: \(Self.list(found)))"
        case let .malformedCSV(file, line, reason):
            return "\(file):\(line): malformed CSV: \(reason)"
        case let .noHeader(file):
            return "\(file): no header row (the file is empty)"
        case let .unreadableFile(file, reason):
            return "\(file): cannot read file: \(reason)"
        }
    }

    public var errorDescription: String? { description }

    /// Process exit status (sysexits.h): 65 (EX_DATAERR) for bad data,
    /// 66 (EX_NOINPUT) for a file that cannot be read.
    public var exitStatus: Int32 {
        switch self {
        case .unreadableFile: return 66
        default: return 65
        }
    }

    private static func list(_ columns: [String]) -> String {
        columns.isEmpty ? "none" : columns.map { "'\($0)'" }.joined(separator: ", ")
    }
}

/// Every error a run can end with, each mapped to a distinct exit status (sysexits.h).
public enum RunError: Error, CustomStringConvertible, Sendable {
    /// A bad option or argument (EX_USAGE, 64).
    case usage(String)
    /// Rows or features that break a rule of MODEL §1 (EX_DATAERR, 65); each problem names file and line.
    /// `--skip-invalid` skips them, and the message says so.
    case badData([String])
    /// Input that cannot be used at all, whatever `--skip-invalid` says (EX_DATAERR, 65): a scene.toml that
    /// does not parse, a layer that cannot be read, a scene without geography, a summary without provenance.
    case unusable([String])
    /// An input file or scene that does not exist or cannot be opened (EX_NOINPUT, 66).
    case missingInput(String)
    /// An output that cannot be written, or exists without `--overwrite` (EX_CANTCREAT, 73).
    case cannotWrite(String)

    public var exitStatus: Int32 {
        switch self {
        case .usage: return 64
        case .badData, .unusable: return 65
        case .missingInput: return 66
        case .cannotWrite: return 73
        }
    }

    public var description: String {
        switch self {
        case .usage(let s), .missingInput(let s), .cannotWrite(let s): return s
        case .badData(let lines):
            let shown = lines.prefix(50).joined(separator: "\n")
            let more = lines.count > 50 ? "\n… and \(lines.count - 50) more problems" : ""
            let n = lines.count
            return "\(shown)\(more)\n\(n) problem\(n == 1 ? "" : "s") in the input; nothing was written (--skip-invalid skips bad rows and goes on)"
        case .unusable(let lines):
            let n = lines.count
            return lines.joined(separator: "\n") + "\n\(n) problem\(n == 1 ? "" : "s") in the input; nothing was written"
        }
    }
}

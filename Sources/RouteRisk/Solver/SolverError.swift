/// A failure of the MIP solver (GLPK), with the GLPK function, its return code and the text GLPK gave.
public struct SolverError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let code: Int32?
    public let message: String

    public var description: String {
        let codeText = code.map { " (code \($0): \(SolverError.codeName($0)))" } ?? ""
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        return "GLPK \(function) failed\(codeText)" + (text.isEmpty ? "" : ": \(text)")
    }

    /// The names of glp_simplex / glp_intopt return codes (glpk.h).
    static func codeName(_ code: Int32) -> String {
        switch code {
        case 0x01: return "invalid basis"
        case 0x02: return "singular matrix"
        case 0x03: return "ill-conditioned matrix"
        case 0x04: return "invalid bounds"
        case 0x05: return "solver failed"
        case 0x06: return "objective lower limit reached"
        case 0x07: return "objective upper limit reached"
        case 0x08: return "iteration limit exceeded"
        case 0x09: return "time limit exceeded"
        case 0x0A: return "no primal feasible solution"
        case 0x0B: return "no dual feasible solution"
        case 0x0C: return "root LP optimum not provided"
        case 0x0D: return "search terminated by application"
        case 0x0E: return "relative mip gap tolerance reached"
        case 0x0F: return "no primal/dual feasible solution"
        default: return "unknown"
        }
    }
}

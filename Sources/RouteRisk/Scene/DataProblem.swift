/// One invalid record (MODEL §1): where it is and why it was rejected. It is an
/// `Error` only so that it can be the failure of a `Result`.
///
/// The reason is short and lower-case and says what was expected and what was
/// found, e.g. `persons '-2' is not an integer ≥ 0`.
public struct DataProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String

    public init(location: SourceLocation, reason: String) {
        self.location = location
        self.reason = reason
    }

    /// `<location>: <reason>`, e.g. `events.csv:12: missing date`.
    public var description: String { "\(location): \(reason)" }
}

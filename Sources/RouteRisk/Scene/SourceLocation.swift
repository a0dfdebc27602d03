/// Where a record came from: a file and either a physical line (CSV, 1-based)
/// or a feature index (OGR layers), for the messages of MODEL §1.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based physical line where the record starts (text formats such as CSV).
    public let line: Int?
    /// Feature index within the layer (formats read through OGR).
    public let feature: Int?

    public init(file: String, line: Int? = nil, feature: Int? = nil) {
        self.file = file
        self.line = line
        self.feature = feature
    }

    /// `file:line`, `file: feature N`, or just `file`.
    public var description: String {
        if let line { return "\(file):\(line)" }
        if let feature { return "\(file): feature \(feature)" }
        return file
    }
}

/// Where a record came from: a file and either a physical line (CSV, 1-based)
/// or a feature index (OGR layers), for the messages of MODEL §1.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based physical line where the record starts (text formats such as CSV).
    public let line: Int?
    /// Feature index within the layer (formats read through OGR).
    public let feature: Int?
    /// The feature's key in a database layer, as `column=value` (the primary key OGR reads
    /// as the feature id, e.g. `ogc_fid=17`): what identifies a row there.
    public let key: String?

    public init(file: String, line: Int? = nil, feature: Int? = nil, key: String? = nil) {
        self.file = file
        self.line = line
        self.feature = feature
        self.key = key
    }

    /// `file:line`, `source: feature ogc_fid=17`, `file: feature N`, or just `file`.
    public var description: String {
        if let line { return "\(file):\(line)" }
        if let key { return "\(file): feature \(key)" }
        if let feature { return "\(file): feature \(feature)" }
        return file
    }
}

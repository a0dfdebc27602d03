/// The kind of an official crossing post (MODEL §1).
public enum PostKind: String, Sendable, Codable {
    case land, sea
}

/// An official crossing post (PLBN) or immigration seaport (TPI), in lon/lat.
public struct Post: Sendable {
    public let name: String
    public let kind: PostKind
    /// x = longitude, y = latitude.
    public let position: PlanarPoint
    public let location: SourceLocation
}

/// A line feature in lon/lat (x = longitude, y = latitude), as one or more parts.
public struct LineFeature: Sendable {
    public let parts: [[PlanarPoint]]
    /// True when it was read as a Multi* geometry (written back the same way).
    public let isMulti: Bool
    public let location: SourceLocation
}

/// A candidate informal route.
public struct RouteFeature: Sendable {
    public let id: String
    public let name: String
    public let line: LineFeature
}

/// What was read from one layer (MODEL §11 `inputs`).
public struct LayerCount: Sendable, Codable, Equatable {
    public var read = 0
    public var used = 0
    public var skipped = 0
    public var repaired = 0
}

/// A loaded, validated scene, in lon/lat.
public struct Scene: Sendable {
    public var coastline: [LineFeature] = []
    public var borders: [LineFeature] = []
    public var posts: [Post] = []
    public var routes: [RouteFeature] = []
    public var interceptions: [Interception] = []
    public var counts: [LayerName: LayerCount] = [:]
    /// Every problem found, in layer order then file order (also those skipped).
    public var problems: [DataProblem] = []
    /// The CRS each layer declared (WKT), or nil.
    public var declaredCRS: [LayerName: String] = [:]
    public var paths: [LayerName: String] = [:]

    public init() {}
}

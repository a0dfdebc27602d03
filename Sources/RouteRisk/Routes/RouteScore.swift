/// The risk class of a route (MODEL §9).
public enum RiskClass: String, Sendable, Codable {
    case veryHigh = "very_high", high, elevated, low

    /// `very_high` (risk ≥ 4 and p < 0.01), `high` (risk ≥ 2 and p < 0.05), `elevated` (risk ≥ 1), else `low`.
    public static func classify(risk: Double?, p: Double) -> RiskClass {
        guard let risk else { return .low }
        if risk >= 4 && p < 0.01 { return .veryHigh }
        if risk >= 2 && p < 0.05 { return .high }
        if risk >= 1 { return .elevated }
        return .low
    }
}

/// Everything MODEL §9 and §11 say about one route.
public struct RouteScore: Sendable {
    public let id: String
    public let name: String
    public var rank: Int
    public let risk: Double?
    public let riskClass: RiskClass
    public let events: Int
    public let weight: Double
    public let persons: Int
    public let expected: Double
    public let rateRatio: Double?
    public let pValue: Double
    public let lengthKm: Double
    public let corridorKm2: Double
    public let evasionKm: Double?
    public let nearestPost: String?
    public let crossings: Int
    public let landings: Int
    public let trend: Trend
    public let trendP: Double?
    public let senSlope: Double?
    public let meanIntensityKm2: Double
    public var explanation: String
    /// MODEL §8 category of the route's monthly series, when the emerging analysis ran.
    public let emerging: EmergingCategory?
    /// The route as read (lon/lat), for output.
    public let line: LineFeature
    /// MODEL §13 `expected_next` = ρ_r·Δ.
    public var expectedNext: Double? = nil
}

/// The largest distance from a crossing (to the nearest land post) or a landing (to the
/// nearest sea post) of a route, and the post it was measured to (MODEL §9).
struct Evasion: Equatable {
    let distance: Double
    let postIndex: Int
    let isCrossing: Bool

    /// `posts` are in file order; ties to the first post; ties between points: crossings
    /// before landings, then by (x, y).
    static func measure(crossings: [PlanarPoint], landings: [PlanarPoint], posts: [(position: PlanarPoint, kind: PostKind)]) -> Evasion? {
        var best: (evasion: Evasion, point: PlanarPoint)?
        for (points, kind) in [(crossings, PostKind.land), (landings, PostKind.sea)] {
            let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
            for p in sorted {
                var nearest: (d: Double, i: Int)?
                for (i, post) in posts.enumerated() where post.kind == kind {
                    let d = p.distance(to: post.position)
                    if nearest == nil || d < nearest!.d { nearest = (d, i) }
                }
                guard let nearest else { continue }  // no post of that kind: skipped
                // Strictly larger wins, so the earlier (crossing, then smaller (x, y)) keeps a tie.
                if best == nil || nearest.d > best!.evasion.distance {
                    best = (Evasion(distance: nearest.d, postIndex: nearest.i, isCrossing: kind == .land), p)
                }
            }
        }
        return best?.evasion
    }
}

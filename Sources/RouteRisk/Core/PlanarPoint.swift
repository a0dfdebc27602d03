/// A point in the working projection (MODEL §2), in metres.
public struct PlanarPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Squared Euclidean distance, for comparisons that need no square root.
    @inlinable
    public func squaredDistance(to other: PlanarPoint) -> Double {
        let dx = x - other.x
        let dy = y - other.y
        return dx * dx + dy * dy
    }

    @inlinable
    public func distance(to other: PlanarPoint) -> Double {
        squaredDistance(to: other).squareRoot()
    }
}

/// Axial coordinates (q, r) of a flat-topped hexagon (MODEL §4; Red Blob Games, "Hexagonal Grids", axial system).
public struct HexCoordinate: Hashable, Comparable, Sendable {
    public var q: Int
    public var r: Int

    public init(q: Int, r: Int) {
        self.q = q
        self.r = r
    }

    /// The third cube coordinate, `s = −q − r`.
    public var s: Int { -q - r }

    /// Ordered by (q, r), the order of every per-cell output (MODEL §11).
    public static func < (lhs: HexCoordinate, rhs: HexCoordinate) -> Bool {
        lhs.q != rhs.q ? lhs.q < rhs.q : lhs.r < rhs.r
    }
}

import Foundation

/// The flat-topped hexagonal grid of MODEL §4 (layout and cube rounding as in Red Blob Games, "Hexagonal Grids").
///
/// `cellSize` (s) is the distance between the centres of adjacent cells and
/// `circumradius` R = s/√3. Centre of (q, r): `x = x0 + 1.5·R·q`,
/// `y = y0 + √3·R·(r + q/2)`.
public struct HexGrid: Sendable {
    public let cellSize: Double
    public let circumradius: Double
    public let originX: Double
    public let originY: Double

    /// 1.5·R, the x step between columns.
    private let columnStep: Double
    /// √3·R, the y step between rows of one column.
    private let rowStep: Double

    /// A grid anchored at `x0 = ⌊minx/s⌋·s`, `y0 = ⌊miny/s⌋·s` of the geography's envelope (MODEL §4).
    public init(cellSize: Double, envelopeMinX: Double, envelopeMinY: Double) {
        precondition(cellSize > 0 && cellSize.isFinite, "cell size must be positive and finite")
        self.cellSize = cellSize
        let radius = cellSize / 3.0.squareRoot()
        self.circumradius = radius
        self.originX = (envelopeMinX / cellSize).rounded(.down) * cellSize
        self.originY = (envelopeMinY / cellSize).rounded(.down) * cellSize
        self.columnStep = 1.5 * radius
        self.rowStep = 3.0.squareRoot() * radius
    }

    /// Area of one hexagon, (3√3/2)·R².
    public var cellArea: Double {
        1.5 * 3.0.squareRoot() * circumradius * circumradius
    }

    /// Centre of a cell: `x = x0 + 1.5·R·q`, `y = y0 + √3·R·(r + q/2)` (MODEL §4).
    public func center(of cell: HexCoordinate) -> PlanarPoint {
        let q = Double(cell.q)
        let r = Double(cell.r)
        return PlanarPoint(x: originX + columnStep * q, y: originY + rowStep * (r + q / 2))
    }

    /// Fractional axial coordinates of a point: the exact inverse of `center(of:)`.
    func fractionalAxial(of point: PlanarPoint) -> (q: Double, r: Double) {
        let q = (point.x - originX) / columnStep
        let r = (point.y - originY) / rowStep - q / 2
        return (q, r)
    }

    /// The cell whose centre is nearest: cube rounding, round-half-to-even, fix-up q before r before s (MODEL §4).
    @inline(__always)
    public func cell(containing point: PlanarPoint) -> HexCoordinate {
        let (q, r) = fractionalAxial(of: point)
        return HexGrid.cubeRound(q: q, r: r)
    }

    /// Cube rounding (Red Blob Games): round each cube coordinate half-to-even, then recompute the one with the
    /// largest rounding error from the other two; strict comparisons, q before r before s.
    @inline(__always)
    static func cubeRound(q: Double, r: Double) -> HexCoordinate {
        let s = -q - r
        var rq = roundHalfEven(q)
        var rr = roundHalfEven(r)
        let rs = roundHalfEven(s)
        let dq = abs(rq - q)
        let dr = abs(rr - r)
        let ds = abs(rs - s)
        if dq > dr && dq > ds {
            rq = -rr - rs
        } else if dr > ds {
            rr = -rq - rs
        }
        // Otherwise s is the one recomputed, and s is not stored.
        return HexCoordinate(q: HexGrid.clampedInt(rq), r: HexGrid.clampedInt(rr))
    }

    /// `x.rounded(.toNearestOrEven)` (C's rint), without the libm call that x86-64's baseline
    /// instruction set needs: for |x| < 2⁵¹, x + 1.5·2⁵² lies where the spacing of doubles is 1,
    /// so the addition itself rounds x half to even (IEEE 754's default mode), and subtracting
    /// 1.5·2⁵² back is exact. The result differs from rint's only in the sign of a zero.
    @inline(__always)
    static func roundHalfEven(_ x: Double) -> Double {
        let shift = 6_755_399_441_055_744.0  // 1.5 · 2⁵²
        return abs(x) < 2_251_799_813_685_248.0 ? (x + shift) - shift : x.rounded(.toNearestOrEven)
    }

    /// An Int from a rounded Double, clamped so that a far-away or non-finite point cannot trap.
    @inline(__always)
    static func clampedInt(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        let limit = 4.0e15
        return Int(Swift.max(-limit, Swift.min(limit, value)))
    }

    /// Unit vectors at 0°, 60°, …, 300° (east first, counter-clockwise), exact where the angle allows.
    private static let unitVertices: [(Double, Double)] = {
        let h = 3.0.squareRoot() / 2
        return [(1, 0), (0.5, h), (-0.5, h), (-1, 0), (-0.5, -h), (0.5, -h)]
    }()

    /// The six vertices at distance R from the centre, at 0°, 60°, …, 300° (east vertex first; MODEL §11).
    public func vertices(of cell: HexCoordinate) -> [PlanarPoint] {
        let c = center(of: cell)
        return HexGrid.unitVertices.map { PlanarPoint(x: c.x + circumradius * $0.0, y: c.y + circumradius * $0.1) }
    }

    /// Every cell whose centre is at distance ≤ `d` of `point`, found from axial ranges, sorted by (q, r).
    public func cells(withinDistance d: Double, of point: PlanarPoint) -> [HexCoordinate] {
        guard d >= 0, d.isFinite else { return [] }
        // Columns whose x lies within d (widened by one column against rounding; the exact test follows).
        let qLow = HexGrid.clampedInt(((point.x - d - originX) / columnStep).rounded(.up)) - 1
        let qHigh = HexGrid.clampedInt(((point.x + d - originX) / columnStep).rounded(.down)) + 1
        guard qLow <= qHigh else { return [] }
        var result: [HexCoordinate] = []
        for q in qLow...qHigh {
            let half = Double(q) / 2
            let rLow = HexGrid.clampedInt(((point.y - d - originY) / rowStep - half).rounded(.up)) - 1
            let rHigh = HexGrid.clampedInt(((point.y + d - originY) / rowStep - half).rounded(.down)) + 1
            guard rLow <= rHigh else { continue }
            for r in rLow...rHigh {
                let cell = HexCoordinate(q: q, r: r)
                if center(of: cell).distance(to: point) <= d {
                    result.append(cell)
                }
            }
        }
        return result
    }

    /// Axial offsets (dq, dr) of the cells whose centre is ≤ d·(1+1e-9) from a cell's centre (the Gi* band, MODEL §6).
    ///
    /// The centre distance of an offset is exactly `s·√(dq² + dq·dr + dr²)`; 19 offsets for d = 2s, 7 for d = s.
    public func offsets(withinDistance d: Double) -> [HexCoordinate] {
        guard d >= 0, d.isFinite else { return [] }
        let reach = d * (1 + 1e-9)
        let limit = reach * reach
        // A centre k rings away is at least k·s·√3/2 from the origin cell's centre.
        let k = HexGrid.clampedInt((reach / (cellSize * 3.0.squareRoot() / 2)).rounded(.down)) + 1
        var result: [HexCoordinate] = []
        for dq in -k...k {
            for dr in -k...k {
                let norm = Double(dq * dq + dq * dr + dr * dr)
                if norm * cellSize * cellSize <= limit {
                    result.append(HexCoordinate(q: dq, r: dr))
                }
            }
        }
        return result
    }
}

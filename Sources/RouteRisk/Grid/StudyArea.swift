import Foundation

/// The study area of MODEL §4: every cell whose centre lies within `reach` (distance ≤ reach)
/// of a coastline, border or route line, in (q, r) order with an index for lookups.
public struct StudyArea: Sendable {
    public let grid: HexGrid
    public let cells: [HexCoordinate]
    /// (q, r) → position in `cells`, by arithmetic on the sorted cells (no hashing).
    let index: HexCellIndex

    public var count: Int { cells.count }
    public var area: Double { Double(cells.count) * grid.cellArea }

    /// `cells` must be sorted by (q, r) without repeats.
    public init(grid: HexGrid, cells: [HexCoordinate]) {
        self.grid = grid
        self.cells = cells
        self.index = HexCellIndex(sortedCells: cells)
    }

    /// The study-area index of the cell containing `p`, or nil outside the study area.
    public func cellIndex(containing p: PlanarPoint) -> Int? {
        index.index(of: grid.cell(containing: p))
    }

    public func cellIndex(of c: HexCoordinate) -> Int? { index.index(of: c) }

    /// Finds the cells by walking each segment of each line over the grid (`StudyAreaWalk`): the same cells as
    /// `buildWithGEOS`, the GEOS distance test of every candidate centre, which the tests keep as the reference.
    static func build(grid: HexGrid, lines: [[PlanarPoint]], reach: Double) throws -> StudyArea {
        StudyArea(grid: grid, cells: StudyAreaWalk(grid: grid, lines: lines, reach: reach).cells())
    }

    /// Finds the cells. Lines are cut into short pieces for a GEOS STRtree; cells are
    /// tested in axial blocks first (a block whose centre is far enough in or out of reach
    /// decides all its cells at once), then one by one with `GEOSDistanceWithin_r`.
    static func buildWithGEOS(grid: HexGrid, lines: [[PlanarPoint]], reach: Double) throws -> StudyArea {
        let pieces = LinePieces(lines)
        guard let bounds = pieces.bounds else { return StudyArea(grid: grid, cells: []) }
        let R = grid.circumradius
        let colStep = 1.5 * R, rowStep = 3.0.squareRoot() * R
        let minX = bounds.minX - reach, maxX = bounds.maxX + reach
        let minY = bounds.minY - reach, maxY = bounds.maxY + reach
        let qLo = Int(((minX - grid.originX) / colStep).rounded(.up))
        let qHi = Int(((maxX - grid.originX) / colStep).rounded(.down))
        guard qLo <= qHi else { return StudyArea(grid: grid, cells: []) }
        // Blocks of B×B axial cells (columns of q, then rows of r within the column band).
        let B = max(2, Int(reach / grid.cellSize / 2))
        var blocks: [[HexCoordinate]] = []
        var q0 = qLo
        while q0 <= qHi {
            let qEnd = min(qHi, q0 + B - 1)
            // r range over the columns of this band.
            var rLo = Int.max, rHi = Int.min
            for q in q0...qEnd {
                rLo = min(rLo, Int(((minY - grid.originY) / rowStep - Double(q) / 2).rounded(.up)))
                rHi = max(rHi, Int(((maxY - grid.originY) / rowStep - Double(q) / 2).rounded(.down)))
            }
            var r0 = rLo
            while r0 <= rHi {
                let rEnd = min(rHi, r0 + B - 1)
                var block: [HexCoordinate] = []
                for q in q0...qEnd {
                    for r in r0...rEnd {
                        let c = grid.center(of: HexCoordinate(q: q, r: r))
                        if c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY {
                            block.append(HexCoordinate(q: q, r: r))
                        }
                    }
                }
                if !block.isEmpty { blocks.append(block) }
                r0 += B
            }
            q0 += B
        }
        let found: [HexCoordinate] = try parallelRanges(blocks.count, minimumPerWorker: 16) { range in
            let finder = try LinePieces.Finder(pieces)
            var inside: [HexCoordinate] = []
            for b in range {
                let block = blocks[b]
                let centres = block.map { grid.center(of: $0) }
                let cx = centres.reduce(0.0) { $0 + $1.x } / Double(centres.count)
                let cy = centres.reduce(0.0) { $0 + $1.y } / Double(centres.count)
                let mid = PlanarPoint(x: cx, y: cy)
                let radius = centres.reduce(0.0) { max($0, $1.distance(to: mid)) }
                let d = try finder.nearestDistance(from: mid, limit: reach + radius)
                guard let d else { continue }  // every line is farther than reach + radius
                if d + radius <= reach {
                    inside += block
                } else if d - radius <= reach {
                    for (cell, centre) in zip(block, centres) where try finder.isWithin(reach, of: centre) {
                        inside.append(cell)
                    }
                }
            }
            return inside
        }
        return StudyArea(grid: grid, cells: found.sorted())
    }
}

/// Lines cut into pieces of at most `maxSegments` segments, for a GEOS STRtree whose
/// envelopes are tight (a whole coastline's envelope would match every query).
struct LinePieces: Sendable {
    let pieces: [[PlanarPoint]]
    static let maxSegments = 32

    init(_ lines: [[PlanarPoint]]) {
        var pieces: [[PlanarPoint]] = []
        for line in lines where line.count >= 2 {
            var start = 0
            while start < line.count - 1 {
                let end = min(line.count - 1, start + Self.maxSegments)
                pieces.append(Array(line[start...end]))
                start = end
            }
        }
        self.pieces = pieces
    }

    var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        guard !pieces.isEmpty else { return nil }
        var b = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for piece in pieces {
            for p in piece {
                b.minX = min(b.minX, p.x); b.maxX = max(b.maxX, p.x)
                b.minY = min(b.minY, p.y); b.maxY = max(b.maxY, p.y)
            }
        }
        return b
    }

    /// Distance queries against the pieces, in one thread's GEOS context.
    final class Finder {
        let context: GEOSContext
        let tree: STRtree

        init(_ pieces: LinePieces) throws {
            let context = try GEOSContext()
            self.context = context
            tree = try STRtree(pieces.pieces.map { try Geometry.lineString($0, context: context) }, context: context)
        }

        /// The distance to the nearest piece, or nil when none is within `limit`.
        func nearestDistance(from p: PlanarPoint, limit: Double) throws -> Double? {
            let hits = try tree.query(minX: p.x - limit, minY: p.y - limit, maxX: p.x + limit, maxY: p.y + limit)
            guard !hits.isEmpty else { return nil }
            let point = try Geometry.point(p, context: context)
            var best = Double.infinity
            for i in hits { best = min(best, try point.distance(to: tree.geometries[i])) }
            return best <= limit ? best : nil
        }

        /// True when some piece is at distance ≤ d of `p`.
        func isWithin(_ d: Double, of p: PlanarPoint) throws -> Bool {
            let hits = try tree.query(minX: p.x - d, minY: p.y - d, maxX: p.x + d, maxY: p.y + d)
            guard !hits.isEmpty else { return false }
            let point = try Geometry.point(p, context: context)
            for i in hits where try point.isWithinDistance(d, of: tree.geometries[i]) { return true }
            return false
        }
    }
}

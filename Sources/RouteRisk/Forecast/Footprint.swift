import Foundation

/// A route's footprint φ_r (MODEL §13.3): P(an event of route r falls in cell c), sparse.
struct Footprint: Sendable {
    /// Study-area cell indices, ascending, and the mass in each.
    var cells: [Int32]
    var mass: [Double]
    /// Φ_r = Σ_c φ_r(c).
    var total: Double
    /// q_r = Φ_r · erf(b_att/(σ√2)).
    var corridorShare: Double
}

/// Builds φ_r: the line, uniform by length, convolved with N(0, σ²I). Every segment of every
/// part is cut into ⌈len/δ⌉ equal pieces, δ = min(σ/2, s/10); each piece's midpoint, weighted
/// piece length / route length, is spread over the 13 × 13 offsets (i, j)·σ/2, i, j = −6…6, with
/// weights exp(−|o|²/(2σ²)) normalised to 1; each offset point adds its weight to the cell that
/// holds it (§4 cube rounding); points outside the study area are dropped.
enum FootprintBuilder {
    /// The 169 offset weights exp(−(i² + j²)/8) (|o|²/(2σ²) with o = (i, j)·σ/2), normalised; row-major in (i, j).
    static let offsetWeights: [Double] = {
        var w: [Double] = []
        for i in -6...6 { for j in -6...6 { w.append(exp(-Double(i * i + j * j) / 8)) } }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }()

    static func build(
        routes: [[[PlanarPoint]]], lengths: [Double], sigma: Double, area: StudyArea, attributionDistance: Double
    ) -> [Footprint] {
        let inCorridor = erf(attributionDistance / (sigma * 2.0.squareRoot()))
        let result: [Footprint] = (try? parallelRanges(routes.count, minimumPerWorker: 4) { range in
            range.map { r in
                var f = footprint(routes[r], length: lengths[r], sigma: sigma, area: area)
                f.corridorShare = f.total * inCorridor
                return f
            }
        }) ?? []
        return result
    }

    static func footprint(_ parts: [[PlanarPoint]], length: Double, sigma: Double, area: StudyArea) -> Footprint {
        let empty = Footprint(cells: [], mass: [], total: 0, corridorShare: 0)
        guard length > 0, !parts.isEmpty else { return empty }
        let grid = area.grid
        let delta = min(sigma / 2, grid.cellSize / 10)
        let reach = 3 * sigma
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for part in parts {
            for p in part { minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y) }
        }
        minX -= reach; maxX += reach; minY -= reach; maxY += reach
        // A dense box of axial cells over the footprint's extent (no hash lookup per point).
        let colStep = 1.5 * grid.circumradius, rowStep = 3.0.squareRoot() * grid.circumradius
        let qLo = Int(((minX - grid.originX) / colStep).rounded(.down)) - 2
        let qHi = Int(((maxX - grid.originX) / colStep).rounded(.up)) + 2
        let rLo = Int(((minY - grid.originY) / rowStep - Double(qHi) / 2).rounded(.down)) - 2
        let rHi = Int(((maxY - grid.originY) / rowStep - Double(qLo) / 2).rounded(.up)) + 2
        let rSpan = rHi - rLo + 1
        var box = [Double](repeating: 0, count: (qHi - qLo + 1) * rSpan)
        let half = sigma / 2
        let weights = offsetWeights
        for part in parts {
            for (a, b) in zip(part, part.dropFirst()) {
                let len = a.distance(to: b)
                guard len > 0 else { continue }
                let pieces = Int((len / delta).rounded(.up))
                let pieceWeight = len / Double(pieces) / length
                for k in 0..<pieces {
                    let t = (Double(k) + 0.5) / Double(pieces)
                    let mx = a.x + t * (b.x - a.x), my = a.y + t * (b.y - a.y)
                    var w = 0
                    for i in -6...6 {
                        let x = mx + Double(i) * half
                        for j in -6...6 {
                            let cell = grid.cell(containing: PlanarPoint(x: x, y: my + Double(j) * half))
                            let slot = (cell.q - qLo) * rSpan + (cell.r - rLo)
                            box[slot] += pieceWeight * weights[w]
                            w += 1
                        }
                    }
                }
            }
        }
        var cells: [Int32] = [], mass: [Double] = []
        for (slot, m) in box.enumerated() where m > 0 {
            let c = HexCoordinate(q: qLo + slot / rSpan, r: rLo + slot % rSpan)
            if let index = area.cellIndex(of: c) {
                cells.append(Int32(index))
                mass.append(m)
            }
        }
        let order = cells.indices.sorted { cells[$0] < cells[$1] }
        cells = order.map { cells[$0] }
        mass = order.map { mass[$0] }
        return Footprint(cells: cells, mass: mass, total: mass.reduce(0, +), corridorShare: 0)
    }
}

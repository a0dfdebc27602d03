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
        // Chunks of 16 routes dealt to the workers in turn (routes differ a lot in length, so one
        // contiguous range per worker would leave one core idle); one box per worker.
        let chunk = 16
        let chunks = (routes.count + chunk - 1) / chunk
        let workers = max(1, min(Parallelism.threadCount, chunks))
        var result = [Footprint](repeating: Footprint(cells: [], mass: [], total: 0, corridorShare: 0), count: routes.count)
        result.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Parallelism.run(workers: workers) { w in
                var box = FootprintBox(grid: area.grid, half: sigma / 2)
                var c = w
                while c < chunks {
                    for r in (c * chunk)..<min(routes.count, (c + 1) * chunk) {
                        var f = footprint(routes[r], length: lengths[r], sigma: sigma, area: area, box: &box)
                        f.corridorShare = f.total * inCorridor
                        base[r] = f
                    }
                    c += workers
                }
            }
        }
        return result
    }

    static func footprint(_ parts: [[PlanarPoint]], length: Double, sigma: Double, area: StudyArea) -> Footprint {
        var box = FootprintBox(grid: area.grid, half: sigma / 2)
        return footprint(parts, length: length, sigma: sigma, area: area, box: &box)
    }

    fileprivate static func footprint(
        _ parts: [[PlanarPoint]], length: Double, sigma: Double, area: StudyArea, box: inout FootprintBox
    ) -> Footprint {
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
        box.start(qLo: qLo, rLo: rLo, rSpan: rSpan, count: (qHi - qLo + 1) * rSpan)
        for part in parts {
            for (a, b) in zip(part, part.dropFirst()) {
                let len = a.distance(to: b)
                guard len > 0 else { continue }
                let pieces = Int((len / delta).rounded(.up))
                box.addSegment(from: a, to: b, pieces: pieces, pieceWeight: len / Double(pieces) / length)
            }
        }
        var cells: [Int32] = [], mass: [Double] = []
        for slot in box.finish() {
            let c = HexCoordinate(q: qLo + slot.slot / rSpan, r: rLo + slot.slot % rSpan)
            if let index = area.cellIndex(of: c) {
                cells.append(Int32(index))
                mass.append(slot.mass)
            }
        }
        let order = cells.indices.sorted { cells[$0] < cells[$1] }
        cells = order.map { cells[$0] }
        mass = order.map { mass[$0] }
        return Footprint(cells: cells, mass: mass, total: mass.reduce(0, +), corridorShare: 0)
    }
}

/// One route's φ in a dense box of axial cells (no hash lookup per point), filled as §13.3 says,
/// but without rounding every one of the 169 · ⌈len/δ⌉ offset points to its cell. The point of
/// piece k and offset (i, j), `midpoint(k) + (i, j)·σ/2`, is affine in (k, i, j), and a hex cell
/// is convex: when the corners of a run of pieces × a block of offsets lie inside one cell (by a
/// margin, see `mark`), so does every point between them, and the block adds its whole weight to that
/// cell at once. A segment's run of pieces is tried whole (the stencil's corners at its ends); one that
/// straddles a cell edge goes column by column (13 offsets: the column's ends at the run's first and last
/// piece, halving between them), then offset by offset: each offset's
/// points are walked from cell to cell, the piece where they leave a cell found from the line's
/// equation, the cell past it the neighbour across that edge, both checked by the margin
/// (`walkOffsetRun`). Points within the margin of an edge, where the rounding's ties decide, are
/// rounded one by one. The cells are exactly those of the point-by-point
/// rule; the sums differ from adding point by point only by floating-point rounding (≈ 1e-16).
///
/// One box per worker thread (a struct passed inout: no runtime exclusivity checks): its buffer
/// grows to the largest route's extent and only the slots a route touched are cleared after it.
fileprivate struct FootprintBox {
    let grid: HexGrid
    /// σ/2, the offset step.
    let half: Double
    /// 1/(1.5·R) and 1/(√3·R): fractional axial coordinates for the walk (`cubeDifferences`).
    private let inverseColumnStep: Double, inverseRowStep: Double
    private var qLo = 0, rLo = 0, rSpan = 1, inverseRowSpan = 1.0, boxCount = 0
    /// The buffers, owned by `storage`; the box reads and writes them through raw pointers, so the
    /// recursion retains and releases nothing.
    private let storage = Storage()
    private var mass: UnsafeMutablePointer<Double>
    private var touched: UnsafeMutablePointer<Int>
    private var touchedCount = 0
    /// The slots of one column (13 offsets) at the first and at the last piece of a run.
    private let endsLo: UnsafeMutablePointer<Int>, endsHi: UnsafeMutablePointer<Int>
    private let weights: UnsafeMutablePointer<Double>
    /// Σ_j of the stencil weights of offset column i.
    private let columnWeights: UnsafeMutablePointer<Double>

    /// Owns the buffers of one box (freed with it).
    private final class Storage {
        var mass = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        var massCapacity = 0
        // Small at first (it doubles as needed), so that the tests' footprints grow it too.
        var touched = UnsafeMutablePointer<Int>.allocate(capacity: 16)
        var touchedCapacity = 16
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: 26)
        let weights = UnsafeMutablePointer<Double>.allocate(capacity: 169 + 13)
        init() {
            ends.initialize(repeating: 0, count: 26)
            let w = FootprintBuilder.offsetWeights
            for k in 0..<169 { (weights + k).initialize(to: w[k]) }
            for i in 0..<13 { (weights + 169 + i).initialize(to: (0..<13).reduce(0.0) { $0 + w[i * 13 + $1] }) }
        }
        deinit {
            mass.deallocate()
            touched.deallocate()
            ends.deallocate()
            weights.deallocate()
        }
    }

    init(grid: HexGrid, half: Double) {
        self.grid = grid
        self.half = half
        inverseColumnStep = 1 / (1.5 * grid.circumradius)
        inverseRowStep = 1 / (3.0.squareRoot() * grid.circumradius)
        mass = storage.mass
        touched = storage.touched
        endsLo = storage.ends
        endsHi = storage.ends + 13
        weights = storage.weights
        columnWeights = storage.weights + 169
    }

    /// A route whose axial cells lie in q ≥ qLo, rLo ≤ r < rLo + rSpan, `count` slots in all.
    mutating func start(qLo: Int, rLo: Int, rSpan: Int, count: Int) {
        self.qLo = qLo
        self.rLo = rLo
        self.rSpan = rSpan
        inverseRowSpan = 1 / Double(rSpan)
        boxCount = count
        if storage.massCapacity < count {
            storage.mass.deallocate()
            storage.mass = .allocate(capacity: count)
            storage.mass.initialize(repeating: 0, count: count)
            storage.massCapacity = count
            mass = storage.mass
        }
        touchedCount = 0
    }

    /// The touched slots and their mass, in slot order; the buffer is left all zero.
    mutating func finish() -> [(slot: Int, mass: Double)] {
        var slots = UnsafeMutableBufferPointer(start: touched, count: touchedCount)
        slots.sort()
        let out = slots.map { (slot: $0, mass: mass[$0]) }
        for s in slots { mass[s] = 0 }
        return out
    }

    @inline(__always)
    private mutating func add(_ slot: Int, _ m: Double) {
        if mass[slot] == 0 {
            if touchedCount == storage.touchedCapacity { growTouched() }
            touched[touchedCount] = slot
            touchedCount += 1
        }
        mass[slot] += m
    }

    private mutating func growTouched() {
        let capacity = storage.touchedCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.moveInitialize(from: storage.touched, count: touchedCount)
        storage.touched.deallocate()
        storage.touched = grown
        storage.touchedCapacity = capacity
        touched = grown
    }

    /// The pieces 0..<pieces of segment a→b, midpoints at t = (k + 0.5)/pieces.
    mutating func addSegment(from a: PlanarPoint, to b: PlanarPoint, pieces: Int, pieceWeight: Double) {
        let segment = Segment(ax: a.x, ay: a.y, dx: b.x - a.x, dy: b.y - a.y, pieces: Double(pieces), grid: grid)
        addRun(segment, 0, pieces - 1, pieceWeight)
    }

    private struct Segment {
        let ax: Double, ay: Double, dx: Double, dy: Double, pieces: Double
        /// 1/pieces, for the walk's estimates (`cubeDifferences`).
        let inversePieces: Double
        /// For each cube difference e_m (see `mark`): its change from one piece to the next, the pieces it takes
        /// to move by one, signed (∞ where e_m does not change along the segment), and the side it moves to (+1 or −1).
        let slope: (Double, Double, Double)
        let stepsPerUnit: (Double, Double, Double)
        let side: (Double, Double, Double)

        init(ax: Double, ay: Double, dx: Double, dy: Double, pieces: Double, grid: HexGrid) {
            (self.ax, self.ay, self.dx, self.dy, self.pieces) = (ax, ay, dx, dy, pieces)
            inversePieces = 1 / pieces
            let sq = dx / pieces / (1.5 * grid.circumradius)
            let sr = dy / pieces / (3.0.squareRoot() * grid.circumradius) - sq / 2
            let slope = (sq - sr, 2 * sr + sq, -2 * sq - sr)
            self.slope = slope
            func steps(_ slope: Double) -> Double { slope == 0 ? .infinity : 1 / slope }
            stepsPerUnit = (steps(slope.0), steps(slope.1), steps(slope.2))
            side = (slope.0 < 0 ? -1 : 1, slope.1 < 0 ? -1 : 1, slope.2 < 0 ? -1 : 1)
        }

        /// Pieces from a point with cube differences e until the first e_m reaches its side (≥ 0 when inside),
        /// and which m that is.
        @inline(__always)
        func piecesToExit(_ e: (Double, Double, Double)) -> (pieces: Double, edge: Int) {
            // Inside (|e_m| < 1) every term is positive; +∞ where the slope is 0.
            let t0 = (side.0 - e.0) * stepsPerUnit.0, t1 = (side.1 - e.1) * stepsPerUnit.1
            let t2 = (side.2 - e.2) * stepsPerUnit.2
            if t0 <= t1 && t0 <= t2 { return (t0, 0) }
            return t1 <= t2 ? (t1, 1) : (t2, 2)
        }

        /// The (Δq, Δr) of the neighbour across the edge where e_m reaches its side: e for the neighbours'
        /// centres is ±(2, −1, −1) for (±1, ∓1), ±(−1, 2, −1) for (0, ±1), ±(−1, −1, 2) for (∓1, 0).
        @inline(__always)
        func neighbour(across edge: Int) -> (dq: Int, dr: Int) {
            switch edge {
            case 0: return side.0 > 0 ? (1, -1) : (-1, 1)
            case 1: return side.1 > 0 ? (0, 1) : (0, -1)
            default: return side.2 > 0 ? (-1, 0) : (1, 0)
            }
        }

        /// The midpoint of piece k, the expression of §13.3's point-by-point rule.
        @inline(__always)
        func midpoint(_ k: Int) -> (x: Double, y: Double) {
            let t = (Double(k) + 0.5) / pieces
            return (ax + t * dx, ay + t * dy)
        }
    }

    /// A point's cell as a *mark*: its slot when the point lies inside the cell's hexagon by `margin`, else
    /// −1 − slot. The slot is the rounding's (§4) for every point; the mark says where convexity may be used.
    /// With e = (dq − dr, 2dr + dq, −2dq − dr) the cube differences from the cell's centre, the hexagon is
    /// max |e_m| ≤ 1 and the depth 1 − max |e_m| is concave along any line: every point between two points
    /// inside by the margin is inside by it too, so it rounds to the same cell whatever the floating-point error
    /// of its coordinates (≲ 1e-12 cube units on a national grid). Within the margin of an edge that error and
    /// the rounding's ties decide (round half to even alternates along an edge): such points go one by one.
    @inline(__always)
    private func mark(_ x: Double, _ y: Double) -> Int {
        let (q, r) = grid.fractionalAxial(of: PlanarPoint(x: x, y: y))
        let cell = HexGrid.cubeRound(q: q, r: r)
        let slot = (cell.q - qLo) * rSpan + (cell.r - rLo)
        let dq = q - Double(cell.q), dr = r - Double(cell.r)
        return Self.isInside((dq - dr, 2 * dr + dq, 2 * dq + dr)) ? slot : -1 - slot
    }

    /// Whether cube differences lie inside their cell by the margin: every |e_m| ≤ 1 − margin (three compares, not
    /// `max`, whose NaN rules cost blends; a NaN is not inside).
    @inline(__always)
    private static func isInside(_ e: (Double, Double, Double)) -> Bool {
        abs(e.0) <= 1 - margin && abs(e.1) <= 1 - margin && abs(e.2) <= 1 - margin
    }

    /// The slot of a mark.
    @inline(__always)
    private static func slot(of mark: Int) -> Int { mark >= 0 ? mark : -1 - mark }

    /// The depth, in cube units, below which a point goes to the rounding alone (0.3 mm on 5 km cells); far
    /// above the error of the coordinates (a few units in the last place of |q| + |r| < 10⁷) and of the walk's
    /// reciprocals (`cubeDifferences`).
    private static let margin = 1e-7

    /// The mark of piece k, offset index (i, j) (offset (i − 6, j − 6)·σ/2).
    @inline(__always)
    private func pointMark(_ segment: Segment, _ k: Int, _ i: Int, _ j: Int) -> Int {
        let (mx, my) = segment.midpoint(k)
        return mark(mx + Double(i - 6) * half, my + Double(j - 6) * half)
    }

    /// The slot of the four points (k0 or k1, i, j0 or j1) when all four lie inside it by the margin, else -1.
    @inline(__always)
    private func commonSlot(_ segment: Segment, _ k0: Int, _ k1: Int, _ i: Int, _ j0: Int, _ j1: Int) -> Int {
        let s = pointMark(segment, k0, i, j0)
        guard s >= 0, pointMark(segment, k0, i, j1) == s else { return -1 }
        guard k1 == k0 || (pointMark(segment, k1, i, j0) == s && pointMark(segment, k1, i, j1) == s) else { return -1 }
        return s
    }

    /// Pieces lo...hi: the whole stencil at once, else column by column (offset index i), else
    /// offset by offset.
    private mutating func addRun(_ segment: Segment, _ lo: Int, _ hi: Int, _ pieceWeight: Double) {
        // The whole run: the stencil's corners (i, j ∈ {0, 12}) of its first and last piece.
        let first = commonSlot(segment, lo, hi, 0, 0, 12)
        if first >= 0, commonSlot(segment, lo, hi, 12, 0, 12) == first {
            add(first, Double(hi - lo + 1) * pieceWeight)
            return
        }
        let pieces = Double(hi - lo + 1)
        for i in 0..<13 {
            // The column's corners; when all four lie inside one cell by the margin, so do its 13 · pieces points.
            let a = pointMark(segment, lo, i, 0), b = pointMark(segment, lo, i, 12)
            let c = lo == hi ? a : pointMark(segment, hi, i, 0), d = lo == hi ? b : pointMark(segment, hi, i, 12)
            if a >= 0 && a == b && b == c && c == d {
                add(a, pieces * pieceWeight * columnWeights[i])
                continue
            }
            fillColumn(segment, lo, i, 0, 12, a, b, into: endsLo)
            if lo < hi { fillColumn(segment, hi, i, 0, 12, c, d, into: endsHi) }
            for j in 0..<13 {
                let weight = pieceWeight * weights[i * 13 + j]
                let mHi = lo < hi ? endsHi[j] : endsLo[j]
                if lo < hi { walkOffsetRun(segment, i, j, weight, lo, hi, endsLo[j], mHi) }
                add(Self.slot(of: mHi), weight)
            }
        }
    }

    /// The marks of points j0...j1 of column i of piece k, whose ends have marks m0 and m1: halving
    /// between ends that are not inside one cell by the margin.
    private func fillColumn(
        _ segment: Segment, _ k: Int, _ i: Int, _ j0: Int, _ j1: Int, _ m0: Int, _ m1: Int, into out: UnsafeMutablePointer<Int>
    ) {
        if m0 == m1 && m0 >= 0 {
            for j in j0...j1 { out[j] = m0 }
            return
        }
        out[j0] = m0
        out[j1] = m1
        if j1 - j0 == 1 { return }
        let mid = (j0 + j1) / 2
        let mMid = pointMark(segment, k, i, mid)
        fillColumn(segment, k, i, j0, mid, m0, mMid, into: out)
        fillColumn(segment, k, i, mid, j1, mMid, m1, into: out)
    }

    /// The cube differences e (see `mark`) of the point of piece k, offset (i, j), from the centre of `slot`,
    /// with reciprocals instead of the rounding's divisions (an error ≪ the margin).
    @inline(__always)
    private func cubeDifferences(_ segment: Segment, _ k: Int, _ i: Int, _ j: Int, slot: Int) -> (Double, Double, Double) {
        let t = (Double(k) + 0.5) * segment.inversePieces
        let q = (segment.ax + t * segment.dx + Double(i - 6) * half - grid.originX) * inverseColumnStep
        let r = (segment.ay + t * segment.dy + Double(j - 6) * half - grid.originY) * inverseRowStep - q / 2
        // The slot's column and row without an integer division: (slot + ½)/rSpan is ≥ 1/(2·rSpan) from an integer.
        let column = Int((Double(slot) + 0.5) * inverseRowSpan)
        let dq = q - Double(qLo + column), dr = r - Double(rLo + slot - column * rSpan)
        return (dq - dr, 2 * dr + dq, -2 * dq - dr)
    }

    /// Pieces lo..<hi of offset (i, j), where piece lo has mark mLo and piece hi mark mHi, walked cell by cell:
    /// the points are affine in k, so they leave a cell after the piece where the first e_m reaches ±1
    /// (`Segment.piecesToExit`). Piece k* − 1 must lie inside the current cell by the margin, and piece k* in the
    /// neighbour across that edge (else, near a vertex, it is rounded). Where a check fails (a point near an
    /// edge, where the rounding decides) the rest of the run is halved as `addOffsetRun` does. No rounding per
    /// crossing in the common case, instead of one per halving.
    ///
    /// The cube differences are measured once, at piece lo, and then carried: e(k) = e(lo) + (k − lo)·slope in
    /// the current cell, and a neighbour's e is the current one less the neighbour's centre (a small integer
    /// vector, subtracted exactly). The carried values drift from the measured ones by a few units in the last
    /// place per crossing, ≪ the margin.
    private mutating func walkOffsetRun(
        _ segment: Segment, _ i: Int, _ j: Int, _ weight: Double, _ lo: Int, _ hi: Int, _ mLo: Int, _ mHi: Int
    ) {
        var k0 = lo, m = mLo
        guard m >= 0 && m != mHi else { return addOffsetRun(segment, i, j, weight, lo, hi, mLo, mHi) }
        let slope = segment.slope
        // The cube differences of piece k0 from cell m, and m's row in the box.
        var e = cubeDifferences(segment, k0, i, j, slot: m)
        var row = m - Int((Double(m) + 0.5) * inverseRowSpan) * rSpan
        while m >= 0 && m != mHi {
            let exit = segment.piecesToExit(e)
            let steps = exit.pieces.rounded(.down) + 1
            guard steps >= 1, steps < Double(hi - k0) else { break }
            let next = k0 + Int(steps)
            if next - 1 > k0 {
                let s = steps - 1
                let last = (e.0 + s * slope.0, e.1 + s * slope.1, e.2 + s * slope.2)
                guard Self.isInside(last) else { break }
            }
            // Piece k* lies in the neighbour across that edge when it is inside it by the margin (then the rounding
            // gives that cell too); else (near a vertex, say) the rounding says where it is.
            let (dq, dr) = segment.neighbour(across: exit.edge)
            let across = m + dq * rSpan + dr
            var mNext = -1
            if row + dr >= 0 && row + dr < rSpan && across >= 0 && across < boxCount {
                let moved = (e.0 + steps * slope.0 - Double(dq - dr), e.1 + steps * slope.1 - Double(2 * dr + dq),
                             e.2 + steps * slope.2 - Double(-2 * dq - dr))
                if Self.isInside(moved) {
                    mNext = across
                    e = moved
                    row += dr
                }
            }
            if mNext < 0 {
                mNext = pointMark(segment, next, i, j)
                if mNext >= 0 {
                    e = cubeDifferences(segment, next, i, j, slot: mNext)
                    row = mNext - Int((Double(mNext) + 0.5) * inverseRowSpan) * rSpan
                }
            }
            guard Self.slot(of: mNext) != m else { break }
            add(m, Double(next - k0) * weight)
            k0 = next
            m = mNext
        }
        addOffsetRun(segment, i, j, weight, k0, hi, m, mHi)
    }

    /// Pieces lo..<hi of offset (i, j), where piece lo has mark mLo and piece hi mark mHi: one
    /// rounding per halving, down to single pieces where an end lies near an edge.
    private mutating func addOffsetRun(
        _ segment: Segment, _ i: Int, _ j: Int, _ weight: Double, _ lo: Int, _ hi: Int, _ mLo: Int, _ mHi: Int
    ) {
        if mLo == mHi && mLo >= 0 {
            add(mLo, Double(hi - lo) * weight)
            return
        }
        if hi - lo == 1 {
            add(Self.slot(of: mLo), weight)
            return
        }
        let mid = (lo + hi) / 2
        let mMid = pointMark(segment, mid, i, j)
        addOffsetRun(segment, i, j, weight, lo, mid, mLo, mMid)
        addOffsetRun(segment, i, j, weight, mid, hi, mMid, mHi)
    }
}

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
/// is convex: when the corners of a run of pieces × a block of offsets fall in one cell, so does
/// every point between them, and the block adds its whole weight to that cell at once. Runs are
/// tried whole (the stencil's corners at the run's ends), then halved down to 16 pieces; a run
/// that still straddles a cell edge goes column by column (13 offsets: the column's ends at the
/// run's first and last piece, halving between them), then offset by offset, halving the run
/// until its ends agree. On the crowded 200 k bench scene (10 M pieces, σ = 100 m, 5 km cells)
/// that is 0.1 billion roundings instead of 1.7. The cells are exactly those of the point-by-point rule;
/// the sums differ from adding point by point only by floating-point rounding (≈ 1e-16).
///
/// One box per worker thread (a struct passed inout: no runtime exclusivity checks): its buffer
/// grows to the largest route's extent and only the slots a route touched are cleared after it.
fileprivate struct FootprintBox {
    let grid: HexGrid
    /// σ/2, the offset step.
    let half: Double
    private var qLo = 0, rLo = 0, rSpan = 1
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
    /// Runs of at most this many pieces that straddle a cell edge go column by column.
    private static let offsetRun = 16

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

    @inline(__always)
    private func slot(_ x: Double, _ y: Double) -> Int {
        let cell = grid.cell(containing: PlanarPoint(x: x, y: y))
        return (cell.q - qLo) * rSpan + (cell.r - rLo)
    }

    /// The pieces 0..<pieces of segment a→b, midpoints at t = (k + 0.5)/pieces.
    mutating func addSegment(from a: PlanarPoint, to b: PlanarPoint, pieces: Int, pieceWeight: Double) {
        let segment = Segment(ax: a.x, ay: a.y, dx: b.x - a.x, dy: b.y - a.y, pieces: Double(pieces))
        addRun(segment, 0, pieces - 1, pieceWeight)
    }

    private struct Segment {
        let ax: Double, ay: Double, dx: Double, dy: Double, pieces: Double
        /// The midpoint of piece k, the expression of §13.3's point-by-point rule.
        @inline(__always)
        func midpoint(_ k: Int) -> (x: Double, y: Double) {
            let t = (Double(k) + 0.5) / pieces
            return (ax + t * dx, ay + t * dy)
        }
    }

    /// The slot of piece k, offset index (i, j) (offset (i − 6, j − 6)·σ/2).
    @inline(__always)
    private func pointSlot(_ segment: Segment, _ k: Int, _ i: Int, _ j: Int) -> Int {
        let (mx, my) = segment.midpoint(k)
        return slot(mx + Double(i - 6) * half, my + Double(j - 6) * half)
    }

    /// The slot of the four points (k0 or k1, i, j0 or j1) when they agree, else -1.
    @inline(__always)
    private func commonSlot(_ segment: Segment, _ k0: Int, _ k1: Int, _ i: Int, _ j0: Int, _ j1: Int) -> Int {
        let s = pointSlot(segment, k0, i, j0)
        guard pointSlot(segment, k0, i, j1) == s else { return -1 }
        guard k1 == k0 || (pointSlot(segment, k1, i, j0) == s && pointSlot(segment, k1, i, j1) == s) else { return -1 }
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
        if hi - lo + 1 > Self.offsetRun {
            let mid = (lo + hi) / 2
            addRun(segment, lo, mid, pieceWeight)
            addRun(segment, mid + 1, hi, pieceWeight)
            return
        }
        let pieces = Double(hi - lo + 1)
        for i in 0..<13 {
            // The column's corners; when both of a piece's corners agree, so do its 13 points (convexity along j).
            let a = pointSlot(segment, lo, i, 0), b = pointSlot(segment, lo, i, 12)
            let c = lo == hi ? a : pointSlot(segment, hi, i, 0), d = lo == hi ? b : pointSlot(segment, hi, i, 12)
            if a == b && b == c && c == d {
                add(a, pieces * pieceWeight * columnWeights[i])
                continue
            }
            fillColumn(segment, lo, i, 0, 12, a, b, into: endsLo)
            if lo < hi { fillColumn(segment, hi, i, 0, 12, c, d, into: endsHi) }
            for j in 0..<13 {
                let weight = pieceWeight * weights[i * 13 + j]
                let sHi = lo < hi ? endsHi[j] : endsLo[j]
                if lo < hi { addOffsetRun(segment, i, j, weight, lo, hi, endsLo[j], sHi) }
                add(sHi, weight)
            }
        }
    }

    /// The slots of points j0...j1 of column i of piece k, whose ends fall in s0 and s1: halving
    /// between ends that differ (the cells along a column are contiguous runs, by convexity).
    private func fillColumn(
        _ segment: Segment, _ k: Int, _ i: Int, _ j0: Int, _ j1: Int, _ s0: Int, _ s1: Int, into out: UnsafeMutablePointer<Int>
    ) {
        if s0 == s1 {
            for j in j0...j1 { out[j] = s0 }
            return
        }
        out[j0] = s0
        out[j1] = s1
        if j1 - j0 == 1 { return }
        let mid = (j0 + j1) / 2
        let sMid = pointSlot(segment, k, i, mid)
        fillColumn(segment, k, i, j0, mid, s0, sMid, into: out)
        fillColumn(segment, k, i, mid, j1, sMid, s1, into: out)
    }

    /// Pieces lo..<hi of offset (i, j), where piece lo falls in sLo and piece hi in sHi: one
    /// rounding per halving.
    private mutating func addOffsetRun(
        _ segment: Segment, _ i: Int, _ j: Int, _ weight: Double, _ lo: Int, _ hi: Int, _ sLo: Int, _ sHi: Int
    ) {
        if sLo == sHi {
            add(sLo, Double(hi - lo) * weight)
            return
        }
        if hi - lo == 1 {
            add(sLo, weight)
            return
        }
        let mid = (lo + hi) / 2
        let sMid = pointSlot(segment, mid, i, j)
        addOffsetRun(segment, i, j, weight, lo, mid, sLo, sMid)
        addOffsetRun(segment, i, j, weight, mid, hi, sMid, sHi)
    }
}

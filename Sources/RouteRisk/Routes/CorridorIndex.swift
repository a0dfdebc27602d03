import Foundation

/// The events within distance b of each route (MODEL §9 "events on the route"), from one
/// uniform grid over the routes' *segments* (Bentley, Stanat & Williams 1977): each segment is
/// registered in every grid cell that its pieces (at most one cell long), padded by b, overlap;
/// an event then tests only the segments of its own cell, with the exact point–segment
/// distance of GEOS (`geos::algorithm::Distance::pointToSegment`, `SegmentDistance`), two segments
/// at a time without a branch (`CellCandidates`), in parallel over fixed chunks of events. No C
/// call and no hash lookup per event–route pair.
///
/// The decision is the one of `GEOSDistanceWithin_r(route, point, b)` (GEOS 3.11
/// `DistanceOp::isWithinDistance`): false when the distance between the route's envelope and
/// the point exceeds b, else true when the minimum over the route's segments of
/// `pointToSegment` is ≤ b. The same floating-point expressions in the same order give the
/// same verdict, also at d = b (`CorridorIndexTests` checks it against GEOS).
struct CorridorIndex {
    let distance: Double
    /// The segments, numbered route by route. One record each: a candidate's end points and route come in
    /// one cache line, not from five arrays (the grid lists segments of many routes, so the reads are
    /// scattered; `CellCandidates` copies a cell's struct-of-arrays once for all its events).
    let segments: [IndexedSegment]
    /// Route envelopes (minX, minY, maxX, maxY), as GEOS computes them from the vertices.
    let envelopes: [(Double, Double, Double, Double)]
    let routeCount: Int
    /// The grid: origin, cell size, cells per row and per column; CSR lists of segment ids.
    let originX: Double, originY: Double, cell: Double
    let columns: Int, rows: Int
    let cellStart: [Int32]
    let cellSegments: [Int32]
    /// The most segments any cell lists (the room `CellCandidates` needs).
    let longestCell: Int
    /// A segment's computed distance at most this leaves GEOS's envelope check no doubt (see `forEachPair`).
    let surelyInEnvelope: Double

    init(routes: [[[PlanarPoint]]], distance b: Double) {
        precondition(b >= 0 && b.isFinite, "corridor half-width must be ≥ 0 and finite")
        distance = b
        routeCount = routes.count
        var segments: [IndexedSegment] = []
        var envelopes: [(Double, Double, Double, Double)] = []
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (r, parts) in routes.enumerated() {
            var e = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for part in parts {
                for p in part {
                    e = (Swift.min(e.0, p.x), Swift.min(e.1, p.y), Swift.max(e.2, p.x), Swift.max(e.3, p.y))
                }
                for (a, c) in zip(part, part.dropFirst()) {
                    let length2 = SegmentDistance.length2(a.x, a.y, c.x, c.y)
                    let isPoint = a.x == c.x && a.y == c.y
                    segments.append(IndexedSegment(ax: a.x, ay: a.y, bx: c.x, by: c.y, length2: length2,
                                                   length: isPoint ? -1 : length2.squareRoot(), route: Int32(r)))
                }
            }
            envelopes.append(e)
            if e.0 <= e.2 {
                minX = Swift.min(minX, e.0); minY = Swift.min(minY, e.1)
                maxX = Swift.max(maxX, e.2); maxY = Swift.max(maxY, e.3)
            }
        }
        self.segments = segments
        self.envelopes = envelopes
        // The route's envelope holds its segments, so the point's distance from it is at most the segment's; the
        // two computed values differ from the exact ones by a few ulps of the coordinates (|x|, |y| ≤ magnitude),
        // far below this slack.
        let magnitude = [minX, minY, maxX, maxY].lazy.filter(\.isFinite).map(abs).max() ?? 0
        surelyInEnvelope = b - (1e-6 + 1e-12 * magnitude)
        guard minX <= maxX, !segments.isEmpty else {
            originX = 0; originY = 0; cell = 1; columns = 0; rows = 0
            cellStart = [0]; cellSegments = []; longestCell = 0
            return
        }
        // Cells of size b/2 (at least 1 m; an event's candidates lie within (b/2 + 2b)² instead of
        // (b + 2b)²), larger when the grid would exceed 2²⁴ cells.
        let pad = Self.padding(b)
        let width = maxX - minX + 2 * pad, height = maxY - minY + 2 * pad
        let cell = Swift.max(b / 2, 1, (width * height / Double(1 << 24)).squareRoot())
        let columns = Swift.max(1, Int((width / cell).rounded(.up)))
        let rows = Swift.max(1, Int((height / cell).rounded(.up)))
        originX = minX - pad
        originY = minY - pad
        self.cell = cell
        self.columns = columns
        self.rows = rows

        // The cells of each segment (the union of its pieces' padded boxes, one column span per row: see
        // `SegmentCells`), made in parallel over fixed chunks of segments, then a counting sort by cell (CSR).
        let cellCount = columns * rows
        let layout = SegmentCells(originX: originX, originY: originY, cell: cell, columns: columns, rows: rows, pad: pad)
        let chunkSize = 4096
        let chunkCount = (segments.count + chunkSize - 1) / chunkSize
        var registered = [[Int32]](repeating: [], count: chunkCount)
        registered.withUnsafeMutableBufferPointer { slots in
            let slots = slots.baseAddress!
            parallelForEachChunk(count: segments.count, chunkSize: chunkSize) { chunk, range in
                // (cell, segment) pairs, segments ascending and each segment's cells ascending.
                var pairs: [Int32] = []
                var spans = SegmentCells.Spans()
                for s in range {
                    let g = segments[s]
                    layout.forEachCell(g.ax, g.ay, g.bx, g.by, &spans) { c in
                        pairs.append(Int32(c))
                        pairs.append(Int32(s))
                    }
                }
                slots[chunk] = pairs
            }
        }
        var counts = [Int32](repeating: 0, count: cellCount + 1)
        var total = 0
        for pairs in registered {
            total += pairs.count / 2
            for k in stride(from: 0, to: pairs.count, by: 2) {
                counts[Int(pairs[k]) + 1] += 1
            }
        }
        for c in 0..<cellCount {
            counts[c + 1] += counts[c]
        }
        // Stable: segments ascend within each cell.
        var fill = counts
        var cellSegments = [Int32](repeating: 0, count: total)
        for pairs in registered {
            for k in stride(from: 0, to: pairs.count, by: 2) {
                let c = Int(pairs[k])
                cellSegments[Int(fill[c])] = pairs[k + 1]
                fill[c] += 1
            }
        }
        cellStart = counts
        self.cellSegments = cellSegments
        longestCell = (0..<cellCount).reduce(0) { Swift.max($0, Int(counts[$1 + 1] - counts[$1])) }
    }

    /// How far beyond a segment's pieces it is registered: b, a hair more (1e-9 relative, 1 µm).
    static func padding(_ b: Double) -> Double { b * (1 + 1e-9) + 1e-6 }

    /// The grid's layout, which gives the cells each segment is registered in.
    var segmentCells: SegmentCells {
        SegmentCells(originX: originX, originY: originY, cell: cell, columns: columns, rows: rows, pad: Self.padding(distance))
    }

    /// `geos::geom::Envelope::distance` between a route's envelope and a point's (GEOS 3.11).
    @inline(__always)
    static func envelopeDistance(_ e: (Double, Double, Double, Double), _ px: Double, _ py: Double) -> Double {
        let dx = Swift.max(0.0, Swift.max(e.2, px) - Swift.min(e.0, px) - (e.2 - e.0) - (px - px))
        let dy = Swift.max(0.0, Swift.max(e.3, py) - Swift.min(e.1, py) - (e.3 - e.1) - (py - py))
        return (dx * dx + dy * dy).squareRoot()
    }

    /// For each route, the indices of `events` within the distance, ascending (as `numbering[i]`
    /// when a numbering is given: e.g. the events' indices in the scene). 32-bit: at 1 M events and
    /// 164 routes per event the lists hold 164 M indices.
    ///
    /// Blocks of `blockSize` consecutive events, one after another. A block's events are measured in
    /// the order of their grid cells (`spatialOrder`: a cell's segments stay in cache while its events
    /// come; at 200 k events an event shares a 1.5 km square with about 30 others), in parallel over fixed
    /// chunks of that order, each event's routes listed. The lists are then made route-major in event
    /// order, in parallel over fixed runs of `runSize` events (counted per run and route, then written
    /// at each run's offsets): each route's piece of the block ascends, and a route's list is its pieces,
    /// block after block (`CorridorEvents`), not a copy of them. Every pair is measured once and held once,
    /// plus, while a block is measured, that block's per-event lists.
    func eventsWithin(_ events: [PlanarPoint], numbering: [Int]? = nil,
                      blockSize: Int = 262_144, runSize: Int = 16_384) -> [CorridorEvents] {
        guard routeCount > 0 else { return [] }
        guard !events.isEmpty, columns > 0 else { return [CorridorEvents](repeating: [], count: routeCount) }
        precondition(numbering.map { $0.count == events.count } ?? true, "one number per event")
        precondition((numbering?.max() ?? events.count) <= Int(Int32.max), "event numbers must fit 32 bits")
        precondition(blockSize > 0 && runSize > 0, "blocks and runs hold events")
        let routes = routeCount
        // Each block's lists route-major: route r's events of the block are values[start[r]..<start[r + 1]].
        var pieces = [[ArraySlice<Int32>]](repeating: [], count: routes)
        var blockStart = 0
        while blockStart < events.count {
            let block = blockStart..<Swift.min(events.count, blockStart + blockSize)
            let (start, values) = routeMajorPiece(events, block, numbering: numbering, runSize: runSize)
            for r in 0..<routes where start[r + 1] > start[r] { pieces[r].append(values[start[r]..<start[r + 1]]) }
            blockStart = block.upperBound
        }
        return pieces.map { CorridorEvents(pieces: $0) }
    }

    /// The routes of `events[block]` route-major (see `eventsWithin`): `start` has one entry per route and one
    /// more, each route's events ascending.
    private func routeMajorPiece(_ events: [PlanarPoint], _ block: Range<Int>, numbering: [Int]?,
                                 runSize: Int) -> (start: [Int], values: [Int32]) {
        let routes = routeCount
        let chunkSize = 4096
        let spatial = spatialOrder(events, block)
        // Each chunk of the spatial order: its events' routes, and where each event's routes end.
        var lists = [(routes: [Int32], ends: [Int32])](repeating: ([], []), count: (block.count + chunkSize - 1) / chunkSize)
        lists.withUnsafeMutableBufferPointer { lists in
            let lists = lists.baseAddress!
            parallelForEachChunk(count: block.count, chunkSize: chunkSize) { chunk, range in
                var found: [Int32] = [], ends = [Int32](repeating: 0, count: range.count)
                forEachPair(events, spatial[range]) { r, k in
                    found.append(Int32(truncatingIfNeeded: r))
                    ends[k] = Int32(truncatingIfNeeded: found.count)
                }
                // An event without routes ends where the one before it ends.
                for k in ends.indices.dropFirst() where ends[k] < ends[k - 1] { ends[k] = ends[k - 1] }
                lists[chunk] = (found, ends)
            }
        }
        // Each event's place in the spatial order.
        var position = [Int32](repeating: 0, count: block.count)
        for (p, i) in spatial.enumerated() { position[i - block.lowerBound] = Int32(p) }
        // counts[run · routes + r]: first the count, then (exclusive prefix over runs) the offset.
        let runs = (block.count + runSize - 1) / runSize
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: runs * routes)
        counts.initialize(repeating: 0, count: runs * routes)
        defer { counts.deallocate() }
        /// Calls `body(route)` for each route of each event of the run, events ascending.
        func forEachRoute(ofRun range: Range<Int>, _ body: (Int, Int) -> Void) {
            for j in range {
                let p = Int(position[j]), list = lists[p / chunkSize], k = p % chunkSize
                for slot in (k == 0 ? 0 : Int(list.ends[k - 1]))..<Int(list.ends[k]) { body(Int(list.routes[slot]), j) }
            }
        }
        parallelForEachChunk(count: block.count, chunkSize: runSize) { run, range in
            let row = counts + run * routes
            forEachRoute(ofRun: range) { r, _ in row[r] += 1 }
        }
        var start = [Int](repeating: 0, count: routes + 1)
        for r in 0..<routes {
            var offset: Int32 = 0
            for run in 0..<runs {
                let n = counts[run * routes + r]
                counts[run * routes + r] = offset
                offset += n
            }
            start[r + 1] = start[r] + Int(offset)
        }
        let values = [Int32](unsafeUninitializedCapacity: start[routes]) { buffer, initialized in
            let out = buffer.baseAddress
            start.withUnsafeBufferPointer { start in
                parallelForEachChunk(count: block.count, chunkSize: runSize) { run, range in
                    let offsets = counts + run * routes
                    forEachRoute(ofRun: range) { r, j in
                        let i = block.lowerBound + j
                        out![start[r] + Int(offsets[r])] = Int32(truncatingIfNeeded: numbering?[i] ?? i)
                        offsets[r] += 1
                    }
                }
            }
            initialized = start[routes]
        }
        return (start, values)
    }

    /// Calls `body(route, k)` for each route within the distance of each event `indices[k]`, k ascending,
    /// each route once per event, as GEOS decides it: the route's minimum over its segments in the event's grid
    /// cell (`CellCandidates`) is ≤ b, and when it is not within `surelyInEnvelope`'s slack of b (the only case
    /// where it can say no; a read from a table of every route and a square root) the point is within b of the
    /// route's envelope too. (GEOS checks the envelope first, then stops at the first segment within b: the same
    /// verdict, since the envelope holds the route.)
    @inline(__always)
    private func forEachPair<Indices: Collection<Int>>(_ events: [PlanarPoint], _ indices: Indices, _ body: (Int, Int) -> Void) {
        let b = distance, sure = surelyInEnvelope
        let candidates = CellCandidates(longestCell: longestCell)
        withBuffers { g in
        envelopes.withUnsafeBufferPointer { envelopes in
        events.withUnsafeBufferPointer { events in
            for (k, i) in indices.enumerated() {
                let px = events[i].x, py = events[i].y
                guard let c = gridCell(px, py) else { continue }
                if candidates.cell != c { candidates.load(c, g) }
                candidates.measure(px, py)
                for j in 0..<candidates.keepWithin(b) {
                    let r = Int(candidates.keptRoute[j])
                    if candidates.keptDistance[j] > sure && Self.envelopeDistance(envelopes[r], px, py) > b { continue }
                    body(r, k)
                }
            }
        }}}
    }

    /// The line prefilter's bound on `lineCross`²: b²·|AB|²·(1 + 1e-9), with `bb` = b·b. Farther than b·(1 + 5e-10)
    /// from the segment's line is farther than b from the segment, far beyond any rounding of GEOS's distance.
    @inline(__always)
    static func rejectBeyond(_ bb: Double, _ segment: IndexedSegment) -> Double { bb * segment.length2 * (1 + 1e-9) }

    /// The index's arrays as buffers, for the inner loops (no bounds or uniqueness check per read).
    struct Buffers {
        let segments: UnsafeBufferPointer<IndexedSegment>
        let cellStart, cellSegments: UnsafeBufferPointer<Int32>
    }

    @inline(__always)
    func withBuffers<R>(_ body: (Buffers) -> R) -> R {
        segments.withUnsafeBufferPointer { segments in
        cellStart.withUnsafeBufferPointer { cellStart in
        cellSegments.withUnsafeBufferPointer { cellSegments in
            body(Buffers(segments: segments, cellStart: cellStart, cellSegments: cellSegments))
        }}}
    }

    /// The grid cell that holds (px, py), nil outside the grid.
    @inline(__always)
    func gridCell(_ px: Double, _ py: Double) -> Int? {
        guard columns > 0 else { return nil }
        let fx = ((px - originX) / cell).rounded(.down), fy = ((py - originY) / cell).rounded(.down)
        guard fx >= 0, fy >= 0, fx < Double(columns), fy < Double(rows) else { return nil }
        return Int(fy) * columns + Int(fx)
    }
}

/// One segment of `CorridorIndex`: its end points, |AB|² and |AB| as `SegmentDistance.pointToSegment` computes
/// them (|AB| = −1 marks a segment whose ends are one point), and its route.
struct IndexedSegment: Sendable {
    let ax: Double, ay: Double, bx: Double, by: Double
    let length2: Double, length: Double
    let route: Int32
}

import Foundation

/// The route-aware forecast of MODEL §13 (routerisk-2) as of one time.
public struct Forecast: Sendable {
    public let asOf: Double
    public let settings: ForecastSettings
    /// λ(c), expected events per day, per study-area cell in (q, r) order.
    public let perDay: [Double]
    /// `forecast` = λ(c)·Δ, expected events over the horizon, per study-area cell in (q, r) order.
    public let expected: [Double]
    /// ρ_r, events per day, per route in the routes layer's order.
    public let routePerDay: [Double]
    /// `expected_next` = ρ_r·Δ, per route in the routes layer's order.
    public let routeExpectedNext: [Double]
    public let jitter: JitterEstimate
    /// Σ ρ_r Φ_r / Σ_c λ(c); nil when λ is 0 everywhere.
    public let routeShare: Double?
    /// Valid study-area events with time ≤ as_of; those of them within b_att of a route; the rest.
    public let events: Int
    public let corridorEvents: Int
    public let backgroundEvents: Int
    /// D(H) and D(H_bg), days.
    public let exposureDays: Double
    public let backgroundExposureDays: Double
    public let kappa: Double?
    /// Why the forecast is 0 everywhere, when it is.
    public let note: String?
}

/// The library entry point of MODEL §13: per-cell expected events over `options.forecast.horizonDays`
/// as of `asOf`, in study-area cell order (`Forecast.expected`). For many as-of times on one scene
/// (a replay), build one `ForecastScene` and call `forecast(asOf:)` on it: the corridor distances
/// and footprints are then computed once (once per distinct σ).
func routeAwareForecast(prepared: PreparedScene, asOf: Double, options: ScoreOptions) throws -> Forecast {
    try ForecastScene(prepared: prepared, settings: options.forecast, keepsPairs: false).forecast(asOf: asOf)
}

/// What §13 needs of a scene that does not depend on as_of: the valid study-area events in
/// (time, id) order, each one's routes within max(B, b_att), route lengths and buffer areas;
/// footprints and attribution shares per σ, cached. With `keepsPairs` false (one as_of, `score`) the
/// event–route pairs are never all held: the nearest route of each event first (§13.1's σ), then, once
/// σ is known, the pairs block by block, their shares (§13.2) summed as they come; the numbers are
/// those of the scene that keeps them.
final class ForecastScene: @unchecked Sendable {
    let settings: ForecastSettings
    let area: StudyArea
    let routes: [[[PlanarPoint]]]
    /// Interception indices of the valid study-area events, (time, id) order (§5's order).
    let order: [Int]
    let times: [Double]
    let points: [PlanarPoint]
    /// Distance to the nearest route when ≤ B, else +∞ (per position in `order`).
    let nearest: [Double]
    /// Positions (in `order`) of the corridor events, ascending, and their routes within b_att
    /// (one list per corridor event, in that order).
    let corridorPositions: [Int]
    /// (Routes only: `distance` is empty. The distances are consumed by the first σ's shares, which are
    /// written over them; another σ computes them again from `index`.)
    let corridorNear: RouteDistances
    /// Whether `corridorNear` holds the pairs (else its lists are empty and `forecast` streams them).
    let keepsPairs: Bool
    /// Events per block when the pairs are streamed.
    let blockSize: Int
    /// Events per part of a streamed block (its lists are made by one thread; tests make it small).
    let partSize: Int
    /// Corridor events per sum chunk (`defaultSumChunk`; tests make it small).
    let sumChunk: Int
    private var pendingDistances: [Double]?
    private let index: CorridorIndex
    private let corridorPoints: [PlanarPoint]
    let isCorridor: [Bool]
    /// L_r and A_r (buffer by b_att, §9's rules), metres and m².
    let lengths: [Double]
    let areas: [Double]
    let centres: [PlanarPoint]

    struct PerSigma {
        let footprints: [Footprint]
        /// share_ir, aligned with `corridorNear.route`.
        let shares: [Double]
    }
    private var cache: [Double: PerSigma] = [:]
    private let lock = NSLock()

    init(prepared: PreparedScene, settings: ForecastSettings, keepsPairs: Bool = true, blockSize: Int = 65_536,
         partSize: Int = 4096, sumChunk: Int = ForecastScene.defaultSumChunk) throws {
        self.settings = settings
        self.keepsPairs = keepsPairs
        self.blockSize = blockSize
        self.partSize = partSize
        self.sumChunk = sumChunk
        area = prepared.studyArea
        routes = prepared.frame.routes
        let scene = prepared.frame.scene
        let valid = scene.interceptions.indices.filter { prepared.eventCell[$0] != nil }
        let order = valid.sorted { a, b in
            let ea = scene.interceptions[a], eb = scene.interceptions[b]
            if ea.time != eb.time { return ea.time < eb.time }
            let ia = ea.id ?? "", ib = eb.id ?? ""
            if ia != ib { return ia.unicodeScalars.lexicographicallyPrecedes(ib.unicodeScalars) }
            return a < b
        }
        self.order = order
        times = order.map { scene.interceptions[$0].time }
        let points = order.map { prepared.frame.eventPoints[$0] }
        self.points = points
        let B = ForecastSettings.jitterCutoff, bAtt = settings.attributionDistance
        let routes = prepared.frame.routes
        // §9's segment grid, at b_att: every route within b_att of each event, with its distance.
        let index = CorridorIndex(routes: routes, distance: bAtt)
        self.index = index
        var nearest = [Double](repeating: .infinity, count: points.count)
        var isCorridor = [Bool](repeating: false, count: points.count)
        var positions: [Int] = [], starts: [Int] = [], routeOfPair: [Int32] = [], distances: [Double] = []
        var farther: [Int] = []
        if keepsPairs {
            var near = index.routeDistances(points, blockSize: blockSize, partSize: partSize)
            for k in points.indices {
                let pairs = near.range(k)
                if pairs.isEmpty {
                    farther.append(k)
                    continue
                }
                positions.append(k)
                starts.append(pairs.lowerBound)
                isCorridor[k] = true
                let d = near.distance[pairs].min()!
                if d <= B { nearest[k] = d }
            }
            routeOfPair = near.route
            distances = near.distance
            near.distance = []
        } else {
            // The nearest route within b_att only; the lists are made block by block in `forecast`.
            let within = index.nearestWithin(points)
            for k in points.indices {
                let d = within[k]
                guard d.isFinite else {
                    farther.append(k)
                    continue
                }
                positions.append(k)
                isCorridor[k] = true
                if d <= B { nearest[k] = d }
            }
        }
        starts.append(routeOfPair.count)
        // The nearest route of the other events, when it is within B > b_att.
        if B > bAtt {
            let found: [Double?] = try parallelRanges(farther.count, minimumPerWorker: 256) { range in
                range.map { index.nearestDistance(to: points[farther[$0]], within: B) }
            }
            for (k, d) in zip(farther, found) { if let d { nearest[k] = d } }
        }
        self.nearest = nearest
        corridorPositions = positions
        pendingDistances = keepsPairs ? distances : nil
        corridorNear = RouteDistances(start: starts, route: routeOfPair, distance: [])
        corridorPoints = positions.map { points[$0] }
        self.isCorridor = isCorridor
        let parts = routes
        let measures: [(Double, Double)] = try parallelRanges(parts.count, minimumPerWorker: 8) { range in
            let context = try GEOSContext()
            return try range.map { r in
                let line = try Geometry.lines(parts[r], context: context)
                return (try line.length, try line.buffer(by: bAtt, quadrantSegments: 8).area)
            }
        }
        lengths = measures.map(\.0)
        areas = measures.map(\.1)
        let studyArea = prepared.studyArea
        centres = studyArea.cells.map { studyArea.grid.center(of: $0) }
    }

    /// The σ of §13.1 from the events with time ≤ as_of (the first `count` in order).
    func jitter(eventCount count: Int) -> JitterEstimate {
        if case .fixed(let sigma) = settings.jitter {
            return JitterEstimate(sigma: sigma, mixing: nil, distances: 0, rule: "given")
        }
        var histogram = [Int](repeating: 0, count: JitterFit.binCount)
        for k in 0..<count where nearest[k] <= ForecastSettings.jitterCutoff { histogram[JitterFit.bin(nearest[k])] += 1 }
        return JitterFit.fit(histogram: histogram)
    }

    /// Footprints and shares for σ, computed once per σ.
    func perSigma(_ sigma: Double) -> PerSigma {
        // One σ at a time (the distances are consumed by the first).
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[sigma] { return hit }
        let (routes, lengths, area, b) = (routes, lengths, area, settings.attributionDistance)
        let build = { @Sendable in
            FootprintBuilder.build(routes: routes, lengths: lengths, sigma: sigma, area: area, attributionDistance: b)
        }
        guard keepsPairs else {
            let value = PerSigma(footprints: build(), shares: [])
            cache[sigma] = value
            return value
        }
        // The footprints (§13.3) do not depend on the events: built on another thread while the shares' ordered
        // pass (§13.2) holds this one.
        let (footprints, values) = Parallelism.alongside(build) { () -> [Double] in
            var values: [Double]
            if let distances = pendingDistances {
                values = distances
                pendingDistances = nil
            } else {
                values = index.routeDistances(corridorPoints, blockSize: blockSize, partSize: partSize).distance
            }
            Attribution.sharesInPlace(
                times: corridorPositions.map { times[$0] }, near: corridorNear, values: &values, lengths: lengths,
                sigma: sigma, windowDays: settings.attributionWindowDays)
            return values
        }
        let value = PerSigma(footprints: footprints, shares: values)
        cache[sigma] = value
        return value
    }

    /// Route sums are added in fixed chunks of corridor events, each from zero, then merged in chunk
    /// order: the same bits whatever the threads, and whether the pairs are kept or streamed.
    static let defaultSumChunk = 16_384

    private func decay(_ k: Int, asOf: Double) -> Double {
        ForecastSettings.decay(ageDays: (asOf - times[corridorPositions[k]]) / 86400, halfLife: settings.halfLifeDays)
    }

    /// The sums of w_ir from the kept shares, chunks in parallel.
    private func routeWeights(corridorCount: Int, asOf: Double, shares: [Double]) -> RouteRates.WeightSums {
        let chunkSize = sumChunk
        let chunkCount = (corridorCount + chunkSize - 1) / chunkSize
        var partial = [RouteRates.WeightSums?](repeating: nil, count: chunkCount)
        partial.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            parallelForEachChunk(count: corridorCount, chunkSize: chunkSize) { chunk, range in
                var sums = RouteRates.WeightSums(routes: routes.count)
                for k in range {
                    let decay = decay(k, asOf: asOf)
                    let pairs = corridorNear.range(k)
                    sums.add(routes: corridorNear.route[pairs], shares: shares[pairs], decay: decay)
                }
                base[chunk] = sums
            }
        }
        var sums = RouteRates.WeightSums(routes: routes.count)
        for part in partial { sums.merge(part!) }
        return sums
    }

    /// The same sums with the pairs streamed: each block's distances (measured in grid-cell order, then gathered
    /// into parts of `partSize` events in event order: `CorridorIndex.routeDistances`), its shares
    /// (`Attribution.Window`, in order), its weights; a part is dropped once it leaves the window. Alternate blocks
    /// fill two sets of parts, and every block is measured into one set of chunks, in the storage they had: the
    /// pages of the pairs are made once, not once per block (at 1 M events a block's pairs are about 200 MB).
    private func streamedRouteWeights(corridorCount: Int, asOf: Double, sigma: Double) -> RouteRates.WeightSums {
        var window = Attribution.Window(lengths: lengths, sigma: sigma, windowDays: settings.attributionWindowDays)
        var sums = RouteRates.WeightSums(routes: routes.count)
        var chunk = RouteRates.WeightSums(routes: routes.count)
        var spareParts: [[RouteDistances]] = [[], []]
        var measured = CorridorIndex.MeasuredBlock()
        var blockNumber = 0
        var blockStart = 0
        let partSize = self.partSize
        while blockStart < corridorCount {
            let blockEnd = min(corridorCount, blockStart + blockSize)
            // Taken out of the spares, so that the parts the window has let go of are held once and refilled
            // in place (one still in the window is copied on write).
            var near = spareParts[blockNumber % 2]
            spareParts[blockNumber % 2] = []
            index.routeDistances(corridorPoints, blockStart..<blockEnd, partSize: partSize, into: &near, block: &measured)
            // The kernels of the distances in parallel, then the shares in order.
            let twoSigma2 = 2 * sigma * sigma
            near.withUnsafeMutableBufferPointer { parts in
                let parts = parts.baseAddress!
                parallelForEachChunk(count: blockEnd - blockStart, chunkSize: partSize) { p, _ in
                    parts[p].distance.withUnsafeMutableBufferPointer { values in
                        for j in values.indices { values[j] = Attribution.kernel(values[j], twoSigma2: twoSigma2) }
                    }
                }
            }
            for p in near.indices {
                let lo = blockStart + p * partSize, hi = min(blockEnd, lo + partSize)
                window.attribute(times: (lo..<hi).map { times[corridorPositions[$0]] }, kernels: &near[p])
            }
            // The block's pieces of the sum chunks (c = sumChunk events each), summed in parallel: the first
            // continues the chunk carried from the block before when the block starts inside it. Complete
            // chunks are merged in order; an unfinished last one is carried on.
            let c = sumChunk
            let firstChunk = blockStart / c, lastChunk = (blockEnd - 1) / c
            var parts = (firstChunk...lastChunk).map { j in
                j == firstChunk && blockStart % c != 0 ? chunk : RouteRates.WeightSums(routes: routes.count)
            }
            near.withUnsafeBufferPointer { near in
            parts.withUnsafeMutableBufferPointer { parts in
                let parts = parts.baseAddress!
                parallelForEachChunk(count: lastChunk - firstChunk + 1, chunkSize: 1) { p, _ in
                    let j = firstChunk + p
                    for k in Swift.max(j * c, blockStart)..<Swift.min((j + 1) * c, blockEnd) {
                        let decay = decay(k, asOf: asOf)
                        let (part, i) = (k - blockStart).quotientAndRemainder(dividingBy: partSize)
                        let pairs = near[part].range(i)
                        parts[p].add(routes: near[part].route[pairs], shares: near[part].distance[pairs], decay: decay)
                    }
                }
            }}
            for (p, part) in parts.enumerated() {
                let end = Swift.min((firstChunk + p + 1) * c, corridorCount)
                if Swift.min((firstChunk + p + 1) * c, blockEnd) == end {
                    sums.merge(part)
                } else {
                    chunk = part
                }
            }
            spareParts[blockNumber % 2] = near
            blockNumber += 1
            blockStart = blockEnd
        }
        return sums
    }

    /// The number of events with time ≤ t in `order` (binary search).
    func count(atOrBefore t: Double) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func forecast(asOf: Double) -> Forecast {
        let n = area.count
        let used = count(atOrBefore: asOf)
        let jitter = self.jitter(eventCount: used)
        let span = used > 0 ? (asOf - times[0]) / 86400 : 0
        let exposure = ForecastSettings.exposure(spanDays: span, halfLife: settings.halfLifeDays)
        let backgroundExposure = ForecastSettings.exposure(spanDays: span, halfLife: settings.backgroundHalfLifeDays)
        let corridorCount = { () -> Int in
            var lo = 0, hi = corridorPositions.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if corridorPositions[mid] < used { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }()
        func zero(_ note: String) -> Forecast {
            Forecast(
                asOf: asOf, settings: settings, perDay: [Double](repeating: 0, count: n), expected: [Double](repeating: 0, count: n),
                routePerDay: [Double](repeating: 0, count: routes.count), routeExpectedNext: [Double](repeating: 0, count: routes.count),
                jitter: jitter, routeShare: nil, events: used, corridorEvents: corridorCount,
                backgroundEvents: used - corridorCount, exposureDays: exposure, backgroundExposureDays: backgroundExposure,
                kappa: nil, note: note)
        }
        guard used > 0 else { return zero("no valid study-area interception at or before as_of: the forecast is 0 everywhere") }
        guard exposure > 0, backgroundExposure > 0 else {
            return zero("D = 0 (as_of is the time of the earliest interception): the forecast is 0 everywhere")
        }
        // §13.4: w_ir = share_ir · 2^(−a_i/H) over the corridor events with time ≤ as_of, summed per route.
        let sigmaData: PerSigma, sums: RouteRates.WeightSums
        if keepsPairs {
            sigmaData = perSigma(jitter.sigma)
            sums = routeWeights(corridorCount: corridorCount, asOf: asOf, shares: sigmaData.shares)
        } else {
            // The footprints on another thread while the pairs stream through the attribution, whose ordered
            // pass leaves a core idle.
            let sigma = jitter.sigma
            (sigmaData, sums) = Parallelism.alongside({ self.perSigma(sigma) }) {
                streamedRouteWeights(corridorCount: corridorCount, asOf: asOf, sigma: sigma)
            }
        }
        let footprints = sigmaData.footprints
        let rates = RouteRates.compute(
            sums: sums, areas: areas, corridorShares: footprints.map(\.corridorShare), exposureDays: exposure)
        // §13.5: the background from the events that are not corridor events.
        var bgPoints: [PlanarPoint] = [], bgWeights: [Double] = []
        for k in 0..<used where !isCorridor[k] {
            bgPoints.append(points[k])
            bgWeights.append(ForecastSettings.decay(ageDays: (asOf - times[k]) / 86400, halfLife: settings.backgroundHalfLifeDays))
        }
        var lambda = Background.perDay(
            points: bgPoints, weights: bgWeights, bandwidth: settings.backgroundBandwidth, centres: centres,
            cellArea: area.grid.cellArea, exposureDays: backgroundExposure)
        // §13.6: λ(c) = Σ_r ρ_r φ_r(c) + λ_bg(c), routes in layer order.
        var routeMass = 0.0
        for (r, f) in footprints.enumerated() where rates.perDay[r] > 0 {
            let rho = rates.perDay[r]
            for (c, m) in zip(f.cells, f.mass) { lambda[Int(c)] += rho * m }
            routeMass += rho * f.total
        }
        let total = lambda.reduce(0, +)
        let horizon = settings.horizonDays
        return Forecast(
            asOf: asOf, settings: settings, perDay: lambda, expected: lambda.map { $0 * horizon },
            routePerDay: rates.perDay, routeExpectedNext: rates.perDay.map { $0 * horizon }, jitter: jitter,
            routeShare: total > 0 ? routeMass / total : nil, events: used, corridorEvents: corridorCount,
            backgroundEvents: bgPoints.count, exposureDays: exposure, backgroundExposureDays: backgroundExposure,
            kappa: rates.kappa, note: nil)
    }
}

import Foundation

/// One study-area cell's results (MODEL §5, §6, §11).
public struct CellScore: Sendable {
    public let coordinate: HexCoordinate
    public let events: Int
    public let weight: Double
    /// λ in weighted events per km².
    public let intensityKm2: Double
    public let giZ: Double
    public let giP: Double
    public let giBin: Int
    /// Two-sided conditional-randomisation p (`--permutations`), else nil.
    public let giPSim: Double?
    /// MODEL §8 category, when the emerging analysis ran.
    public let emerging: EmergingCategory?
    /// MODEL §13 `forecast`: expected events over the horizon.
    public var forecast: Double = 0
}

/// How the interceptions read were used (MODEL §4: read = used + skipped + outside_window + outside_study_area).
public struct InterceptionUse: Sendable, Codable, Equatable {
    public var read = 0
    public var used = 0
    public var skipped = 0
    public var outsideWindow = 0
    public var outsideStudyArea = 0
}

/// Everything one run of the model produced.
public struct ScoreResult: Sendable {
    public let options: ScoreOptions
    public let projection: WorkingProjection
    public let grid: HexGrid
    public let studyArea: StudyArea
    public let asOf: Double
    public let windowStart: Double?
    public let bandwidth: BandwidthChoice
    public let band: Double
    /// How `--band auto` chose the band, nil for a given or default band.
    public let bandChoice: BandChoice?
    /// Whether the emerging hot-spot analysis (MODEL §8) ran.
    public let emergingRan: Bool
    /// One entry per study-area cell, in (q, r) order.
    public let cells: [CellScore]
    /// In rank order.
    public let routes: [RouteScore]
    public let scene: Scene
    public let interceptionUse: InterceptionUse
    /// Σ w_i / A, weighted events per km².
    public let backgroundIntensityKm2: Double
    /// Monthly series bounds (month indices), nil when no event was used.
    public let months: ClosedRange<Int>?
    public let stages: [(name: String, seconds: Double)]
    /// MODEL §13's forecast as of `asOf`.
    public var forecast: Forecast? = nil
}

/// Receives stage names as a run goes (for progress on a terminal).
public typealias ProgressHandler = (_ stage: String, _ finished: Bool, _ seconds: Double) -> Void

/// Times the stages of a run (`summary.json` `stages_s`) and reports them as they go.
public final class StageClock {
    public private(set) var stages: [(name: String, seconds: Double)] = []
    /// The process's peak resident memory (bytes) when each stage ended, for `make bench`.
    public private(set) var peakMemory: [Int] = []
    /// The CPU seconds (user + system, every thread) each stage took: against its wall seconds, how many cores it kept busy.
    public private(set) var cpuSeconds: [Double] = []
    let progress: ProgressHandler?

    public init(progress: ProgressHandler? = nil) { self.progress = progress }

    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        progress?(name, false, 0)
        FaultInjection.pause(at: name)
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.processCPUSeconds()
        let value = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        stages.append((name, seconds))
        cpuSeconds.append(Self.processCPUSeconds() - cpuStart)
        peakMemory.append(Self.peakResidentBytes())
        progress?(name, true, seconds)
        return value
    }

    /// User + system seconds of the whole process so far (`getrusage(RUSAGE_SELF)`: every thread).
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// `VmHWM` of /proc/self/status (Linux), 0 where it is not available.
    public static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }
}

/// One run of the model: a validated scene and options in, scores out (MODEL §2–§7, §9).
public struct ScoreRun {
    public let options: ScoreOptions

    public init(options: ScoreOptions) {
        self.options = options
    }

    /// Loads the scene; stops with `RunError.badData` on any problem unless `skipInvalid`.
    public func loadScene() throws -> Scene {
        let scene = try SceneLoader(now: options.now, inputCRS: options.inputCRS).load(options.layers)
        if !scene.problems.isEmpty && !options.skipInvalid {
            throw RunError.badData(scene.problems.map(\.description))
        }
        return scene
    }

    public func run(clock: StageClock = StageClock()) throws -> ScoreResult {
        Parallelism.threadCount = options.resolvedThreads
        let scene = try clock.measure("load") { try loadScene() }
        var prepared = try PreparedScene(scene: scene, options: options, clock: clock)
        return try score(&prepared, clock: clock)
    }

    /// Scores a prepared scene as of `options.asOf` (MODEL §3–§7, §9, §13). The routes' corridor events are
    /// let go of after §9, before §13's forecast (which does not read them): its pairs then never share the
    /// memory with them (656 MB at 1 M events).
    func score(_ prepared: inout PreparedScene, clock: StageClock) throws -> ScoreResult {
        let studyArea = prepared.studyArea
        let fit = clock.measure("kernel density") { ModelFit(prepared: prepared, options: options) }
        let selection = fit.selection

        // §6 Gi* over the cell sums.
        var cellWeight = [Double](repeating: 0, count: studyArea.count)
        var cellEvents = [Int](repeating: 0, count: studyArea.count)
        for i in selection.used {
            let c = prepared.eventCell[i]!
            cellWeight[c] += selection.weights[i]
            cellEvents[c] += 1
        }
        let centres = studyArea.cells.map { studyArea.grid.center(of: $0) }
        let bandChoice: BandChoice? = options.bandAuto
            ? clock.measure("band") {
                incrementalSpatialAutocorrelationBand(centres: centres, values: cellWeight, cellSize: options.cellSize)
            } : nil
        let band = bandChoice?.band ?? options.effectiveBand
        let spatial = clock.measure("weights") { HexNeighbours.distanceBand(studyArea, band: band) }
        let (gi, bins) = clock.measure("gi*") { () -> (GiStarResult, [Int]) in
            let gi = getisOrdGiStar(cellWeight, weights: spatial)
            // Benjamini–Hochberg through the p ≤ 0.10 only (`giBinLevels`, equal to `giBins`: SpaceTimeGiStarTests).
            return (gi, giBinLevels(z: gi.z, p: gi.p).map(Int.init))
        }
        let pSim: [Double]? = options.permutations > 0
            ? clock.measure("permutations") {
                getisOrdGiStarPermutationP(cellWeight, weights: spatial, permutations: options.permutations, seed: options.seed)
            } : nil

        // §8 emerging hot spots over the monthly cube of raw counts.
        let months = selection.months
        let runEmerging = options.emerging && (months?.count ?? 0) >= ScoreOptions.emergingMinimumMonths
        let cellEmerging: [EmergingCategory]? = runEmerging
            ? clock.measure("emerging") {
                // The cube of raw counts kept sparse (no array of cells × months).
                let events = prepared.frame.scene.interceptions
                let cube = SparseSpaceTimeCounts(
                    cellCount: studyArea.count, binCount: months!.count,
                    eventCells: selection.used.map { prepared.eventCell[$0]! },
                    eventBins: selection.used.map { Timestamp.monthIndex(events[$0].time) - months!.lowerBound })
                return sparseEmergingHotSpots(cube, spatial: spatial, timeNeighbours: options.timeNeighbours)
            } : nil
        // §9 routes.
        var routes = clock.measure("routes") {
            RouteScoring(prepared: prepared, selection: selection, density: fit.density, options: options)
                .run(emerging: runEmerging)
        }
        prepared.releaseCorridorEvents()
        // §13 the route-aware forecast (all history up to as_of; §3's window and weights do not apply).
        let forecast = try clock.measure("forecast") {
            try routeAwareForecast(prepared: prepared, asOf: selection.asOf, options: options)
        }
        let cells = (0..<studyArea.count).map { j in
            CellScore(
                coordinate: studyArea.cells[j], events: cellEvents[j], weight: cellWeight[j],
                intensityKm2: fit.intensity[j] * 1e6, giZ: gi.z[j], giP: gi.p[j], giBin: bins[j],
                giPSim: pSim?[j], emerging: cellEmerging?[j], forecast: forecast.expected[j])
        }

        // Keyed by code points: ids compare by Unicode code point (MODEL §1), Swift's String by canonical equivalence.
        func codePoints(_ id: String) -> [UInt32] { id.unicodeScalars.map(\.value) }
        let routeIndex = Dictionary(uniqueKeysWithValues: prepared.frame.scene.routes.enumerated().map { (codePoints($1.id), $0) })
        for i in routes.indices {
            let next = forecast.routeExpectedNext[routeIndex[codePoints(routes[i].id)]!]
            routes[i].expectedNext = next
            routes[i].explanation += "; " + Explanation.forecastText(next, horizonDays: options.forecast.horizonDays)
        }
        let totalWeight = selection.used.reduce(0.0) { $0 + selection.weights[$1] }
        return ScoreResult(
            options: options, projection: prepared.frame.projection, grid: prepared.frame.grid, studyArea: studyArea,
            asOf: selection.asOf, windowStart: selection.windowStart, bandwidth: fit.bandwidth, band: band,
            bandChoice: bandChoice, emergingRan: runEmerging,
            cells: cells, routes: routes, scene: prepared.frame.scene, interceptionUse: selection.use,
            backgroundIntensityKm2: totalWeight / studyArea.area * 1e6, months: selection.months,
            stages: clock.stages, forecast: forecast)
    }
}

/// The part of a run that does not depend on the events' times or weights: the projected
/// scene, the study area, each event's cell, and each route's geometry with the study-area
/// events in its corridor. Built once; `score` and every replay step fit from it.
struct PreparedScene {
    let frame: ProjectedScene
    let studyArea: StudyArea
    /// Study-area cell of each interception (file order), nil outside.
    let eventCell: [Int?]
    /// Per route; `eventIndices` index `scene.interceptions` (study-area events only).
    private(set) var routeFacts: [RouteGeometryFacts]
    /// Calendar month index (`Timestamp.monthIndex`) of each interception (file order).
    let eventMonth: [Int]
    /// Each interception's time and persons (file order), flat: every replay step reads them all, and an
    /// `Interception` copy retains its strings.
    let eventTime: [Double]
    let eventPersons: [Int]
    /// Every interception's index, sorted by (time, id, file order) (MODEL §5's sample order;
    /// a missing id sorts as the empty string).
    let timeIdOrder: [Int]

    init(scene: Scene, options: ScoreOptions, clock: StageClock) throws {
        let frame = try clock.measure("project") { try ProjectedScene(scene: scene, options: options) }
        let studyArea = try clock.measure("study area") {
            try StudyArea.build(
                grid: frame.grid, lines: frame.coastline + frame.borders + frame.routes.flatMap { $0 }, reach: options.reach)
        }
        guard studyArea.count > 0 else {
            throw RunError.unusable(["the study area is empty: no coastline, border or route line in the scene"])
        }
        let eventCell = frame.eventPoints.map { studyArea.cellIndex(containing: $0) }
        let candidates = eventCell.indices.filter { eventCell[$0] != nil }
        let facts = try clock.measure("route geometry") {
            try RouteGeometryAnalysis(
                routes: frame.routes, events: candidates.map { frame.eventPoints[$0] }, eventNumbers: candidates,
                borders: LinePieces(frame.borders), coastline: LinePieces(frame.coastline),
                corridor: options.corridor, sampleStep: options.cellSize / 2
            ).run()
        }
        self.frame = frame
        self.studyArea = studyArea
        self.eventCell = eventCell
        eventTime = scene.interceptions.map(\.time)
        eventPersons = scene.interceptions.map(\.persons)
        eventMonth = eventTime.map { Timestamp.monthIndex($0) }
        let events = scene.interceptions
        timeIdOrder = events.indices.sorted { a, b in
            let ea = events[a], eb = events[b]
            if ea.time != eb.time { return ea.time < eb.time }
            let ia = ea.id ?? "", ib = eb.id ?? ""
            if ia != ib { return ia.unicodeScalars.lexicographicallyPrecedes(ib.unicodeScalars) }
            return a < b
        }
        // The analysis numbers the events by their interception index (`eventNumbers`).
        routeFacts = facts
    }

    /// Lets go of every route's corridor events (`eventIndices`, then empty), the largest arrays of a run
    /// (164 M indices at 1 M events), once nothing reads them: `score` after §9's routes.
    mutating func releaseCorridorEvents() {
        for r in routeFacts.indices { routeFacts[r].eventIndices = [] }
    }
}

/// The model fitted as of one time (MODEL §3, §5): the events used, their weights, the
/// bandwidth and the kernel density at every cell centre.
struct ModelFit {
    let selection: EventSelection
    let bandwidth: BandwidthChoice
    let density: KernelDensity
    /// λ per m² at each study-area cell centre.
    let intensity: [Double]

    /// `centres`: the study-area cell centres, when the caller has them (a replay makes them once for every step).
    init(prepared: PreparedScene, options: ScoreOptions, centres: [PlanarPoint]? = nil) {
        let points = prepared.frame.eventPoints
        let selection = EventSelection(prepared: prepared, options: options)
        let used = selection.used
        // The events used in (time, id) order: the scene's order, filtered (the key is total).
        let sorted = prepared.timeIdOrder.filter { selection.isUsed[$0] }
        let usedPoints = used.map { points[$0] }
        bandwidth = chooseBandwidth(
            method: options.bandwidth, points: usedPoints,
            sampleSortedForCV: thinnedSample(sorted).map { points[$0] },
            cellSize: options.cellSize, studyArea: prepared.studyArea.area)
        density = KernelDensity(points: usedPoints, weights: used.map { selection.weights[$0] }, bandwidth: bandwidth.bandwidth)
        intensity = density.intensities(at: centres ?? prepared.studyArea.cells.map { prepared.studyArea.grid.center(of: $0) })
        self.selection = selection
    }
}

/// The scene in the working projection (MODEL §2), with its hex grid (§4).
struct ProjectedScene {
    let scene: Scene
    let projection: WorkingProjection
    let grid: HexGrid
    let coastline: [[PlanarPoint]]
    let borders: [[PlanarPoint]]
    /// One entry per route: its parts.
    let routes: [[[PlanarPoint]]]
    let posts: [(position: PlanarPoint, kind: PostKind)]
    /// One entry per interception, in file order.
    let eventPoints: [PlanarPoint]

    init(scene: Scene, options: ScoreOptions) throws {
        self.scene = scene
        // The geography's points in the order they are projected (coastline, borders, routes, posts).
        let coastParts = scene.coastline.flatMap(\.parts), borderParts = scene.borders.flatMap(\.parts)
        let geography: [PlanarPoint] = Array(coastParts.joined()) + Array(borderParts.joined())
            + scene.routes.flatMap { Array($0.line.parts.joined()) } + scene.posts.map(\.position)
        guard !geography.isEmpty else { throw RunError.unusable(["the scene has no geography (coastline, borders, posts, routes)"]) }
        if options.crs.lowercased() == "auto" {
            let lons = geography.map(\.x), lats = geography.map(\.y)
            projection = .automatic(lonMin: lons.min()!, latMin: lats.min()!, lonMax: lons.max()!, latMax: lats.max()!)
        } else {
            do { try CRSInspector.requireProjected(options.crs) } catch let e as ProjectionError {
                throw RunError.usage("--crs: \(e.description)")
            }
            projection = .user(options.crs)
        }
        let transformer: CoordinateTransformer
        do {
            transformer = try CoordinateTransformer(from: "EPSG:4326", to: projection.definition)
        } catch let e as ProjectionError {
            throw RunError.usage("--crs: \(e.description)")
        }
        // The geography, then the interceptions (the order the first point PROJ cannot transform is named in),
        // transformed on every core, then cut back into its lines.
        let projected = try CoordinateTransformer.transformedInParallel(
            geography + scene.interceptions.map { PlanarPoint(x: $0.lon, y: $0.lat) }, with: transformer)
        var at = 0
        func take(_ count: Int) -> [PlanarPoint] {
            defer { at += count }
            return Array(projected[at..<(at + count)])
        }
        coastline = coastParts.map { take($0.count) }
        borders = borderParts.map { take($0.count) }
        routes = scene.routes.map { $0.line.parts.map { take($0.count) } }
        let postPoints = take(scene.posts.count)
        posts = zip(postPoints, scene.posts).map { ($0, $1.kind) }
        eventPoints = take(scene.interceptions.count)
        let projectedGeography = projected[..<geography.count]
        let minX = projectedGeography.map(\.x).min()!, minY = projectedGeography.map(\.y).min()!
        grid = HexGrid(cellSize: options.cellSize, envelopeMinX: minX, envelopeMinY: minY)
    }
}

/// The events a run uses (MODEL §3, §4): inside [as_of − window, as_of] and the study area.
struct EventSelection {
    let asOf: Double
    let windowStart: Double?
    /// Indices into `scene.interceptions` of the events used, in file order.
    let used: [Int]
    /// Whether each interception is used.
    let isUsed: [Bool]
    /// w_i per interception (0 for those not used).
    let weights: [Double]
    let use: InterceptionUse
    /// First and last month of the monthly series (§7).
    let months: ClosedRange<Int>?

    init(prepared: PreparedScene, options: ScoreOptions) {
        let times = prepared.eventTime, persons = prepared.eventPersons
        let asOf = options.asOf ?? times.max() ?? options.now
        let windowStart = options.windowDays.map { asOf - $0 * 86400 }
        var use = InterceptionUse()
        let counts = prepared.frame.scene.counts[.interceptions] ?? LayerCount()
        use.read = counts.read
        use.skipped = counts.read - times.count
        var used: [Int] = []
        var isUsed = [Bool](repeating: false, count: times.count)
        var weights = [Double](repeating: 0, count: times.count)
        for i in times.indices {
            let time = times[i]
            if time > asOf || (windowStart.map { time < $0 } ?? false) {
                use.outsideWindow += 1
                continue
            }
            guard prepared.eventCell[i] != nil else {
                use.outsideStudyArea += 1
                continue
            }
            used.append(i)
            isUsed[i] = true
            let ageDays = (asOf - time) / 86400
            let m = options.weighting == .persons ? Double(persons[i]) : 1
            weights[i] = options.halfLifeDays.map { m * pow(2, -ageDays / $0) } ?? m
        }
        use.used = used.count
        self.asOf = asOf
        self.windowStart = windowStart
        self.used = used
        self.isUsed = isUsed
        self.weights = weights
        self.use = use
        if let windowStart {
            months = Timestamp.monthIndex(windowStart)...Timestamp.monthIndex(asOf)
        } else if let first = used.map({ times[$0] }).min() {
            months = Timestamp.monthIndex(first)...Timestamp.monthIndex(asOf)
        } else {
            months = nil
        }
    }
}

/// The binary distance-band weights of MODEL §6 among study-area cells, by grid arithmetic.
enum HexNeighbours {
    static func distanceBand(_ area: StudyArea, band: Double) -> SpatialWeights {
        area.distanceBandWeights(band: band)
    }
}

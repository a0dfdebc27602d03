import Foundation

/// Route scores (MODEL §9): corridor counts, empirical-Bayes risk, Poisson p, class,
/// evasion, trend, mean intensity and the explanation, in rank order.
struct RouteScoring {
    let prepared: PreparedScene
    let selection: EventSelection
    let density: KernelDensity
    let options: ScoreOptions

    func run(emerging: Bool = false) -> [RouteScore] {
        let scene = prepared.frame.scene
        let frame = prepared.frame
        let facts = prepared.routeFacts
        // Per route, over the used events of its corridor (no filtered copy of the lists): n_r (an
        // event not used weighs 0, and x + 0 = x, so every corridor event is summed in order), k_r,
        // persons and the monthly counts (§7, §8) from each event's month (computed once per scene).
        // What the tally reads of each event, side by side (one cache line per (route, event) pair, 164 M of
        // them at 1 M events, instead of four arrays and the ~100-byte `Interception`): its weight, persons, and
        // month offset (−1: not used; 0 when there are no months).
        let months = selection.months
        let tallied = EventTallies(selection: selection, persons: prepared.eventPersons,
                                   eventMonth: prepared.eventMonth)
        // Routes in parallel, each worker's routes window by window of events (`EventWindows`).
        let tallies = try! parallelRanges(facts.count, minimumPerWorker: 64) { range in
            tallied.events.withUnsafeBufferPointer { events in
                let monthCount = months?.count ?? 0
                var n = [Double](repeating: 0, count: range.count)
                var k = [Int](repeating: 0, count: range.count), persons = [Int](repeating: 0, count: range.count)
                var monthly = [Int](repeating: 0, count: range.count * monthCount)
                n.withUnsafeMutableBufferPointer { n in
                k.withUnsafeMutableBufferPointer { k in
                persons.withUnsafeMutableBufferPointer { persons in
                monthly.withUnsafeMutableBufferPointer { monthly in
                    EventWindows.forEachRun(facts, routes: range, eventCount: events.count) { j, run in
                        // The route's sums carried in registers over its run.
                        var sum = n[j], count = k[j], people = persons[j]
                        for e in run {
                            let event = events[Int(e)]
                            sum += event.weight
                            guard event.month >= 0 else { continue }
                            count += 1
                            people += event.persons
                            if monthCount > 0 { monthly[j * monthCount + Int(event.month)] += 1 }
                        }
                        (n[j], k[j], persons[j]) = (sum, count, people)
                    }
                }}}}
                return (0..<range.count).map { j -> (n: Double, k: Int, persons: Int, monthly: [Int]?) in
                    (n[j], k[j], persons[j], months == nil ? nil : Array(monthly[(j * monthCount)..<((j + 1) * monthCount)]))
                }
            }
        }
        let n = tallies.map(\.n)
        let k = tallies.map(\.k)
        let areas = facts.map(\.corridorArea)
        let totalArea = areas.reduce(0, +)
        // Baseline: the average route corridor, Λ = Σn / ΣA; E_r = Λ·A_r.
        let lambda = n.reduce(0, +) / totalArea
        let expected = areas.map { lambda * $0 }
        let risk: [Double]? = lambda > 0 ? empiricalBayesRisk(observed: n, expected: expected) : nil
        // Significance on raw counts: E⁰_r = (Σk / ΣA)·A_r.
        let rawRate = Double(k.reduce(0, +)) / totalArea
        // One parallel KDE pass over every route's samples, then split per route.
        let allSamples = density.intensities(at: facts.flatMap(\.intensitySamples))
        var intensities: [ArraySlice<Double>] = []
        var offset = 0
        for f in facts {
            intensities.append(allSamples[offset..<(offset + f.intensitySamples.count)])
            offset += f.intensitySamples.count
        }
        let period = Explanation.period(windowDays: options.windowDays, firstMonth: selection.months?.lowerBound)

        let monthly: [[Int]]? = months == nil ? nil : tallies.map { $0.monthly! }
        // §8 for routes: the same categories from monthly corridor counts against the average route.
        var routeEmerging: [EmergingCategory]? = nil
        if emerging, let monthly {
            routeEmerging = routeEmergingCategories(monthlyCounts: monthly, corridorAreas: areas)
        }
        // `--share`: the routes whose counts the shared outputs withhold (docs/PRIVACY.md).
        let withheld = options.share.map { SharedFeatures.rowsToWithhold($0, counts: k, keys: scene.routes.map(\.id)) } ?? []
        // Each route's score depends on its own facts only: in parallel, concatenated in route order
        // (the body throws nothing).
        var scores: [RouteScore] = try! parallelRanges(scene.routes.count, minimumPerWorker: 64) { range in
            range.map { r -> RouteScore in
                let route = scene.routes[r]
                let f = facts[r]
                let p = k[r] == 0 ? 1 : poissonUpperTail(atLeast: k[r], mean: rawRate * areas[r])
                let riskValue = risk?[r]
                let ratio = lambda > 0 ? n[r] / expected[r] : nil
                let riskClass = RiskClass.classify(risk: riskValue, p: p)
                let evasion = Evasion.measure(crossings: f.crossings, landings: f.landings, posts: frame.posts)
                let persons = tallies[r].persons
                // Mann–Kendall on the route's monthly raw counts (MODEL §7).
                let trend = monthly.flatMap { mannKendall($0[r].map(Double.init)) }
                let samples = intensities[r]
                let meanIntensity = samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count) * 1e6
                let postName = evasion.map { scene.posts[$0.postIndex].name }
                let explanation = Explanation.sentence(Explanation.Facts(
                    events: k[r], persons: persons, corridorKm: options.corridor / 1000, period: period,
                    rateRatio: ratio, risk: riskValue, riskClass: riskClass, crossings: f.crossings.count,
                    landings: f.landings.count, evasionKm: evasion.map { $0.distance / 1000 },
                    evasionIsCrossing: evasion?.isCrossing ?? false, nearestPost: postName,
                    trend: trend?.trend ?? .none, trendP: trend?.p, emerging: routeEmerging?[r],
                    share: options.share, withheld: withheld.contains(r)))
                return RouteScore(
                    id: route.id, name: route.name, rank: 0, risk: riskValue, riskClass: riskClass,
                    events: k[r], weight: n[r], persons: persons, expected: expected[r], rateRatio: ratio,
                    pValue: p, lengthKm: f.length / 1000, corridorKm2: areas[r] / 1e6,
                    evasionKm: evasion.map { $0.distance / 1000 }, nearestPost: postName,
                    crossings: f.crossings.count, landings: f.landings.count, trend: trend?.trend ?? .none,
                    trendP: trend?.p, senSlope: trend?.senSlope, meanIntensityKm2: meanIntensity,
                    explanation: explanation, emerging: routeEmerging?[r], line: route.line)
            }
        }
        scores.sort { Self.ranksBefore($0.risk, $0.id, $1.risk, $1.id) }
        for i in scores.indices { scores[i].rank = i + 1 }
        return scores
    }

    /// Rank by risk descending, ties by id (Unicode code points); no risk: by id. Ids are unique, so
    /// the order is total.
    static func ranksBefore(_ riskA: Double?, _ idA: String, _ riskB: Double?, _ idB: String) -> Bool {
        if let ra = riskA, let rb = riskB, ra != rb { return ra > rb }
        return idA.unicodeScalars.lexicographicallyPrecedes(idB.unicodeScalars)
    }

    /// The route indices (into `scene.routes`) of the first `count` ranks of `run()`, from the risk
    /// alone (MODEL §9: the replay's top routes need no intensity, trend or explanation).
    func topRoutes(_ count: Int) -> [Int] {
        // n_r as in run(): the weights of events not used are 0, and x + 0 = x, so summing over every
        // corridor event in the same ascending order gives the same n_r without filtering.
        let weights = selection.weights
        // Each route's sum in its own order, routes in parallel (a replay asks at every step).
        let facts = prepared.routeFacts
        let n = try! parallelRanges(facts.count, minimumPerWorker: 64) { range in
            weights.withUnsafeBufferPointer { w in
                var n = [Double](repeating: 0, count: range.count)
                n.withUnsafeMutableBufferPointer { n in
                    EventWindows.forEachRun(facts, routes: range, eventCount: w.count) { j, run in
                        var sum = n[j]
                        for e in run { sum += w[Int(e)] }
                        n[j] = sum
                    }
                }
                return n
            }
        }
        let areas = facts.map(\.corridorArea)
        let lambda = n.reduce(0, +) / areas.reduce(0, +)
        let expected = areas.map { lambda * $0 }
        let risk: [Double]? = lambda > 0 ? empiricalBayesRisk(observed: n, expected: expected) : nil
        let routes = prepared.frame.scene.routes
        let order = routes.indices.sorted { a, b in
            Self.ranksBefore(risk?[a], routes[a].id, risk?[b], routes[b].id)
        }
        return Array(order.prefix(count))
    }
}

/// The per-event facts that route tallies read (MODEL §7–§9), one record per event.
struct EventTallies {
    struct Event {
        /// w_i (0 for an event not used).
        var weight: Double
        var persons: Int
        /// The month's offset from the first month; −1 for an event not used, 0 when there are no months.
        var month: Int32
    }

    let events: [Event]

    init(selection: EventSelection, persons: [Int], eventMonth: [Int]) {
        let first = selection.months?.lowerBound
        events = persons.indices.map { i in
            Event(weight: selection.weights[i], persons: persons[i],
                  month: !selection.isUsed[i] ? -1 : first.map { Int32(eventMonth[i] - $0) } ?? 0)
        }
    }
}

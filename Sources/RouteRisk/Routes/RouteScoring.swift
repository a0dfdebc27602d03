import Foundation

/// Route scores (MODEL §9): corridor counts, empirical-Bayes risk, Poisson p, class,
/// evasion, trend, mean intensity and the explanation, in rank order.
struct RouteScoring {
    let prepared: PreparedScene
    let selection: EventSelection
    let density: KernelDensity
    let options: ScoreOptions

    /// The events used within the corridor of each route (indices into `scene.interceptions`).
    static func eventsOnRoutes(_ prepared: PreparedScene, _ selection: EventSelection) -> [[Int]] {
        prepared.routeFacts.map { $0.eventIndices.filter { selection.isUsed[$0] } }
    }

    func run(emerging: Bool = false) -> [RouteScore] {
        let scene = prepared.frame.scene
        let frame = prepared.frame
        let facts = prepared.routeFacts
        let onRoute = Self.eventsOnRoutes(prepared, selection)
        let n = onRoute.map { $0.reduce(0.0) { $0 + selection.weights[$1] } }
        let k = onRoute.map(\.count)
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

        // §8 for routes: the same categories from monthly corridor counts against the average route.
        var routeEmerging: [EmergingCategory]? = nil
        if emerging, let months = selection.months {
            let table = onRoute.map { events -> [Int] in
                var row = [Int](repeating: 0, count: months.count)
                for i in events { row[Timestamp.monthIndex(scene.interceptions[i].time) - months.lowerBound] += 1 }
                return row
            }
            routeEmerging = routeEmergingCategories(monthlyCounts: table, corridorAreas: areas)
        }
        var scores: [RouteScore] = []
        for (r, route) in scene.routes.enumerated() {
            let f = facts[r]
            let p = k[r] == 0 ? 1 : poissonUpperTail(atLeast: k[r], mean: rawRate * areas[r])
            let riskValue = risk?[r]
            let ratio = lambda > 0 ? n[r] / expected[r] : nil
            let riskClass = RiskClass.classify(risk: riskValue, p: p)
            let evasion = Evasion.measure(crossings: f.crossings, landings: f.landings, posts: frame.posts)
            let persons = onRoute[r].reduce(0) { $0 + scene.interceptions[$1].persons }
            let trend = monthlyTrend(onRoute[r])
            let samples = intensities[r]
            let meanIntensity = samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count) * 1e6
            let postName = evasion.map { scene.posts[$0.postIndex].name }
            let explanation = Explanation.sentence(Explanation.Facts(
                events: k[r], persons: persons, corridorKm: options.corridor / 1000, period: period,
                rateRatio: ratio, risk: riskValue, riskClass: riskClass, crossings: f.crossings.count,
                landings: f.landings.count, evasionKm: evasion.map { $0.distance / 1000 },
                evasionIsCrossing: evasion?.isCrossing ?? false, nearestPost: postName,
                trend: trend?.trend ?? .none, trendP: trend?.p, emerging: routeEmerging?[r]))
            scores.append(RouteScore(
                id: route.id, name: route.name, rank: 0, risk: riskValue, riskClass: riskClass,
                events: k[r], weight: n[r], persons: persons, expected: expected[r], rateRatio: ratio,
                pValue: p, lengthKm: f.length / 1000, corridorKm2: areas[r] / 1e6,
                evasionKm: evasion.map { $0.distance / 1000 }, nearestPost: postName,
                crossings: f.crossings.count, landings: f.landings.count, trend: trend?.trend ?? .none,
                trendP: trend?.p, senSlope: trend?.senSlope, meanIntensityKm2: meanIntensity,
                explanation: explanation, emerging: routeEmerging?[r], line: route.line))
        }
        // Rank by risk descending, ties by id (Unicode code points); no risk: by id.
        scores.sort { a, b in
            if let ra = a.risk, let rb = b.risk, ra != rb { return ra > rb }
            return a.id.unicodeScalars.lexicographicallyPrecedes(b.id.unicodeScalars)
        }
        for i in scores.indices { scores[i].rank = i + 1 }
        return scores
    }

    /// Mann–Kendall on the route's monthly raw counts (MODEL §7).
    private func monthlyTrend(_ eventIndices: [Int]) -> MannKendallResult? {
        guard let months = selection.months else { return nil }
        var series = [Double](repeating: 0, count: months.count)
        for i in eventIndices {
            let m = Timestamp.monthIndex(prepared.frame.scene.interceptions[i].time)
            series[m - months.lowerBound] += 1
        }
        return mannKendall(series)
    }
}

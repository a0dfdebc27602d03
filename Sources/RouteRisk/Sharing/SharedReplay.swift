import Foundation

/// A shared replay (`--share K`): no event point, the test events of each step aggregated to
/// its chosen cells and to one "elsewhere" count, each count from 1 to K − 1 withheld.
public struct ReplaySharing: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// Test events per chosen cell, in the cells' rank order; nil where withheld.
        public let inCells: [Int?]
        /// Test events outside the chosen cells; nil where withheld.
        public let elsewhere: Int?
        /// The step's test events; nil where withheld (its rates are withheld with it).
        public let testEvents: Int?
        /// True when the step has test events but its hit rate (with PAI and PEI*) is withheld.
        public let hitRateWithheld: Bool
    }

    public let rule: SmallCountSuppression
    /// One per replay step.
    public let steps: [Step]
    public let counts: SuppressionCounts

    /// True when step `index` (0-based) had 1 ≤ test events < K.
    public func isSuppressed(step index: Int) -> Bool { steps[index].testEvents == nil }

    /// A count as the shared outputs say it: the number, or "fewer than K".
    public func text(_ count: Int?) -> String { count.map(String.init) ?? "fewer than \(rule.minimumCount)" }
}

extension ReplayResult {
    /// The result as a shared export may show it (`--share`); itself without a rule. Event
    /// points are dropped here, before any writer sees them. A step with 1 ≤ test events < K
    /// keeps its fit and cells but its count and rates become 0 / null and it is left out of
    /// the means (as a step without test events); a rate whose count (rate × N) or whose
    /// complement is from 1 to K − 1 is null and left out of its mean; `sharing` says which
    /// and holds the aggregates.
    public func forSharing() -> ReplayResult {
        guard let rule = share, sharing == nil else { return self }
        var counts = SuppressionCounts()
        var sharedSteps: [ReplayStep] = []
        var sharingSteps: [ReplaySharing.Step] = []
        for step in steps {
            var rankOf: [HexCoordinate: Int] = [:]
            for (i, c) in step.cells.enumerated() { rankOf[HexCoordinate(q: c.q, r: c.r)] = i }
            var inCells = [Int](repeating: 0, count: step.cells.count)
            var elsewhere = 0
            for e in step.events {
                if let cell = e.cell, let i = rankOf[cell] { inCells[i] += 1 } else { elsewhere += 1 }
            }
            let m = step.metrics
            let n = m.testEvents
            let hits = inCells.reduce(0, +)
            let small = rule.suppresses
            let stepWithheld = small(n)
            // The hit rate times N gives the hits, and N minus them the events elsewhere: when
            // either is small, the rates that carry it are withheld with it (complementary
            // suppression, as for the score layers).
            let hitsWithheld = stepWithheld || small(hits) || small(elsewhere)
            var withheldCells = Set(inCells.indices.filter { small(inCells[$0]) })
            let needsComplement = hitsWithheld ? withheldCells.isEmpty && small(elsewhere) : withheldCells.count == 1
            if needsComplement, let next = inCells.indices.filter({ !withheldCells.contains($0) && inCells[$0] > 0 })
                .min(by: { inCells[$0] != inCells[$1] ? inCells[$0] < inCells[$1] : $0 < $1 }) {
                withheldCells.insert(next)
            }
            var cells = step.cells
            let shownInCells = inCells.indices.map { i -> Int? in
                guard withheldCells.contains(i) else { return inCells[i] }
                counts.replay_cells += 1
                counts.values += 2  // the count and the rounded intensity
                let c = cells[i]
                cells[i] = ReplayCell(q: c.q, r: c.r, intensityKm2: SmallCountSuppression.rounded(c.intensityKm2),
                                      ring: c.ring, ringLonLat: c.ringLonLat)
                return nil
            }
            let elsewhereWithheld = small(elsewhere) || (hitsWithheld && elsewhere > 0)
            if elsewhereWithheld { counts.replay_elsewhere += 1; counts.values += 1 }
            /// A rate whose count (rate × N) or complement is small is withheld.
            func shown(_ rate: Double?, forceWithheld: Bool = false) -> Double? {
                guard let rate else { return nil }
                let count = Int((rate * Double(n)).rounded())
                if forceWithheld || small(count) || small(n - count) { counts.values += 1; return nil }
                return rate
            }
            var peiStar = hitsWithheld ? nil : m.peiStar
            if let pei = peiStar, pei > 0 {
                // PEI* = hits / the most test events k cells could hold: that count is shown too.
                let most = Int((Double(hits) / pei).rounded())
                if small(most) || small(n - most) { peiStar = nil }
            }
            if peiStar == nil && m.peiStar != nil { counts.values += 1 }
            if stepWithheld { counts.replay_steps += 1; counts.values += 1 }
            let baselineRate = shown(m.baselineHitRate, forceWithheld: stepWithheld)
            let metrics = ReplayStepMetrics(
                step: m.step, start: m.start, end: m.end, testEvents: stepWithheld ? 0 : n,
                hitRate: shown(m.hitRate, forceWithheld: hitsWithheld), areaFraction: m.areaFraction,
                pai: hitsWithheld ? nil : m.pai, peiStar: peiStar,
                routeHitRate: shown(m.routeHitRate, forceWithheld: stepWithheld),
                baselineHitRate: baselineRate, baselinePAI: baselineRate == nil ? nil : m.baselinePAI)
            sharedSteps.append(ReplayStep(metrics: metrics, cells: cells, events: [], topRoutes: step.topRoutes))
            sharingSteps.append(.init(
                inCells: shownInCells, elsewhere: elsewhereWithheld ? nil : elsewhere,
                testEvents: stepWithheld ? nil : n, hitRateWithheld: n > 0 && metrics.hitRate == nil))
        }
        // The means over the steps still shown (a withheld step counts as one without test events).
        let m = ReplayRun.summary(sharedSteps.map(\.metrics), coverage: .share(0), k: summary.cellsChosen)
        var means = ReplaySummary(
            model: m.model, steps: m.steps, stepsWithTestEvents: m.stepsWithTestEvents, coverage: summary.coverage,
            cellsChosen: m.cellsChosen, meanHitRate: m.meanHitRate, meanAreaFraction: m.meanAreaFraction,
            meanPAI: m.meanPAI, meanPEIStar: m.meanPEIStar, meanRouteHitRate: m.meanRouteHitRate,
            meanBaselineHitRate: m.meanBaselineHitRate, meanBaselinePAI: m.meanBaselinePAI, paiRatio: m.paiRatio)
        // Which map ranked the cells stays; the KDE comparison (MODEL §13) is a mean over every
        // step, withheld ones included, and cannot be recomputed from the shown steps: left out.
        means.model = summary.model
        means.forecast = summary.forecast
        var result = ReplayResult(
            steps: sharedSteps, summary: means, map: map, optionsText: optionsText + ", shared (counts below \(rule.minimumCount) withheld)",
            cellSize: cellSize, corridor: corridor, scenePath: scenePath, share: rule)
        result.sharing = ReplaySharing(rule: rule, steps: sharingSteps, counts: counts)
        return result
    }
}

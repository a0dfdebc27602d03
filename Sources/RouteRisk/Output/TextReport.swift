import Foundation

/// The plain-text reports printed on stdout: the table of top routes and a short summary.
public enum TextReport {
    /// The top routes (rank, id, name, risk, class, events, evasion km, trend) and what was written.
    public static func scoreReport(_ result: ScoreResult, summary: Summary, top: Int, files: [String]) -> String {
        var lines: [String] = []
        let use = result.interceptionUse
        lines.append("routerisk \(Summary.modelName) — as of \(Timestamp.isoDate(result.asOf)); \(use.used) of \(use.read) interceptions used, \(result.routes.count) routes, \(result.studyArea.count) cells of \(Explanation.number(result.options.cellSize / 1000)) km")
        if use.used == 0 {
            lines.append("note: no interception was used (\(use.outsideWindow) outside the window, \(use.outsideStudyArea) outside the study area, \(use.skipped) invalid): risks are null and routes rank by id")
        }
        lines.append("")
        let horizon = Explanation.number(result.options.forecast.horizonDays)
        let header = ["rank", "id", "name", "risk", "class", "events", "evasion km", "trend", "next \(horizon) d"]
        let withheld = result.options.share.map {
            SharedFeatures.rowsToWithhold($0, counts: result.routes.map(\.events), keys: result.routes.map(\.id))
        } ?? []
        let rows = result.routes.prefix(top).enumerated().map { index, r -> [String] in
            [
                String(r.rank), r.id, truncate(r.name, 34), r.risk.map { String(format: "%.2f", $0) } ?? "–",
                r.riskClass.rawValue, eventsText(r.events, result.options.share, withheld: withheld.contains(index)),
                r.evasionKm.map { String(format: "%.1f", $0) } ?? "–",
                r.trend == .none ? "–" : r.trend.rawValue, r.expectedNext.map { String(format: "%.1f", $0) } ?? "–",
            ]
        }
        lines += table(header: header, rows: rows, rightAligned: [0, 3, 5, 6, 8])
        lines.append("")
        let h = summary.hotspots
        lines.append("hot spots (Gi*, Benjamini–Hochberg): \(h.hot_99) cells at 99 %, \(h.hot_95) at 95 %, \(h.hot_90) at 90 %; cold: \(h.cold_99 + h.cold_95 + h.cold_90)")
        if let cells = summary.emerging_cells, let routes = summary.emerging_routes {
            lines.append("emerging hot spots (\(summary.months) months), cells / routes per category:")
            let categories = EmergingCategory.allCases.filter { (cells[$0.rawValue] ?? 0) + (routes[$0.rawValue] ?? 0) > 0 }
            for c in categories {
                let name = c.rawValue.replacingOccurrences(of: "_", with: " ")
                let n = String(cells[c.rawValue] ?? 0), r = String(routes[c.rawValue] ?? 0)
                lines.append("  " + name.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(repeating: " ", count: max(0, 7 - n.count)) + n + String(repeating: " ", count: max(0, 6 - r.count)) + r)
            }
        }
        let bandText = Explanation.number(result.band / 1000) + " km" + (result.bandChoice.map { " (auto: \($0.rule))" } ?? "")
        lines.append("bandwidth \(String(format: "%.1f", result.bandwidth.bandwidth / 1000)) km (\(result.bandwidth.method)); Gi* band \(bandText)")
        if let f = summary.forecast {
            var text = String(format: "forecast (routerisk-2): %.1f interceptions expected in the next %@ days, %.0f %% on the listed routes; jitter σ %.1f km (%@)",
                f.expected_events, horizon, (f.route_share ?? 0) * 100, f.jitter_km, f.jitter_rule.hasPrefix("auto") ? "auto" : "given")
            if let note = f.note { text = "forecast (routerisk-2): " + note }
            lines.append(text)
        }
        if !summary.problems.isEmpty { lines.append("skipped \(summary.problems.count) invalid input rows or features (see summary.json)") }
        lines.append("wrote " + files.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// A count as a shared export shows it (`--share`): "<K" for 1 ≤ count < K, "withheld"
    /// for a larger one withheld as a complement.
    static func eventsText(_ count: Int, _ share: SmallCountSuppression?, withheld: Bool) -> String {
        guard let share, withheld else { return String(count) }
        return share.suppresses(count) ? "<\(share.minimumCount)" : "withheld"
    }

    static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// A plain table with two spaces between columns.
    static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> [String] {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func render(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return [render(header)] + rows.map(render)
    }
}

extension TextReport {
    /// The replay table: one row per step, then the means and the ratio to the baseline.
    public static func replayReport(_ replay: ReplayResult, files: [String]) -> String {
        func f(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "–" }
        let header = ["step", "start", "end", "tests", "hit rate", "PAI", "PEI*", "route hits", "base hit", "base PAI"]
        let rows = replay.steps.enumerated().map { index, s -> [String] in
            let m = s.metrics
            let tests = replay.sharing.map { $0.steps[index].testEvents.map(String.init) ?? "<\($0.rule.minimumCount)" } ?? String(m.testEvents)
            return [
                String(m.step), Timestamp.isoDate(m.start), Timestamp.isoDate(m.end), tests,
                f(m.hitRate, "%.3f"), f(m.pai, "%.1f"), f(m.peiStar, "%.3f"), f(m.routeHitRate, "%.3f"),
                f(m.baselineHitRate, "%.3f"), f(m.baselinePAI, "%.1f"),
            ]
        }
        var lines = ["routerisk replay — \(replay.summary.steps) steps, \(replay.optionsText); top \(replay.summary.cellsChosen) cells per step", ""]
        lines += table(header: header, rows: rows, rightAligned: [0, 3, 4, 5, 6, 7, 8, 9])
        let s = replay.summary
        lines.append("")
        lines.append("means over \(s.stepsWithTestEvents) steps with test events: hit rate \(f(s.meanHitRate, "%.3f")), PAI \(f(s.meanPAI, "%.2f")), PEI* \(f(s.meanPEIStar, "%.3f")), route hit rate \(f(s.meanRouteHitRate, "%.3f")); baseline hit rate \(f(s.meanBaselineHitRate, "%.3f")), PAI \(f(s.meanBaselinePAI, "%.2f"))")
        if let ratio = s.paiRatio {
            let verdict = ratio > 1.05 ? "the model beats the naive baseline" : ratio < 0.95 ? "the naive baseline beats the model" : "the model and the naive baseline are level"
            lines.append(String(format: "pai_ratio %.2f: %@", ratio, verdict))
        }
        if let kde = s.meanKdePAI {
            lines.append(String(format: "forecast %@: mean PAI %@ against %@ for --forecast kde (routerisk-1), ratio %@",
                s.forecast ?? "", f(s.meanPAI, "%.2f"), f(kde, "%.2f"), f(s.kdePaiRatio, "%.2f")))
        }
        if let teams = s.planTeams {
            lines.append("plans (\(teams) teams of \(Explanation.number(s.planRadiusKm ?? 0)) km): mean plan hit rate \(f(s.meanPlanHitRate, "%.3f")), baseline plan \(f(s.meanBaselinePlanHitRate, "%.3f")), hindsight \(f(s.meanHindsightHitRate, "%.3f")); plan efficiency \(f(s.meanPlanEfficiency, "%.3f"))")
        }
        lines.append("wrote " + files.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// The workshop notebook (`--notebook FILE.ipynb`, issue 4): the replay told as a lesson.
///
/// nbformat 4.5 (cell ids `cell-001`, `cell-002`, …), written exactly as nbformat itself
/// writes a notebook (`json.dumps(sort_keys=True, indent=1, ensure_ascii=False)`, sources and
/// text outputs split into lines, a final newline), so that opening and saving it in Jupyter
/// changes nothing, and the same replay always gives the same bytes.
///
/// Cells: an introduction (the data), the method (formulas of MODEL §3, §5, §6, §9, §10), a
/// setup code cell, then three cells per step — a heading with the period, a code cell whose
/// saved `display_data` output is an SVG map of the step (chosen cells, test events, coastline,
/// borders, the step's top 10 routes), the metrics table with one sentence of commentary —
/// and a closing summary: `4 + 3 · steps` cells. Code cells are never executed by routerisk:
/// `execution_count` is null and the outputs are pre-filled.
public enum ReplayNotebook {
    public static let format = "routerisk-replay-notebook-1"

    /// The number of cells of the notebook of a replay with `steps` steps.
    public static func cellCount(steps: Int) -> Int { 4 + 3 * steps }

    /// With `--plan-teams`, two more cells before the closing one: the plans explained, and the
    /// chart of plan efficiency per step against the baseline plan's (MODEL §14).
    public static func cellCount(steps: Int, plan: Bool) -> Int { cellCount(steps: steps) + (plan ? 2 : 0) }

    public static func json(_ replay: ReplayResult) -> Data {
        Data(text(replay).utf8)
    }

    static func text(_ replay: ReplayResult) -> String {
        notebook(replay).pythonIndented() + "\n"
    }

    // MARK: - Notebook structure

    static func notebook(_ replay: ReplayResult) -> ReplayJSON {
        var cells: [ReplayJSON] = []
        func add(_ type: String, _ source: String, outputs: [ReplayJSON]? = nil) {
            let id = String(format: "cell-%03d", cells.count + 1)
            var members: [(String, ReplayJSON)] = [
                ("cell_type", .string(type)), ("id", .string(id)), ("metadata", .object([])), ("source", lines(source)),
            ]
            if type == "code" {
                members.append(("execution_count", .null))
                members.append(("outputs", .array(outputs ?? [])))
            }
            cells.append(.object(members))
        }

        let scale = ReplayIntensityScale(replay.steps)
        let sketch = MapSketch(replay.map)
        add("markdown", introduction(replay))
        add("markdown", method(replay))
        add("code", setupCode)
        for step in replay.steps {
            let m = step.metrics
            add("markdown", "## Step \(m.step): \(ReplayFormat.date(m.start)) → \(ReplayFormat.date(m.end))\n\n"
                + "The map was fitted on the interceptions up to \(ReplayFormat.date(m.start)); "
                + "the test events are those after it, up to \(ReplayFormat.date(m.end)).")
            add("code", stepCode(m), outputs: [mapOutput(step, replay: replay, scale: scale, sketch: sketch)])
            add("markdown", metricsTable(step, replay: replay) + "\n\n" + sharedCommentary(step, replay: replay) + topRoutesLine(step, replay: replay))
        }
        if replay.summary.planTeams != nil {
            add("markdown", planSection(replay))
            add("code", "# Plan efficiency per step: the model's plan and the baseline's (saved output)", outputs: [planChart(replay)])
        }
        add("markdown", closing(replay))

        let kernel: ReplayJSON = .object([
            ("display_name", .string("Python 3")), ("language", .string("python")), ("name", .string("python3")),
        ])
        let own: ReplayJSON = .object([
            ("format", .string(format)), ("model", .string(replay.summary.model)),
            ("scene", .string(ReplayFormat.sceneName(replay.scenePath))), ("steps", .int(replay.steps.count)),
        ])
        return .object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", kernel), ("language_info", .object([("name", .string("python"))])), ("routerisk", own),
            ])),
            ("nbformat", .int(4)),
            ("nbformat_minor", .int(5)),
        ])
    }

    /// A multi-line string as nbformat stores it: a list of lines, each but the last keeping its "\n".
    static func lines(_ s: String) -> ReplayJSON {
        var out: [ReplayJSON] = []
        var current = ""
        for ch in s {
            current.append(ch)
            if ch == "\n" { out.append(.string(current)); current = "" }
        }
        if !current.isEmpty { out.append(.string(current)) }
        return .array(out)
    }

    // MARK: - Text

    static func introduction(_ replay: ReplayResult) -> String {
        let scene = ReplayFormat.markdownEscaped(ReplayFormat.sceneName(replay.scenePath))
        let s = replay.summary
        let shading = s.forecast == ForecastMethod.routerisk2.rawValue
            ? "forecast (expected interceptions per km² over the horizon, MODEL §13)" : "intensity λ"
        var period = "no step"
        if let first = replay.steps.first?.metrics, let last = replay.steps.last?.metrics {
            period = "\(replay.steps.count) \(replay.steps.count == 1 ? "step" : "steps"), "
                + "from \(ReplayFormat.date(first.start)) to \(ReplayFormat.date(last.end))"
        }
        return """
        # Replaying the forecasts of routerisk: \(scene)

        In a workshop we replay the past period by period. At the start of each period, routerisk is fitted \
        on the interceptions known up to that day, and nothing later. It chooses the cells it would watch: \
        the top \(ReplayFormat.markdownEscaped(s.coverage)) of the study area, \(s.cellsChosen) cells. \
        The interceptions of the following period then test that choice. A naive baseline, counting past \
        interceptions per cell, is scored the same way, so we can see whether the model does better than \
        "where we caught people before".

        **The data.** Scene \(scene), model \(ReplayFormat.markdownEscaped(s.model)), \(period). \
        Options: \(ReplayFormat.markdownEscaped(replay.optionsText)). \
        The sample scene bundled with routerisk is synthetic: its simulator made up every route and \
        every interception, and none of them is a real event. \
        Whatever the scene, this notebook holds no personal data. Each test event appears only as a \
        point on a map, with no id, name or other field.

        **Reading the maps.** Shaded hexagons are the chosen cells. Darker means a higher \(shading) \
        at the start of the period, on one scale for all steps. A filled dot ● is a test event inside a \
        chosen cell (a hit), and an open dot ○ is a miss. Purple lines are the step's top 10 routes. \
        The maps are saved outputs of `routerisk replay`: re-running a map cell replaces its map with \
        the step's row of `replay-metrics.csv`.
        """
    }

    static func method(_ replay: ReplayResult) -> String {
        let cell = ReplayFormat.short(replay.cellSize / 1000)
        let b = ReplayFormat.short(replay.corridor / 1000)
        return """
        ## How the map is made (model \(ReplayFormat.markdownEscaped(replay.summary.model)))

        **Weights (§3).** An interception $i$ of age $a_i$ days at the fit time $t$ weighs \
        $w_i = m_i \\cdot 2^{-a_i/H}$. Here $H$ is the half-life, and $m_i = 1$ (or the number of persons \
        with `--weight persons`). A recent event counts more than an old one.

        **Intensity (§5).** Each event spreads its weight over a disc of radius $h$ (the bandwidth) \
        with the quartic kernel
        $$K_h(d) = \\frac{3}{\\pi h^2}\\left(1 - \\frac{d^2}{h^2}\\right)^2 \\quad (d < h), \\qquad K_h(d) = 0 \\text{ otherwise},$$
        and the intensity at a point $c$ is $\\lambda(c) = \\sum_i w_i\\, K_h(\\lvert c - x_i \\rvert)$, \
        in weighted events per km². The bandwidth is chosen by likelihood cross-validation: \
        the $h$ that best predicts each event from all the others.

        **Hot spots (§6).** On the hexagonal grid (cells \(cell) km apart), with $x_j$ the weight in \
        cell $j$ and $w_{jk} = 1$ for cells within the band, the Getis-Ord statistic is
        $$G_j^* = \\frac{\\sum_k w_{jk} x_k - \\bar X\\, W_j}{S \\sqrt{\\left(n S_{1j} - W_j^2\\right)/(n - 1)}},$$
        where $W_j = \\sum_k w_{jk}$ and $S_{1j} = \\sum_k w_{jk}^2$, tested with a Benjamini-Hochberg \
        correction. The score maps show these hot spots; the replay ranks cells by $\\lambda$ itself.

        **Routes (§9).** An event within $b = \(b)$ km of a route counts for it: $n_r$ is the weight of \
        these events, $A_r$ the corridor's area. Against the average route, \
        $\\Lambda = \\sum_r n_r / \\sum_r A_r$ and $E_r = \\Lambda A_r$, the rate is $\\theta_r = n_r / E_r$. \
        It is shrunk towards $m = \\sum n / \\sum E$ where the evidence is thin (empirical Bayes): with \
        $s^2 = \\frac{\\sum_r E_r (\\theta_r - m)^2}{\\sum_r E_r} - \\frac{m}{\\bar E}$ and \
        $C_r = \\frac{s^2}{s^2 + m / E_r}$,
        $$\\text{risk}_r = m + C_r\\,(\\theta_r - m).$$

        **Forecast skill (§10).** At each step the $n$ cells of the study area are ranked by $\\lambda$ and \
        the top $k$ are chosen. With $N$ test events in the next period, of which $h_k$ fall in the chosen cells:
        $$\\text{hit rate} = \\frac{h_k}{N}, \\qquad \\text{area fraction} = \\frac{k}{n}, \\qquad \
        \\text{PAI} = \\frac{\\text{hit rate}}{\\text{area fraction}}, \\qquad \
        \\text{PEI}^* = \\frac{h_k}{\\max_{\\lvert C \\rvert = k} h_C}.$$
        PAI 1 is what cells chosen at random would score on average. PEI* 1 means that no choice of $k$ \
        cells could have held more of the test events. The route hit rate is the share of test events \
        within $b$ of the step's top 10 routes. The naive baseline ranks cells by the raw count of all \
        past events, and its PAI is computed the same way. Over the steps that have test events, \
        $$\\text{PAI ratio} = \\overline{\\text{PAI}} \\,/\\, \\overline{\\text{PAI}}_{\\text{baseline}}.$$
        """ + (replay.summary.forecast == ForecastMethod.routerisk2.rawValue ? routeAwareMethod : "")
    }

    /// MODEL §13, when the replay ranked the cells by it.
    static let routeAwareMethod = """


        **The route-aware forecast (§13, routerisk-2).** This replay ranks the cells by a forecast of the \
        next period rather than by $\\lambda$. Each listed route $r$ gets a current rate $\\rho_r$ (events per \
        day): its recent events (half-life 90 days by default), each shared between the routes it lies near, \
        shrunk by empirical Bayes like the risk above. That rate is spread over the route's footprint \
        $\\varphi_r(c)$, the line blurred by the scatter $\\sigma$ that the events show around the routes. \
        A background kernel density of the events off every listed route covers the paths nobody listed:
        $$\\lambda(c) = \\sum_r \\rho_r\\, \\varphi_r(c) + \\lambda_{\\text{bg}}(c).$$
        The summary below also scores §5's $\\lambda$ (`--forecast kde`, routerisk-1) on the same steps.
        """

    static let setupCode = """
    # The numbers of the tables below, as routerisk replay wrote them (replay-metrics.csv, next to this notebook).
    import csv
    import os

    metrics = {}
    if os.path.exists("replay-metrics.csv"):
        with open("replay-metrics.csv", newline="") as f:
            metrics = {int(row["step"]): row for row in csv.DictReader(f)}
    if metrics:
        print(len(metrics), "steps read from replay-metrics.csv")
    else:
        print("replay-metrics.csv is not next to this notebook; the tables below hold the same numbers")
    """

    static func stepCode(_ m: ReplayStepMetrics) -> String {
        """
        # Step \(m.step): fitted on \(ReplayFormat.date(m.start)), tested on the events up to \(ReplayFormat.date(m.end)).
        # The map below is a saved output of routerisk replay; re-running this cell shows the step's CSV row instead.
        metrics.get(\(m.step), "replay-metrics.csv was not loaded")
        """
    }

    static func metricsTable(_ step: ReplayStep, replay: ReplayResult) -> String {
        let m = step.metrics
        // A shared export (`--share`): the count as shown, "fewer than K" where withheld.
        let shared = replay.sharing.map { ($0, $0.steps[m.step - 1]) }
        let rows: [(String, String)] = [
            ("test events", shared.map { s, step in s.text(step.testEvents) + " (\(s.text(step.elsewhere)) outside the cells)" } ?? String(m.testEvents)),
            ("hit rate", ReplayFormat.percent(m.hitRate)),
            ("area fraction", "\(ReplayFormat.percent(m.areaFraction)) (\(step.cells.count) \(step.cells.count == 1 ? "cell" : "cells"))"),
            ("PAI", ReplayFormat.short(m.pai)),
            ("PEI\\*", ReplayFormat.twoDecimals(m.peiStar)),
            ("route hit rate (top 10 routes)", ReplayFormat.percent(m.routeHitRate)),
            ("baseline hit rate", ReplayFormat.percent(m.baselineHitRate)),
            ("baseline PAI", ReplayFormat.short(m.baselinePAI)),
        ]
        return "| step \(m.step) | value |\n|:--|--:|\n" + rows.map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n")
    }

    /// How the model's hits compare with the baseline's in one step. The two choose the same
    /// number of cells, so comparing hits is comparing PAI.
    enum Comparison: Equatable { case noTestEvents, noBaseline, better, worse, equal }

    static func hits(_ rate: Double?, of n: Int) -> Int? {
        guard let rate, rate.isFinite else { return nil }
        return Int((rate * Double(n)).rounded())
    }

    static func compare(_ m: ReplayStepMetrics) -> Comparison {
        guard m.testEvents > 0, let model = hits(m.hitRate, of: m.testEvents) else { return .noTestEvents }
        guard let base = hits(m.baselineHitRate, of: m.testEvents) else { return .noBaseline }
        return model > base ? .better : model < base ? .worse : .equal
    }

    /// The one sentence under a step's table. Rules:
    /// - no test events (or no hit rate): the step cannot be scored and is left out of the means;
    /// - otherwise "The k chosen cells (a of the study area) held h of N test events (hit rate),
    ///   PAI p against the baseline's q: " and the verdict from the hit counts —
    ///   more hits than the baseline: "the model did better than counting past events";
    ///   fewer: "counting past events did better than the model";
    ///   as many, at least one: "the model did no better than counting past events";
    ///   none for either: "neither the model nor counting past events caught any of them";
    ///   no baseline figure: "there is no baseline figure to compare with";
    /// - with fewer than 5 test events a caveat follows: one event moves the hit rate by 100/N points.
    /// `commentary`, or for a step whose count a shared export withholds, why it is not scored.
    static func sharedCommentary(_ step: ReplayStep, replay: ReplayResult) -> String {
        if let sharing = replay.sharing, sharing.isSuppressed(step: step.metrics.step - 1) {
            return "Fewer than \(sharing.rule.minimumCount) test events fell in this period: a shared export withholds "
                + "the count and the rates, and the step is left out of the means."
        }
        if let sharing = replay.sharing, sharing.steps[step.metrics.step - 1].hitRateWithheld {
            return "Fewer than \(sharing.rule.minimumCount) of the \(step.metrics.testEvents) test events fell inside "
                + "or outside the chosen cells: a shared export withholds the hit rate, PAI and PEI* of this step."
        }
        return commentary(step)
    }

    static func commentary(_ step: ReplayStep) -> String {
        let m = step.metrics
        let comparison = compare(m)
        if comparison == .noTestEvents {
            return "No test event fell in this period, so the step cannot be scored; it is left out of the means."
        }
        let n = m.testEvents
        let h = hits(m.hitRate, of: n) ?? 0
        let k = step.cells.count
        var s = "The \(k == 1 ? "chosen cell" : "\(k) chosen cells") (\(ReplayFormat.percent(m.areaFraction)) of the study area) "
            + "held \(h) of \(n) test \(n == 1 ? "event" : "events") (\(ReplayFormat.percent(m.hitRate))), "
            + "PAI \(ReplayFormat.short(m.pai)) against the baseline's \(ReplayFormat.short(m.baselinePAI)): "
        switch comparison {
        case .better: s += "the model did better than counting past events"
        case .worse: s += "counting past events did better than the model"
        case .equal: s += h > 0 ? "the model did no better than counting past events"
                                : "neither the model nor counting past events caught any of them"
        case .noBaseline: s += "there is no baseline figure to compare with"
        case .noTestEvents: break
        }
        if n < 5 {
            s += " (only \(n) test \(n == 1 ? "event" : "events"): one more or less moves the hit rate by \(ReplayFormat.short(100 / Double(n))) points)"
        }
        return s + "."
    }

    static func topRoutesLine(_ step: ReplayStep, replay: ReplayResult) -> String {
        guard !step.topRoutes.isEmpty else { return "" }
        var names: [String: String] = [:]
        for r in replay.map.routes where names[r.id] == nil { names[r.id] = r.name }
        let shown = step.topRoutes.prefix(3).enumerated().map { i, id in
            "\(i + 1). \(ReplayFormat.markdownEscaped(names[id] ?? id))"
        }
        return "\n\nTop routes at the start of the period: " + shown.joined(separator: "; ")
            + (step.topRoutes.count > 3 ? "; …" : "") + "."
    }

    static func closing(_ replay: ReplayResult) -> String {
        let s = replay.summary
        let rows: [(String, String)] = [
            ("steps with test events", "\(s.stepsWithTestEvents) of \(s.steps)"),
            ("mean hit rate", ReplayFormat.percent(s.meanHitRate)),
            ("mean area fraction", ReplayFormat.percent(s.meanAreaFraction)),
            ("mean PAI", ReplayFormat.short(s.meanPAI)),
            ("mean PEI\\*", ReplayFormat.twoDecimals(s.meanPEIStar)),
            ("mean route hit rate", ReplayFormat.percent(s.meanRouteHitRate)),
            ("mean baseline hit rate", ReplayFormat.percent(s.meanBaselineHitRate)),
            ("mean baseline PAI", ReplayFormat.short(s.meanBaselinePAI)),
            ("PAI ratio (model / baseline)", ReplayFormat.twoDecimals(s.paiRatio)),
            ("forecast ranking the cells", s.forecast ?? "kde"),
        ] + (s.meanKdePAI == nil ? [] : [
            ("mean PAI of `--forecast kde`", ReplayFormat.short(s.meanKdePAI)),
            ("PAI ratio (model / kde)", ReplayFormat.twoDecimals(s.kdePaiRatio)),
        ])
        let planRows: [(String, String)] = s.planTeams == nil ? [] : [
            ("mean plan hit rate", ReplayFormat.percent(s.meanPlanHitRate)),
            ("mean baseline plan hit rate", ReplayFormat.percent(s.meanBaselinePlanHitRate)),
            ("mean hindsight hit rate", ReplayFormat.percent(s.meanHindsightHitRate)),
            ("mean plan efficiency", ReplayFormat.twoDecimals(s.meanPlanEfficiency)),
        ]
        var text = "## Over all steps\n\n| summary | value |\n|:--|--:|\n"
            + (rows + planRows).map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n") + "\n\n"
        text += summaryVerdict(replay)
        return text
    }

    /// The plans of MODEL §14, told for the workshop, with a table of the four rates per step.
    static func planSection(_ replay: ReplayResult) -> String {
        let s = replay.summary
        var text = "## Patrol plans\n\n"
        text += "At every step the model's map also became a patrol plan: \(s.planTeams ?? 0) teams, each covering the cells within "
        text += "\(Explanation.number(s.planRadiusKm ?? 0)) km of its position, placed by the maximal covering MIP (GLPK) to cover as much of the "
        text += "map's intensity as possible"
        text += (s.postRadiusKm ?? 0) > 0 ? "; cells within \(Explanation.number(s.postRadiusKm ?? 0)) km of an official post count as watched and are left out. " : ". "
        text += "The *baseline plan* does the same with the naive counts of past events, and the *hindsight plan* with the period's own test events: "
        text += "the best any \(s.planTeams ?? 0) teams could have done. *Plan efficiency* = plan hit rate / hindsight hit rate (1 = as good as hindsight).\n\n"
        text += "| step | plan hit rate | baseline plan | hindsight | plan efficiency |\n|--:|--:|--:|--:|--:|\n"
        for step in replay.steps {
            let m = step.metrics
            text += "| \(m.step) | \(ReplayFormat.percent(m.planHitRate)) | \(ReplayFormat.percent(m.baselinePlanHitRate)) | "
            text += "\(ReplayFormat.percent(m.hindsightHitRate)) | \(ReplayFormat.twoDecimals(m.planEfficiency)) |\n"
        }
        return text
    }

    /// A line chart (SVG) of plan efficiency per step, the model's plan against the baseline plan's.
    static func planChart(_ replay: ReplayResult) -> ReplayJSON {
        let w = 480, h = 220, l = 40.0, r = 12.0, t = 24.0, b = 30.0
        let n = replay.steps.count
        func x(_ i: Int) -> Double { n <= 1 ? (l + Double(w) - r) / 2 : l + Double(i - 1) * (Double(w) - l - r) / Double(n - 1) }
        func y(_ v: Double) -> Double { t + (1 - v / 1.05) * (Double(h) - t - b) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<title>Plan efficiency per step</title>\n<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        svg += "<line x1=\"\(f(l))\" y1=\"\(f(y(0)))\" x2=\"\(f(Double(w) - r))\" y2=\"\(f(y(0)))\" stroke=\"#888888\"/>\n"
        svg += "<line x1=\"\(f(l))\" y1=\"\(f(y(1)))\" x2=\"\(f(Double(w) - r))\" y2=\"\(f(y(1)))\" stroke=\"#bbbbbb\" stroke-dasharray=\"2 3\"/>\n"
        svg += "<text x=\"\(f(l - 4))\" y=\"\(f(y(0) + 4))\" text-anchor=\"end\" fill=\"#4a5365\">0</text><text x=\"\(f(l - 4))\" y=\"\(f(y(1) + 4))\" text-anchor=\"end\" fill=\"#4a5365\">1</text>\n"
        func series(_ values: [Double?], colour: String, dash: String?) {
            var d = "", open = false
            for (i, v) in values.enumerated() {
                guard let v, v.isFinite else { open = false; continue }
                d += (open ? "L" : "M") + "\(f(x(i + 1))) \(f(y(v)))"
                open = true
                svg += "<circle cx=\"\(f(x(i + 1)))\" cy=\"\(f(y(v)))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
            }
            if !d.isEmpty {
                svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
            }
        }
        series(replay.steps.map(\.metrics.baselinePlanEfficiency), colour: "#7d8694", dash: "5 3")
        series(replay.steps.map(\.metrics.planEfficiency), colour: "#5a2ca0", dash: nil)
        svg += "<line x1=\"\(f(l + 4))\" y1=\"12\" x2=\"\(f(l + 22))\" y2=\"12\" stroke=\"#5a2ca0\" stroke-width=\"2\"/><text x=\"\(f(l + 26))\" y=\"16\" fill=\"#4a5365\">model plan</text>\n"
        svg += "<line x1=\"\(f(l + 104))\" y1=\"12\" x2=\"\(f(l + 122))\" y2=\"12\" stroke=\"#7d8694\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"\(f(l + 126))\" y=\"16\" fill=\"#4a5365\">baseline plan</text>\n"
        svg += "<text x=\"\(f((l + Double(w) - r) / 2))\" y=\"\(h - 6)\" text-anchor=\"middle\" fill=\"#4a5365\">step (1 to \(n))</text>\n</svg>\n"
        let s = replay.summary
        let text = "Plan efficiency per step: mean \(ReplayFormat.twoDecimals(s.meanPlanEfficiency)) for the model's plan"
        return .object([
            ("output_type", .string("display_data")),
            ("data", .object([("image/svg+xml", lines(svg)), ("text/plain", lines(text))])),
            ("metadata", .object([])),
        ])
    }

    /// What the summary means. Rules: no scored step → nothing can be said; no ratio → the
    /// baseline caught nothing; ratio above / below / equal to 1 (as printed, two decimals) →
    /// the model beat / lost to / matched the baseline, with the count of steps won, tied and lost;
    /// a mean PAI below 1 is called worse than chance; fewer than 6 scored steps → a caveat.
    static func summaryVerdict(_ replay: ReplayResult) -> String {
        let s = replay.summary
        let scored = replay.steps.map { compare($0.metrics) }.filter { $0 != .noTestEvents }
        guard s.stepsWithTestEvents > 0, !scored.isEmpty || s.paiRatio != nil else {
            return "No step had test events, so this replay cannot say how good the map is."
        }
        var parts: [String] = []
        let pai = ReplayFormat.short(s.meanPAI), base = ReplayFormat.short(s.meanBaselinePAI)
        let routeAware = s.forecast == ForecastMethod.routerisk2.rawValue
        let what = routeAware ? "its route rates, footprints and background" : "its smoothing and decay"
        let gain = routeAware
            ? "Following the listed routes' current rates along their footprints added skill beyond "
            : "Weighting recent events more and smoothing over neighbouring cells added skill beyond "
        if let ratio = s.paiRatio, ratio.isFinite {
            let r = ReplayFormat.twoDecimals(ratio)
            if r == "1.00" {
                parts.append("On average the model did as well as counting past events (mean PAI \(pai) against \(base)): "
                    + "\(what) added nothing here.")
            } else if ratio > 1 {
                parts.append("On average the model's cells held \(r)× as many interceptions per unit of area as the cells "
                    + "a naive count of past events would choose (mean PAI \(pai) against \(base)). "
                    + gain + "\"where we caught people before\".")
            } else {
                parts.append("On average counting past events did better than the model (mean PAI \(pai) against \(base), "
                    + "ratio \(r)). Where the routes in use change little, plain history is a strong forecaster; "
                    + "a longer half-life or a narrower bandwidth may bring the model closer.")
            }
        } else {
            parts.append("The naive baseline caught no test event in any step, so the PAI ratio is undefined; "
                + "the model's mean PAI is \(pai).")
        }
        if let kde = s.meanKdePAI, let kr = s.kdePaiRatio {
            parts.append("On the same steps §5's kernel density map (`--forecast kde`, routerisk-1) reached a mean PAI of "
                + "\(ReplayFormat.short(kde)): routerisk-2 / kde = \(ReplayFormat.twoDecimals(kr)).")
        }
        let won = scored.filter { $0 == .better }.count
        let tied = scored.filter { $0 == .equal }.count
        let lost = scored.filter { $0 == .worse }.count
        if won + tied + lost > 0 {
            parts.append("Step by step, the model beat the baseline in \(won), tied in \(tied) and lost in \(lost) "
                + "of the \(won + tied + lost) scored steps.")
        }
        if let mp = s.meanPAI, mp < 1 {
            parts.append("A mean PAI below 1 means its cells did worse than cells chosen at random.")
        }
        if s.stepsWithTestEvents < 6 {
            parts.append("With only \(s.stepsWithTestEvents) scored \(s.stepsWithTestEvents == 1 ? "step" : "steps"), "
                + "read this as an anecdote rather than a measure.")
        }
        return parts.joined(separator: " ")
    }

    // MARK: - Maps

    /// Metres of the working projection to SVG pixels (y flipped), at 0.1 px.
    struct MapTransform {
        let x0: Double, y1: Double, k: Double

        func point(_ p: PlanarPoint) -> (String, String) {
            (coordinate((p.x - x0) * k), coordinate((y1 - p.y) * k))
        }

        func coordinate(_ v: Double) -> String {
            guard v.isFinite else { return "0" }
            let s = String(format: "%.1f", v)
            return s == "-0.0" ? "0.0" : s
        }

        /// SVG path data, consecutive equal points dropped.
        func path(_ lines: [[PlanarPoint]], close: Bool) -> String {
            var d = ""
            for line in lines {
                var last: (String, String)? = nil
                var count = 0
                for p in line where p.x.isFinite && p.y.isFinite {
                    let q = point(p)
                    if let l = last, l == q { continue }
                    d += (count == 0 ? "M" : "L") + q.0 + " " + q.1
                    last = q; count += 1
                }
                if close && count > 0 { d += "Z" }
            }
            return d
        }
    }

    /// The static part of every step's map, projected once: at most 480 × 400 px plus a legend band.
    struct MapSketch {
        static let maxWidth = 480.0, maxHeight = 400.0, legendHeight = 34
        let transform: MapTransform
        let width: Int, height: Int
        let coastline: String, borders: String
        let routes: [String: String]

        init(_ map: ReplayMap) {
            let spanX = max(map.maxX - map.minX, 1), spanY = max(map.maxY - map.minY, 1)
            let pad = 0.02 * max(spanX, spanY)
            let sx = spanX + 2 * pad, sy = spanY + 2 * pad
            let k = min(Self.maxWidth / sx, Self.maxHeight / sy)
            let t = MapTransform(x0: map.minX - pad, y1: map.maxY + pad, k: k)
            transform = t
            width = Int((sx * k).rounded()); height = Int((sy * k).rounded())
            coastline = t.path(map.coastline, close: false)
            borders = t.path(map.borders, close: false)
            var routes: [String: String] = [:]
            for r in map.routes where routes[r.id] == nil { routes[r.id] = t.path(r.parts, close: false) }
            self.routes = routes
        }
    }

    static func mapOutput(_ step: ReplayStep, replay: ReplayResult, scale: ReplayIntensityScale, sketch: MapSketch) -> ReplayJSON {
        let m = step.metrics
        let hits = step.events.filter(\.hit).count
        let period = "\(ReplayFormat.date(m.start)) → \(ReplayFormat.date(m.end))"
        var events = step.events.isEmpty ? "no test event"
            : "\(step.events.count) test \(step.events.count == 1 ? "event" : "events"), \(hits) in the chosen cells"
        if let sharing = replay.sharing {
            let shared = sharing.steps[m.step - 1]
            events = "\(sharing.text(shared.testEvents)) test events, \(sharing.text(shared.elsewhere)) outside the chosen cells (shared: no event points)"
        }
        let summary = "Step \(m.step), \(period): \(step.cells.count) chosen \(step.cells.count == 1 ? "cell" : "cells"), " + events
        let w = sketch.width, h = sketch.height + MapSketch.legendHeight
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<title>\(ReplayFormat.xmlEscaped("Map of step \(m.step), \(period)"))</title>\n"
        svg += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        // A nested <svg> clips the map to its frame, so nothing spills over the legend.
        svg += "<svg width=\"\(sketch.width)\" height=\"\(sketch.height)\">\n"
        svg += "<rect width=\"\(sketch.width)\" height=\"\(sketch.height)\" fill=\"#eef4f8\"/>\n"
        if !sketch.coastline.isEmpty {
            svg += "<path d=\"\(sketch.coastline)\" fill=\"none\" stroke=\"#3d6e8f\" stroke-width=\"1\"/>\n"
        }
        if !sketch.borders.isEmpty {
            svg += "<path d=\"\(sketch.borders)\" fill=\"none\" stroke=\"#6b6b6b\" stroke-width=\"0.8\" stroke-dasharray=\"4 2\"/>\n"
        }
        if !step.cells.isEmpty {
            svg += "<g stroke=\"#7a1020\" stroke-width=\"0.5\" fill-opacity=\"0.85\">\n"
            // A hexagon under 2 px across (a national map) is drawn as a dot of 2 px, so it shows.
            let tiny = replay.cellSize * sketch.transform.k < 2
            for cell in step.cells {
                let colour = cell.intensityKm2 > 0 ? ReplayIntensityScale.colour(scale.position(cell.intensityKm2)) : "#c8c8c8"
                if tiny {
                    let cx = cell.ring.reduce(0.0) { $0 + $1.x } / Double(max(1, cell.ring.count))
                    let cy = cell.ring.reduce(0.0) { $0 + $1.y } / Double(max(1, cell.ring.count))
                    let (x, y) = sketch.transform.point(PlanarPoint(x: cx, y: cy))
                    svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"1.6\" fill=\"\(colour)\" stroke=\"none\"/>\n"
                } else {
                    svg += "<path d=\"\(sketch.transform.path([cell.ring], close: true))\" fill=\"\(colour)\"/>\n"
                }
            }
            svg += "</g>\n"
        }
        let top = step.topRoutes.compactMap { sketch.routes[$0] }.filter { !$0.isEmpty }
        if !top.isEmpty {
            svg += "<path d=\"\(top.joined())\" fill=\"none\" stroke=\"#5a2ca0\" stroke-width=\"1.4\" stroke-opacity=\"0.8\"/>\n"
        }
        if !step.events.isEmpty {
            svg += "<g stroke-width=\"1.2\">\n"
            for e in step.events {
                let (x, y) = sketch.transform.point(e.position)
                svg += e.hit ? "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3.5\" fill=\"#111111\" stroke=\"#ffffff\"/>\n"
                             : "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3.5\" fill=\"#ffffff\" stroke=\"#111111\"/>\n"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        let ly = sketch.height + 14, ly2 = sketch.height + 28
        svg += "<text x=\"6\" y=\"\(ly)\" fill=\"#1d2430\">\(ReplayFormat.xmlEscaped(summary))</text>\n"
        svg += "<rect x=\"6\" y=\"\(ly2 - 9)\" width=\"10\" height=\"10\" fill=\"\(ReplayIntensityScale.colour(1))\"/>"
            + "<text x=\"20\" y=\"\(ly2)\" fill=\"#4a5365\">chosen cell</text>"
            + "<circle cx=\"96\" cy=\"\(ly2 - 4)\" r=\"3\" fill=\"#111111\"/><text x=\"103\" y=\"\(ly2)\" fill=\"#4a5365\">hit</text>"
            + "<circle cx=\"132\" cy=\"\(ly2 - 4)\" r=\"3\" fill=\"#ffffff\" stroke=\"#111111\"/><text x=\"139\" y=\"\(ly2)\" fill=\"#4a5365\">miss</text>"
            + "<line x1=\"176\" y1=\"\(ly2 - 4)\" x2=\"192\" y2=\"\(ly2 - 4)\" stroke=\"#5a2ca0\" stroke-width=\"1.4\"/>"
            + "<text x=\"196\" y=\"\(ly2)\" fill=\"#4a5365\">top 10 routes</text>\n"
        svg += "</svg>\n"
        return .object([
            ("output_type", .string("display_data")),
            ("data", .object([("image/svg+xml", lines(svg)), ("text/plain", lines(summary))])),
            ("metadata", .object([])),
        ])
    }
}

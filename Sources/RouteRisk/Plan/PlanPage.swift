import Foundation

/// `plan.html`: the one-page patrol brief (MODEL §14), one offline file like the replay page
/// but drawn in advance: static SVG (no script), so it prints on A4 as it shows on screen.
///
/// The main map frames the teams' discs (padded, at least 80 km across) over the forecast
/// cells, coastline, borders, routes and posts; an overview map shows the whole study area
/// with the teams' positions. Then one card per team and the totals. User text (route and
/// post names, the scene name) is escaped with the replay page's rules (`ReplayFormat`).
/// Each team's card and disc carry `data-team="N"` for the browser test.
public enum PlanPage {
    public static func html(_ result: PlanResult) -> String {
        let scene = ReplayFormat.sceneName(result.scenePath)
        let s = result.solution
        var body = ""
        body += "<header><h1>Patrol plan · \(esc(scene))</h1>"
        body += "<p>As of \(Timestamp.isoDate(result.asOf)) · \(result.plan.teams) teams of \(Explanation.number(result.plan.radius / 1000)) km reach"
        body += result.plan.postRadius > 0 ? " · posts watch \(Explanation.number(result.plan.postRadius / 1000)) km around them" : ""
        body += " · demand: \(esc(result.demandUnit))</p></header>\n"
        body += "<main>\n<section class=\"maps\">\n"
        body += mainMap(result)
        body += overviewMap(result)
        body += legend(result)
        body += "</section>\n<section class=\"totals\" id=\"totals\"><h2>Totals</h2><table>"
        let rows: [(String, String)] = [
            ("Covered", "\(PlanExplanation.amount(s.objective)) of \(PlanExplanation.amount(result.demandTotal)) (\(ReplayFormat.percent(result.planShare)))"),
            ("Proven bound", PlanExplanation.amount(s.bound)),
            ("Gap", gapText(s.gap)),
            ("Solver", result.plan.solver == .greedy ? "greedy (1 − 1/e certificate)" : "GLPK \(esc(MixedIntegerProgram.solverVersion)), warm-started with the greedy plan"),
            ("Status", statusText(s.status)),
            ("Greedy plan alone", "\(PlanExplanation.amount(s.greedyObjective))"),
            ("Candidate sites", "\(result.candidateSites) (\(result.usefulSites) cover demand)"),
        ] + (result.plan.postRadius > 0
            ? [("Already watched by posts", "\(PlanExplanation.amount(result.demandPostCovered)) in \(result.cellsPostCovered) cells")] : [])
        for (k, v) in rows { body += "<tr><th scope=\"row\">\(k)</th><td>\(v)</td></tr>" }
        body += "</table></section>\n<section class=\"teams\"><h2>Teams</h2>\n"
        for t in result.teams {
            body += "<article class=\"team\" data-team=\"\(t.team)\"><h3><span class=\"badge\">\(t.team)</span> Team \(t.team)</h3>"
            body += teamMap(result, t)
            body += "<dl>"
            body += "<dt>Where</dt><dd>\(esc(PlanExplanation.coordinates(t.siteLonLat))) (cell \(t.q), \(t.r))</dd>"
            body += "<dt>Covers</dt><dd>\(PlanExplanation.amount(t.coveredExpected)) (\(ReplayFormat.percent(t.share)) of the demand) beyond the teams before it</dd>"
            body += "<dt>Routes</dt><dd>\(t.routes.isEmpty ? "none within reach" : t.routes.map(esc).joined(separator: ", "))</dd>"
            body += "<dt>Nearest post</dt><dd>\(t.nearestPost.map { "\(esc($0)), \(Explanation.number(t.nearestPostKm ?? 0)) km" } ?? "none in the scene")</dd>"
            body += "</dl><p>\(esc(t.explanation)).</p></article>\n"
        }
        body += "</section>\n"
        if !result.sitesSkipped.isEmpty {
            body += "<section class=\"notes\"><h2>Sites skipped</h2><p>\(result.sitesSkipped.count) of the --sites points were skipped (outside the study area or invalid); plan-summary.json lists them.</p></section>\n"
        }
        body += "<footer><p>routerisk plan · maximal covering location problem (Church &amp; ReVelle 1974) over \(result.plan.forecast == .kde ? "the kernel density of recent interceptions" : "the forecast") · \(esc(optionsText(result)))</p></footer>\n</main>\n"
        // Split first, so that no text inserted (a scene named "@BODY@") is taken for a placeholder.
        let parts = template.components(separatedBy: "@BODY@")
        precondition(parts.count == 2, "the page template has one body placeholder")
        return parts[0].replacingOccurrences(of: "@TITLE@", with: esc("routerisk plan · " + scene)) + body + parts[1]
    }

    static func esc(_ s: String) -> String { ReplayFormat.xmlEscaped(s) }

    static func gapText(_ gap: Double) -> String {
        gap == 0 ? "0" : gap < 1e-4 ? String(format: "%.1e", gap) : ReplayFormat.percent(gap)
    }

    static func statusText(_ s: PlanStatus) -> String {
        switch s {
        case .optimal: return "optimal (proven)"
        case .timeLimit: return "time limit reached: best plan found, gap not closed"
        case .greedy: return "greedy plan"
        }
    }

    static func optionsText(_ r: PlanResult) -> String {
        let o = r.options
        return [
            "cell \(Explanation.number(o.cellSize / 1000)) km", "bandwidth \(String(format: "%.1f", r.bandwidthKm)) km (\(o.bandwidthText))",
            "half-life " + (o.halfLifeDays.map { "\(Explanation.number($0)) d" } ?? "none"),
            "window " + (o.windowDays.map { "\(Explanation.number($0)) d" } ?? "all history"),
            "corridor \(Explanation.number(o.corridor / 1000)) km", "forecast \(r.plan.forecast.rawValue)",
            "time limit \(Explanation.number(r.plan.timeLimit)) s",
        ].joined(separator: ", ")
    }

    /// Maps metres of the working projection to SVG units (y flipped).
    struct Frame {
        let x0: Double, y1: Double, k: Double, width: Double, height: Double
        let minX: Double, minY: Double, maxX: Double, maxY: Double

        init(minX: Double, minY: Double, maxX: Double, maxY: Double, width: Double) {
            self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
            let spanX = max(maxX - minX, 1), spanY = max(maxY - minY, 1)
            x0 = minX; y1 = maxY
            k = width / spanX
            self.width = width
            height = max(60, (spanY * k).rounded())
        }

        func x(_ v: Double) -> String { String(format: "%.1f", (v - x0) * k) }
        func y(_ v: Double) -> String { String(format: "%.1f", (y1 - v) * k) }

        func touches(_ points: [PlanarPoint]) -> Bool {
            var lx = Double.infinity, hx = -Double.infinity, ly = Double.infinity, hy = -Double.infinity
            for p in points { lx = min(lx, p.x); hx = max(hx, p.x); ly = min(ly, p.y); hy = max(hy, p.y) }
            return hx >= minX && lx <= maxX && hy >= minY && ly <= maxY
        }

        func path(_ lines: [[PlanarPoint]], close: Bool) -> String {
            var d = ""
            for line in lines where line.count >= 2 && touches(line) {
                d += "M" + line.map { "\(x($0.x)) \(y($0.y))" }.joined(separator: "L")
                if close { d += "Z" }
            }
            return d
        }
    }

    /// The teams' discs, padded by 25 % and to at least 80 km across, in the shape of the page's map.
    static func teamFrame(_ r: PlanResult, width: Double) -> Frame {
        let pts = r.teams.flatMap(\.disc)
        guard !pts.isEmpty else {
            return Frame(minX: r.map.minX, minY: r.map.minY, maxX: r.map.maxX, maxY: r.map.maxY, width: width)
        }
        var minX = pts.map(\.x).min()!, maxX = pts.map(\.x).max()!
        var minY = pts.map(\.y).min()!, maxY = pts.map(\.y).max()!
        let span = max(maxX - minX, maxY - minY, 80_000) * 1.25
        let cx = (minX + maxX) / 2, cy = (minY + maxY) / 2
        let sx = max(maxX - minX, span), sy = max(maxY - minY, span * 0.62)
        minX = cx - sx / 2; maxX = cx + sx / 2; minY = cy - sy / 2; maxY = cy + sy / 2
        return Frame(minX: minX, minY: minY, maxX: maxX, maxY: maxY, width: width)
    }

    /// Demand shading: one ramp (ColorBrewer YlOrRd, as the replay's cells), logarithmic when the
    /// demand spans more than a factor of 10.
    static func shade(_ cells: [PlanDemandCell]) -> (PlanDemandCell) -> String {
        let values = cells.map(\.demand).filter { $0 > 0 }
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        let logarithmic = lo > 0 && hi / lo > 10
        return { c in
            guard hi > lo else { return ReplayIntensityScale.colour(1) }
            let t = logarithmic ? (log(c.demand) - log(lo)) / (log(hi) - log(lo)) : (c.demand - lo) / (hi - lo)
            return ReplayIntensityScale.colour(t)
        }
    }

    static func geography(_ m: ReplayMap, _ f: Frame, mark: Double, routeWidth: Double) -> String {
        var svg = ""
        svg += "<path class=\"coast\" d=\"\(f.path(m.coastline, close: false))\"/>"
        svg += "<path class=\"border\" d=\"\(f.path(m.borders, close: false))\"/>"
        for r in m.routes {
            let d = f.path(r.parts, close: false)
            if d.isEmpty { continue }
            svg += "<path class=\"route\" stroke-width=\"\(routeWidth)\" d=\"\(d)\"><title>\(esc(r.name == r.id ? r.name : "\(r.name) (\(r.id))"))</title></path>"
        }
        for p in m.posts where f.touches([p.position]) {
            let x = f.x(p.position.x), y = f.y(p.position.y)
            let title = "<title>\(p.kind == .sea ? "Seaport" : "Land post"): \(esc(p.name))</title>"
            if p.kind == .sea {
                svg += "<path class=\"post sea\" transform=\"translate(\(x) \(y))\" d=\"M0 \(-mark)L\(mark) \(mark * 0.8)L\(-mark) \(mark * 0.8)Z\">\(title)</path>"
            } else {
                svg += "<rect class=\"post land\" x=\"\(String(format: "%.1f", Double(x)! - mark * 0.8))\" y=\"\(String(format: "%.1f", Double(y)! - mark * 0.8))\" width=\"\(mark * 1.6)\" height=\"\(mark * 1.6)\">\(title)</rect>"
            }
        }
        return svg
    }

    static func mainMap(_ r: PlanResult) -> String {
        let f = teamFrame(r, width: 1000)
        let colour = shade(r.demandCells)
        var svg = "<svg id=\"map\" class=\"map\" role=\"img\" aria-labelledby=\"map-title\" viewBox=\"0 0 \(Int(f.width)) \(Int(f.height))\">"
        svg += "<title id=\"map-title\">The teams' areas over the demand, coastline, borders, routes and posts</title>"
        svg += "<rect class=\"sea\" x=\"0\" y=\"0\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\"/>"
        svg += "<g class=\"cells\">"
        for c in r.demandCells where f.touches(c.ring) {
            svg += "<path class=\"cell\(c.postCovered ? " watched" : "")\" fill=\"\(colour(c))\" d=\"\(f.path([c.ring], close: true))\"/>"
        }
        svg += "</g>"
        svg += geography(r.map, f, mark: 7, routeWidth: 1.6)
        for t in r.teams {
            svg += "<g class=\"disc\" data-team=\"\(t.team)\"><path d=\"\(f.path([t.disc], close: true))\"><title>Team \(t.team): \(esc(t.explanation))</title></path>"
            svg += "<circle cx=\"\(f.x(t.site.x))\" cy=\"\(f.y(t.site.y))\" r=\"11\"/><text x=\"\(f.x(t.site.x))\" y=\"\(f.y(t.site.y))\" dy=\"4.5\">\(t.team)</text></g>"
        }
        let barKm = scaleBarKm(f)
        let barW = barKm * 1000 * f.k
        svg += "<g class=\"scalebar\" transform=\"translate(16 \(Int(f.height) - 18))\"><rect x=\"-6\" y=\"-16\" width=\"\(String(format: "%.0f", barW + 60))\" height=\"26\"/><line x1=\"0\" y1=\"0\" x2=\"\(String(format: "%.1f", barW))\" y2=\"0\"/><text x=\"\(String(format: "%.1f", barW + 6))\" y=\"4\">\(Explanation.number(barKm)) km</text></g>"
        svg += "</svg>\n"
        return svg
    }

    /// A small map of one team's surroundings: a window of 3.2 ρ across around the site.
    static func teamMap(_ r: PlanResult, _ t: PlanTeam) -> String {
        let half = 1.6 * r.plan.radius
        let f = Frame(minX: t.site.x - half * 1.5, minY: t.site.y - half, maxX: t.site.x + half * 1.5, maxY: t.site.y + half, width: 300)
        let colour = shade(r.demandCells)
        var svg = "<svg class=\"teammap\" role=\"img\" aria-label=\"Team \(t.team)'s area\" viewBox=\"0 0 \(Int(f.width)) \(Int(f.height))\">"
        svg += "<rect class=\"sea\" x=\"0\" y=\"0\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\"/>"
        for c in r.demandCells where f.touches(c.ring) {
            svg += "<path class=\"cell\(c.postCovered ? " watched" : "")\" fill=\"\(colour(c))\" d=\"\(f.path([c.ring], close: true))\"/>"
        }
        svg += geography(r.map, f, mark: 5, routeWidth: 1.4)
        svg += "<g class=\"disc\"><path d=\"\(f.path([t.disc], close: true))\"/><circle cx=\"\(f.x(t.site.x))\" cy=\"\(f.y(t.site.y))\" r=\"4\"/></g>"
        svg += "</svg>"
        return svg
    }

    static func scaleBarKm(_ f: Frame) -> Double {
        let target = (f.maxX - f.minX) / 1000 / 5
        for v in [1.0, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where v >= target { return v }
        return 1000
    }

    static func overviewMap(_ r: PlanResult) -> String {
        let m = r.map
        let f = Frame(minX: m.minX, minY: m.minY, maxX: m.maxX, maxY: m.maxY, width: 1000)
        let focus = teamFrame(r, width: 1000)
        var svg = "<svg id=\"overview\" class=\"overview\" role=\"img\" aria-labelledby=\"overview-title\" viewBox=\"0 0 \(Int(f.width)) \(Int(f.height))\">"
        svg += "<title id=\"overview-title\">The whole study area, with the frame of the main map and the teams</title>"
        svg += "<rect class=\"sea\" x=\"0\" y=\"0\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\"/>"
        svg += "<path class=\"coast\" d=\"\(f.path(m.coastline, close: false))\"/>"
        svg += "<path class=\"border\" d=\"\(f.path(m.borders, close: false))\"/>"
        svg += "<path class=\"route\" stroke-width=\"1\" d=\"\(f.path(m.routes.flatMap(\.parts), close: false))\"/>"
        svg += "<rect class=\"focus\" x=\"\(f.x(focus.minX))\" y=\"\(f.y(focus.maxY))\" width=\"\(String(format: "%.1f", (focus.maxX - focus.minX) * f.k))\" height=\"\(String(format: "%.1f", (focus.maxY - focus.minY) * f.k))\"/>"
        for t in r.teams {
            svg += "<circle class=\"site\" cx=\"\(f.x(t.site.x))\" cy=\"\(f.y(t.site.y))\" r=\"6\"><title>Team \(t.team)</title></circle>"
        }
        svg += "</svg>\n"
        return svg
    }

    static func legend(_ r: PlanResult) -> String {
        let values = r.demandCells.map(\.demand)
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        var s = "<div class=\"legend\"><span>Demand per cell: \(PlanExplanation.amount(lo)) <span class=\"swatches\">"
        for i in 0..<8 { s += "<span style=\"background:\(ReplayIntensityScale.colour(Double(i) / 7))\"></span>" }
        s += "</span> \(PlanExplanation.amount(hi))\(lo > 0 && hi / lo > 10 ? " (log scale)" : "")</span>"
        s += "<span><span class=\"sym disc\"></span>team area (\(Explanation.number(r.plan.radius / 1000)) km)</span>"
        s += "<span><span class=\"sym line\"></span>route</span><span><span class=\"sym land\"></span>land post</span><span><span class=\"sym sea\"></span>seaport</span>"
        if r.plan.postRadius > 0 { s += "<span><span class=\"sym watched\"></span>watched by a post</span>" }
        s += "</div>\n"
        return s
    }

    private static let template = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>@TITLE@</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2430;background:#f4f5f7}
header{padding:10px 16px;background:#1d2430;color:#fff}
header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:2px 0 0;font-size:12px;color:#c8cdd6}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(260px,1fr);gap:12px;padding:12px;max-width:1400px}
.maps{grid-column:1;background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px}
.totals{grid-column:2;background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:10px 12px;align-self:start}
.teams{grid-column:1 / span 2;display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
.teams h2{grid-column:1 / -1;margin:4px 0 0}
.notes,footer{grid-column:1 / span 2}
h2{font-size:15px;margin:0 0 6px}
.team{background:#fff;border:1px solid #d5d9e0;border-left:5px solid #5a2ca0;border-radius:6px;padding:8px 12px;break-inside:avoid}
.team h3{margin:0 0 4px;font-size:15px}
.team dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0 0 4px;font-size:13px}
.team dt{color:#4a5365}.team dd{margin:0}
.team p{margin:4px 0 0;font-size:12px;color:#3a4252}
.teammap{width:100%;height:auto;display:block;margin:0 0 6px;border:1px solid #e1e4ea}
.teammap .route{stroke:#2d3748;opacity:1}
.badge{display:inline-block;min-width:22px;padding:0 6px;border-radius:11px;background:#5a2ca0;color:#fff;text-align:center}
table{border-collapse:collapse;width:100%}
th,td{padding:3px 4px;border-bottom:1px solid #eceff3;text-align:left;font-weight:normal;vertical-align:top}
td{text-align:right;font-variant-numeric:tabular-nums}
th{color:#4a5365}
.map{width:100%;height:auto;display:block}
.overview{width:38%;height:auto;display:block;margin-top:8px;border:1px solid #d5d9e0}
.sea{fill:#eef4f8}
.coast{fill:none;stroke:#3d6e8f;stroke-width:1.2}
.border{fill:none;stroke:#6b6b6b;stroke-width:1;stroke-dasharray:5 3}
.route{fill:none;stroke:#8c96a6;opacity:.85}
.cell{stroke:none;fill-opacity:.75}
.cell.watched{fill:#b8c4b8 !important}
.post{stroke:#fff;stroke-width:.8}
.post.land{fill:#1f7a3a}.post.sea{fill:#1c5fa8}
.disc path{fill:#5a2ca0;fill-opacity:.12;stroke:#5a2ca0;stroke-width:2.2}
.disc circle{fill:#5a2ca0;stroke:#fff;stroke-width:1.5}
.disc text{fill:#fff;font-size:13px;font-weight:700;text-anchor:middle}
.scalebar rect{fill:#fff;fill-opacity:.8}
.scalebar line{stroke:#1d2430;stroke-width:3}
.scalebar text{font-size:12px;fill:#1d2430}
.focus{fill:none;stroke:#b0182a;stroke-width:2}
.site{fill:#5a2ca0;stroke:#fff;stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:12px;margin-top:6px}
.swatches{display:inline-flex;border:1px solid #aaa;vertical-align:-2px}
.swatches span{display:inline-block;width:14px;height:12px}
.sym{display:inline-block;width:12px;height:12px;vertical-align:-2px;margin-right:3px}
.sym.disc{border:2px solid #5a2ca0;border-radius:50%;background:rgba(90,44,160,.12)}
.sym.line{width:18px;height:0;border-top:3px solid #8c96a6}
.sym.land{background:#1f7a3a}
.sym.sea{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:11px solid #1c5fa8}
.sym.watched{background:#b8c4b8}
footer{font-size:11px;color:#5b6474}
@page{size:A4;margin:10mm}
@media print{
  body{background:#fff;font-size:10.5pt}
  header{background:#fff;color:#000;border-bottom:2px solid #000;padding:0 0 4px}
  header p{color:#333}
  main{display:block;padding:0;max-width:none}
  .maps,.totals,.team{border-color:#999;border-radius:0;box-shadow:none}
  .maps{padding:0;border:none}
  .overview{width:30%}
  .totals{margin:6px 0;break-inside:avoid}
  .teams{display:grid;grid-template-columns:1fr 1fr;gap:6px}
  .team{padding:4px 8px;font-size:9.5pt}
  .teammap{width:55%;float:right;margin:0 0 2px 6px}
  footer{margin-top:6px}
}
</style>
</head>
<body>
@BODY@
</body>
</html>

"""#
}

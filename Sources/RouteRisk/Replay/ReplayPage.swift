import Foundation

/// `replay.html` (issue 4): one self-contained page that replays a `ReplayResult` step by step.
///
/// No network, no external file: inline CSS, vanilla JavaScript, and the data as one JSON
/// blob in `<script type="application/json" id="replay-data">`. A Content-Security-Policy
/// meta element forbids every fetch, so an accidental reference shows up as a console error.
/// All user text (route and post names, the scene name) travels inside the JSON, escaped so
/// that it cannot close the script element, and the script only ever sets `textContent`.
///
/// The JSON blob (`"format": "routerisk-replay-page-1"`): coordinates in whole metres of the
/// working projection; every line or ring is `[x0, y0, dx1, dy1, …]`, each pair a delta from
/// the previous rounded point. Steps carry `start`/`end` as dates, the metrics under the
/// CSV's names, `cells` as `[q, r, intensity_km2, ring]`, `events` as
/// `[x, y, date, persons, hit (1/0)]` and `top` as route ids in rank order.
///
/// Hooks for the browser test: `window.replayReady === true` after the first render,
/// `window.replayStep` (1-based; 0 when there is no step), `window.replayGoTo(n)`;
/// each render sets `document.body.dataset.step`, draws `[data-cell]` and `[data-event]`
/// elements and sets `data-step` on `#metrics`.
public enum ReplayPage {
    public static let dataFormat = "routerisk-replay-page-1"

    public static func html(_ replay: ReplayResult) -> String {
        let scene = ReplayFormat.sceneName(replay.scenePath)
        let json = data(replay).compactHTMLSafe()
        // Split first, so that no text inserted (a scene named "@DATA@") is taken for a placeholder.
        let parts = template.components(separatedBy: "@DATA@")
        precondition(parts.count == 2, "the page template has one data placeholder")
        let withPlan = replay.summary.planTeams != nil
        let head = parts[0].replacingOccurrences(of: "@PLANCARD@", with: withPlan ? planCard : "")
            .replacingOccurrences(of: "@TITLE@", with: ReplayFormat.xmlEscaped("routerisk replay · " + scene))
        return head + json + parts[1].replacingOccurrences(of: "@PLANSCRIPT@", with: withPlan ? planScript : "")
    }

    /// The page's data blob.
    static func data(_ replay: ReplayResult) -> ReplayJSON {
        let map = replay.map
        let steps: [ReplayJSON] = replay.steps.enumerated().map { index, step in
            let m = step.metrics
            // A shared export (`--share`): counts per chosen cell and elsewhere, null where withheld.
            let shared = replay.sharing?.steps[index]
            func count(_ n: Int?) -> ReplayJSON { n.map { .int($0) } ?? .null }
            var metricMembers: [(String, ReplayJSON)] = [
                ("test_events", shared.map { count($0.testEvents) } ?? .int(m.testEvents)),
                ("hit_rate", .optional(m.hitRate)),
                ("area_fraction", .number(m.areaFraction)),
                ("pai", .optional(m.pai)),
                ("pei_star", .optional(m.peiStar)),
                ("route_hit_rate", .optional(m.routeHitRate)),
                ("baseline_hit_rate", .optional(m.baselineHitRate)),
                ("baseline_pai", .optional(m.baselinePAI)),
            ]
            // MODEL §14's plan metrics, only with --plan-teams (the page is unchanged without).
            if replay.summary.planTeams != nil {
                metricMembers += [
                    ("plan_hit_rate", .optional(m.planHitRate)),
                    ("baseline_plan_hit_rate", .optional(m.baselinePlanHitRate)),
                    ("hindsight_hit_rate", .optional(m.hindsightHitRate)),
                    ("plan_efficiency", .optional(m.planEfficiency)),
                    ("baseline_plan_efficiency", .optional(m.baselinePlanEfficiency)),
                ]
            }
            let metrics: ReplayJSON = .object(metricMembers)
            let cells: [ReplayJSON] = step.cells.enumerated().map { rank, cell in
                .array([.int(cell.q), .int(cell.r), .number(cell.intensityKm2), .array(ReplayFormat.deltaLine(cell.ring))]
                       + (shared.map { [count($0.inCells[rank])] } ?? []))
            }
            let events: [ReplayJSON] = step.events.map { e in
                .array([.int(ReplayFormat.metres(e.position.x)), .int(ReplayFormat.metres(e.position.y)),
                        .string(ReplayFormat.date(e.time)), .int(e.persons), .int(e.hit ? 1 : 0)])
            }
            return .object([
                ("step", .int(m.step)),
                ("start", .string(ReplayFormat.date(m.start))),
                ("end", .string(ReplayFormat.date(m.end))),
                ("metrics", metrics),
                ("cells", .array(cells)),
                ("events", .array(events)),
                ("top", .array(step.topRoutes.map { .string($0) })),
            ] + (shared.map { [("elsewhere", count($0.elsewhere))] } ?? []))
        }
        let s = replay.summary
        var summaryMembers: [(String, ReplayJSON)] = [
            ("model", .string(s.model)),
            ("steps", .int(s.steps)),
            ("steps_with_test_events", .int(s.stepsWithTestEvents)),
            ("coverage", .string(s.coverage)),
            ("cells_chosen", .int(s.cellsChosen)),
            ("mean_hit_rate", .optional(s.meanHitRate)),
            ("mean_area_fraction", .optional(s.meanAreaFraction)),
            ("mean_pai", .optional(s.meanPAI)),
            ("mean_pei_star", .optional(s.meanPEIStar)),
            ("mean_route_hit_rate", .optional(s.meanRouteHitRate)),
            ("mean_baseline_hit_rate", .optional(s.meanBaselineHitRate)),
            ("mean_baseline_pai", .optional(s.meanBaselinePAI)),
            ("pai_ratio", .optional(s.paiRatio)),
            ("forecast", .string(s.forecast ?? "kde")),
            ("mean_kde_pai", .optional(s.meanKdePAI)),
            ("kde_pai_ratio", .optional(s.kdePaiRatio)),
        ]
        if let teams = s.planTeams {
            summaryMembers += [
                ("plan_teams", .int(teams)),
                ("plan_radius_km", .optional(s.planRadiusKm)),
                ("post_radius_km", .optional(s.postRadiusKm)),
                ("mean_plan_hit_rate", .optional(s.meanPlanHitRate)),
                ("mean_baseline_plan_hit_rate", .optional(s.meanBaselinePlanHitRate)),
                ("mean_hindsight_hit_rate", .optional(s.meanHindsightHitRate)),
                ("mean_plan_efficiency", .optional(s.meanPlanEfficiency)),
            ]
        }
        let summary: ReplayJSON = .object(summaryMembers)
        return .object([
            ("format", .string(dataFormat)),
            ("scene", .string(ReplayFormat.sceneName(replay.scenePath))),
            ("options", .string(ReplayFormat.oneLine(replay.optionsText))),
            ("cell_m", .int(ReplayFormat.metres(replay.cellSize))),
            ("corridor_m", .int(ReplayFormat.metres(replay.corridor))),
            ("extent", .array([map.minX, map.minY, map.maxX, map.maxY].map { .int(ReplayFormat.metres($0)) })),
            ("coastline", .array(map.coastline.map { .array(ReplayFormat.deltaLine($0)) })),
            ("borders", .array(map.borders.map { .array(ReplayFormat.deltaLine($0)) })),
            ("posts", .array(map.posts.map { p in
                .array([.string(p.name), .string(p.kind.rawValue),
                        .int(ReplayFormat.metres(p.position.x)), .int(ReplayFormat.metres(p.position.y))])
            })),
            ("routes", .array(map.routes.map { r in
                .array([.string(r.id), .string(r.name), .array(r.parts.map { .array(ReplayFormat.deltaLine($0)) })])
            })),
            ("steps", .array(steps)),
            ("summary", summary),
        ] + (replay.sharing.map { [("share_min_count", ReplayJSON.int($0.rule.minimumCount))] } ?? []))
    }

    /// The card of MODEL §14's plan metrics (only with --plan-teams): a chart of plan efficiency
    /// per step against the baseline plan's, and the means.
    static let planCard = #"""
<section class="card" aria-labelledby="plan-title" id="plancard">
<h2 id="plan-title">Patrol plans: efficiency per step, model against the baseline plan</h2>
<svg id="planchart" role="img" aria-labelledby="plan-title" viewBox="0 0 360 170"></svg>
<small>Plan efficiency = plan hit rate / hindsight hit rate (the best any K teams could have done on the period's events); 1 = as good as hindsight.</small>
<table><tbody id="plan-summary-body"></tbody></table>
</section>

"""#

    /// Adds the plan rows to the metrics panel at every step (it watches `#metrics`'s
    /// `data-step`) and draws the plan chart; only with --plan-teams.
    static let planScript = #"""
<script>
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('replay-data').textContent);
  const steps = data.steps, S = steps.length, sm = data.summary;
  const $ = (id) => document.getElementById(id);
  const chart = $('planchart');
  const NS = chart.namespaceURI;
  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k of Object.keys(attrs)) { e.setAttribute(k, String(attrs[k])); }
    parent.appendChild(e);
    return e;
  }
  function pct(v) {
    if (v === null || v === undefined || !isFinite(v)) { return '–'; }
    let s = Math.abs(v * 100) < 10 ? (v * 100).toFixed(1) : (v * 100).toFixed(0);
    if (s.endsWith('.0')) { s = s.slice(0, -2); }
    return s + ' %';
  }
  function two(v) { return (v === null || v === undefined) ? '–' : v.toFixed(2); }
  function row(body, a, b, planRow) {
    const tr = document.createElement('tr');
    if (planRow) { tr.dataset.plan = '1'; }
    const th = document.createElement('th'); th.scope = 'row'; th.textContent = a;
    const td = document.createElement('td'); td.textContent = b;
    tr.appendChild(th); tr.appendChild(td); body.appendChild(tr);
  }
  const teams = sm.plan_teams + ' teams of ' + sm.plan_radius_km + ' km';
  row($('plan-summary-body'), 'Plans', teams + (sm.post_radius_km > 0 ? ', posts watch ' + sm.post_radius_km + ' km' : ''));
  row($('plan-summary-body'), 'Mean plan hit rate', pct(sm.mean_plan_hit_rate));
  row($('plan-summary-body'), 'Mean baseline plan hit rate', pct(sm.mean_baseline_plan_hit_rate));
  row($('plan-summary-body'), 'Mean hindsight hit rate', pct(sm.mean_hindsight_hit_rate));
  row($('plan-summary-body'), 'Mean plan efficiency', two(sm.mean_plan_efficiency));
  const metrics = $('metrics');
  function addRows() {
    const n = Number(metrics.dataset.step);
    if (!(n >= 1 && n <= S)) { return; }
    const body = $('metrics-body');
    for (const old of body.querySelectorAll('tr[data-plan]')) { body.removeChild(old); }
    const m = steps[n - 1].metrics;
    row(body, 'Plan hit rate (' + sm.plan_teams + ' teams)', pct(m.plan_hit_rate), true);
    row(body, 'Baseline plan hit rate', pct(m.baseline_plan_hit_rate), true);
    row(body, 'Hindsight hit rate', pct(m.hindsight_hit_rate), true);
    row(body, 'Plan efficiency', two(m.plan_efficiency), true);
  }
  new MutationObserver(addRows).observe(metrics, { attributes: true, attributeFilter: ['data-step'] });
  addRows();
  const CW = 360, CH = 170, L = 34, R = 10, T = 18, B = 26;
  const cx = (n) => S <= 1 ? (L + CW - R) / 2 : L + (n - 1) * (CW - L - R) / (S - 1);
  const cy = (v) => T + (1 - v / 1.05) * (CH - T - B);
  el('line', { x1: L, y1: cy(0), x2: CW - R, y2: cy(0), stroke: '#888' }, chart);
  el('line', { x1: L, y1: T, x2: L, y2: cy(0), stroke: '#888' }, chart);
  el('line', { x1: L, y1: cy(1), x2: CW - R, y2: cy(1), stroke: '#bbb', 'stroke-dasharray': '2 3' }, chart);
  function label(text, x, y, anchor) {
    const t = el('text', { x: x, y: y, 'font-size': 10, fill: '#4a5365', 'text-anchor': anchor || 'start' }, chart);
    t.textContent = text;
  }
  label('0', L - 4, cy(0) + 3, 'end'); label('1', L - 4, cy(1) + 3, 'end');
  if (S > 0) { label('1', cx(1), CH - 10, 'middle'); }
  if (S > 1) { label(String(S), cx(S), CH - 10, 'middle'); }
  label('step', (L + CW - R) / 2, CH - 2, 'middle');
  function series(key, colourName, dash) {
    let d = '', open = false;
    steps.forEach((s, i) => {
      const v = s.metrics[key];
      if (v === null || v === undefined) { open = false; return; }
      d += (open ? 'L' : 'M') + cx(i + 1).toFixed(1) + ' ' + cy(v).toFixed(1);
      open = true;
      el('circle', { cx: cx(i + 1).toFixed(1), cy: cy(v).toFixed(1), r: 2, fill: colourName, 'data-plan-point': key }, chart);
    });
    el('path', { d: d, fill: 'none', stroke: colourName, 'stroke-width': 1.8, 'stroke-dasharray': dash || 'none' }, chart);
  }
  series('baseline_plan_efficiency', '#7d8694', '5 3');
  series('plan_efficiency', '#5a2ca0', null);
  el('line', { x1: L + 4, y1: 8, x2: L + 22, y2: 8, stroke: '#5a2ca0', 'stroke-width': 2 }, chart);
  label('model plan', L + 26, 11);
  el('line', { x1: L + 94, y1: 8, x2: L + 112, y2: 8, stroke: '#7d8694', 'stroke-width': 2, 'stroke-dasharray': '5 3' }, chart);
  label('baseline plan', L + 116, 11);
  window.replayPlanReady = true;
})();
</script>

"""#

    // The page. Placeholders: @TITLE@ (HTML-escaped) and @DATA@ (HTML-safe JSON).
    // The script uses no line comments and no URL of any kind (the SVG namespace is read
    // from the inline <svg>), so the file holds no "//" reference a checker could mistake.
    private static let template = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>@TITLE@</title>
<style>
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2430;background:#f4f5f7}
header{padding:10px 16px;background:#1d2430;color:#fff}
header h1{margin:0;font-size:18px;font-weight:600}
header p{margin:2px 0 0;font-size:12px;color:#c8cdd6}
main{display:flex;flex-wrap:wrap;gap:12px;padding:12px}
#mapbox{flex:3 1 560px;min-width:320px;background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px}
#side{flex:1 1 320px;min-width:300px;display:flex;flex-direction:column;gap:12px}
.card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:10px 12px}
.card h2{margin:0 0 6px;font-size:14px}
#map{width:100%;height:auto;display:block;background:#eef4f8}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-bottom:8px}
.controls button{font:inherit;padding:4px 10px;border:1px solid #8a93a3;border-radius:4px;background:#fff;cursor:pointer}
.controls button:disabled{opacity:.45;cursor:default}
.controls button:focus-visible,#slider:focus-visible{outline:3px solid #2b6cb0;outline-offset:1px}
#slider{flex:1 1 160px}
#status{font-weight:600;margin:0 0 6px}
.coast{fill:none;stroke:#3d6e8f;stroke-width:1.2}
.border{fill:none;stroke:#6b6b6b;stroke-width:1;stroke-dasharray:5 3}
.route{fill:none;stroke:#8c96a6;stroke-width:1;opacity:.7}
.route.top{stroke:#5a2ca0;stroke-width:2.6;opacity:1}
.cell{stroke:#7a1020;stroke-width:.6;fill-opacity:.82}
.cell.zero{stroke:none;fill:#c8c8c8;fill-opacity:.6}
#map path,#map circle,#map rect,#map polygon,#map line{vector-effect:non-scaling-stroke}
#map{cursor:grab;touch-action:none}
.ev{stroke-width:1.6}
.ev.hit{fill:#111;stroke:#fff}
.ev.miss{fill:#fff;stroke:#111}
.post{stroke:#fff;stroke-width:.8}
.post.land{fill:#1f7a3a}
.post.sea{fill:#1c5fa8}
table{border-collapse:collapse;width:100%}
th,td{padding:2px 4px;border-bottom:1px solid #eceff3;text-align:left;font-weight:normal}
td{text-align:right;font-variant-numeric:tabular-nums}
th{color:#4a5365}
#note{font-size:12px;color:#7a4a00;margin:6px 0 0}
#chart{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:12px;margin-top:6px}
.swatches{display:inline-flex;border:1px solid #aaa}
.swatches span{display:inline-block;width:14px;height:12px}
.sym{display:inline-block;width:10px;height:10px;border-radius:50%;border:1.5px solid #111;vertical-align:-1px;margin-right:3px}
.sym.hit{background:#111}
.sym.miss{background:#fff}
.sym.land,.sym.sea{border-radius:0;border:none}
.sym.land{background:#1f7a3a}
.sym.sea{background:#1c5fa8;width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:10px solid #1c5fa8;background:none}
.sym.line{width:18px;height:0;border-radius:0;border:none;border-top:3px solid #5a2ca0}
ol{margin:0;padding-left:22px}
#summary p{margin:4px 0}
small{color:#5b6474}
</style>
</head>
<body data-step="0">
<header>
<h1 id="title">routerisk replay</h1>
<p id="subtitle"></p>
</header>
<main>
<section id="mapbox" aria-labelledby="maptitle">
<div class="controls" role="group" aria-label="Replay controls">
<button type="button" id="back" aria-label="Step back" title="Step back (Left arrow)">&#9664; Back</button>
<button type="button" id="play" title="Play (Space)">Play</button>
<button type="button" id="pause" title="Pause (Space)">Pause</button>
<button type="button" id="fwd" aria-label="Step forward" title="Step forward (Right arrow)">Forward &#9654;</button>
<label for="slider">Step</label>
<input type="range" id="slider" min="1" max="1" value="1" step="1">
</div>
<p id="status" aria-live="polite"></p>
<svg id="map" role="img" aria-labelledby="maptitle mapdesc" viewBox="0 0 1000 600">
<title id="maptitle">Map of the replay step</title>
<desc id="mapdesc">Predicted cells shaded by intensity, the test events of the next period as points, coastline, borders, posts and routes; the top 10 routes of the step are highlighted.</desc>
<g id="g-coast"></g><g id="g-borders"></g><g id="g-cells"></g><g id="g-routes"></g><g id="g-events"></g><g id="g-posts"></g>
</svg>
<div class="legend" aria-label="Legend">
<span>Predicted cells, <span id="scale-name">λ (events/km²)</span> <span id="scale-kind"></span>: <span id="ramp-low"></span> <span class="swatches" id="swatches"></span> <span id="ramp-high"></span></span>
<span><span class="swatches"><span style="background:#c8c8c8"></span></span> chosen with λ = 0 (ties, in (q, r) order)</span>
<span><span class="sym hit"></span>test event in a predicted cell (hit)</span>
<span><span class="sym miss"></span>test event elsewhere (miss)</span>
<span><span class="sym line"></span>top 10 routes of the step</span>
<span><span class="sym land"></span>land post</span>
<span><span class="sym sea"></span>seaport</span>
<span>Zoom: wheel or + / −; pan: drag; reset: double-click or 0</span>
</div>
</section>
<div id="side">
<section class="card" aria-labelledby="metrics-title">
<h2 id="metrics-title">Metrics of the step</h2>
<table id="metrics" data-step="0"><tbody id="metrics-body"></tbody></table>
<p id="note"></p>
</section>
<section class="card" aria-labelledby="chart-title">
<h2 id="chart-title">PAI per step: model against the naive baseline</h2>
<svg id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 360 170"></svg>
<small>PAI = hit rate / area fraction; 1 = no better than chance. Steps without test events are gaps.</small>
</section>
@PLANCARD@<section class="card" aria-labelledby="routes-title">
<h2 id="routes-title">Top routes of the step</h2>
<ol id="toproutes"></ol>
</section>
<section class="card" id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">All steps</h2>
<table><tbody id="summary-body"></tbody></table>
<p id="verdict"></p>
<p><small id="options"></small></p>
</section>
</div>
</main>
<noscript><p>This replay page needs JavaScript.</p></noscript>
<script type="application/json" id="replay-data">@DATA@</script>
<script>
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('replay-data').textContent);
  const map = document.getElementById('map');
  const NS = map.namespaceURI;
  const steps = data.steps;
  const S = steps.length;
  const W = 1000;
  const RAMP = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]];
  const $ = (id) => document.getElementById(id);
  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    if (attrs) { for (const k of Object.keys(attrs)) { e.setAttribute(k, String(attrs[k])); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function titled(e, text) { const t = el('title', null, e); t.textContent = text; return e; }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  /* Numbers: one decimal below 10, whole above, ".0" dropped (the notebook's rules). */
  function short(v) {
    if (v === null || v === undefined || !isFinite(v)) { return '\u2013'; }
    let s = Math.abs(v) < 10 ? v.toFixed(1) : v.toFixed(0);
    if (s.endsWith('.0')) { s = s.slice(0, -2); }
    return s === '-0' ? '0' : s;
  }
  function pct(v) { return (v === null || v === undefined) ? '\u2013' : short(v * 100) + ' %'; }
  function two(v) { return (v === null || v === undefined) ? '\u2013' : v.toFixed(2); }
  function sig(v) { return (v === null || v === undefined) ? '\u2013' : Number(v).toPrecision(3); }
  /* A shared export (--share K): counts below K are null and said as "fewer than K". */
  const SHARE = data.share_min_count || 0;
  function shared(n) { return (n === null || n === undefined) ? 'fewer than ' + SHARE : String(n); }

  /* Projection: metres to SVG units, y flipped, 2 % margin around the extent. */
  const ex = data.extent;
  const spanX = Math.max(ex[2] - ex[0], 1), spanY = Math.max(ex[3] - ex[1], 1);
  const pad = 0.02 * Math.max(spanX, spanY);
  const x0 = ex[0] - pad, y1 = ex[3] + pad;
  const k = W / (spanX + 2 * pad);
  const H = Math.max(50, Math.round((spanY + 2 * pad) * k));
  map.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  const px = (x) => ((x - x0) * k).toFixed(1);
  const py = (y) => ((y1 - y) * k).toFixed(1);
  function decode(a) {
    const pts = []; let x = 0, y = 0;
    for (let i = 0; i + 1 < a.length; i += 2) { x += a[i]; y += a[i + 1]; pts.push([x, y]); }
    return pts;
  }
  function pathOf(lines, close) {
    let d = '';
    for (const line of lines) {
      const pts = decode(line);
      if (pts.length === 0) { continue; }
      d += 'M' + pts.map((p) => px(p[0]) + ' ' + py(p[1])).join('L');
      if (close) { d += 'Z'; }
    }
    return d;
  }

  /* Intensity scale over every step, logarithmic when it spans more than a factor of 10. */
  let lo = Infinity, hi = -Infinity;
  for (const s of steps) { for (const c of s.cells) { if (c[2] !== null) { lo = Math.min(lo, c[2]); hi = Math.max(hi, c[2]); } } }
  if (!isFinite(lo)) { lo = 0; hi = 0; }
  const logScale = lo > 0 && hi / lo > 10;
  function position(v) {
    if (v === null || !(hi > lo)) { return 1; }
    const t = logScale ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
    return Math.min(1, Math.max(0, t));
  }
  function colour(t) {
    const f = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
    const i = Math.min(Math.floor(f), RAMP.length - 2), u = f - i;
    const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * u));
    return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
  }
  $('scale-kind').textContent = logScale ? '(log scale)' : '';
  if (data.summary.forecast === 'routerisk-2') { $('scale-name').textContent = 'forecast (expected events/km\u00b2 over the horizon)'; }
  $('ramp-low').textContent = sig(lo);
  $('ramp-high').textContent = sig(hi);
  for (let i = 0; i < 8; i++) {
    const sw = document.createElement('span');
    sw.style.background = colour(i / 7);
    $('swatches').appendChild(sw);
  }

  /* Static layers. */
  el('path', { class: 'coast', d: pathOf(data.coastline, false) }, $('g-coast'));
  el('path', { class: 'border', d: pathOf(data.borders, false) }, $('g-borders'));
  const routeById = new Map();
  for (const r of data.routes) {
    const p = el('path', { class: 'route', d: pathOf(r[2], false), 'data-route': r[0] }, $('g-routes'));
    titled(p, r[1] === r[0] ? r[1] : r[1] + ' (' + r[0] + ')');
    routeById.set(r[0], { id: r[0], name: r[1], node: p });
  }
  const mark = W / 125;
  for (const p of data.posts) {
    const x = Number(px(p[2])), y = Number(py(p[3]));
    // Drawn around (0, 0) in a group placed at the post, so zooming can keep the mark's size.
    const g = el('g', { class: 'postmark', transform: 'translate(' + x + ' ' + y + ')' }, $('g-posts'));
    g.dataset.x = x; g.dataset.y = y;
    let node;
    if (p[1] === 'sea') {
      node = el('path', { class: 'post sea', d: 'M0 ' + (-mark) + 'L' + mark + ' ' + (mark * 0.8) + 'L' + (-mark) + ' ' + (mark * 0.8) + 'Z' }, g);
    } else {
      node = el('rect', { class: 'post land', x: -mark * 0.8, y: -mark * 0.8, width: mark * 1.6, height: mark * 1.6 }, g);
    }
    titled(node, (p[1] === 'sea' ? 'Seaport: ' : 'Land post: ') + p[0]);
  }

  /* Texts that do not change. */
  $('title').textContent = 'routerisk replay: ' + data.scene;
  $('subtitle').textContent = S + (S === 1 ? ' step' : ' steps') + ' \u00b7 ' + data.summary.model +
    ' \u00b7 coverage ' + data.summary.coverage + ' (' + data.summary.cells_chosen + ' cells)';
  $('options').textContent = 'Options: ' + data.options;
  const slider = $('slider');
  slider.max = String(Math.max(S, 1));
  slider.disabled = S === 0;
  const sm = data.summary;
  const sumRows = [
    ['Steps with test events', sm.steps_with_test_events + ' of ' + sm.steps],
    ['Mean hit rate', pct(sm.mean_hit_rate)],
    ['Mean area fraction', pct(sm.mean_area_fraction)],
    ['Mean PAI', short(sm.mean_pai)],
    ['Mean PEI*', two(sm.mean_pei_star)],
    ['Mean route hit rate', pct(sm.mean_route_hit_rate)],
    ['Mean baseline hit rate', pct(sm.mean_baseline_hit_rate)],
    ['Mean baseline PAI', short(sm.mean_baseline_pai)],
    ['PAI ratio (model / baseline)', two(sm.pai_ratio)],
    ['Forecast ranking the cells', sm.forecast === 'kde' ? 'kde (routerisk-1, MODEL \u00a75)' : sm.forecast + ' (route-aware, MODEL \u00a713)']
  ];
  if (sm.mean_kde_pai !== null) {
    sumRows.push(['Mean PAI of --forecast kde', short(sm.mean_kde_pai)]);
    sumRows.push(['PAI ratio (model / kde)', two(sm.kde_pai_ratio)]);
  }
  function fillTable(body, rows) {
    clear(body);
    for (const row of rows) {
      const tr = document.createElement('tr');
      const th = document.createElement('th'); th.scope = 'row'; th.textContent = row[0];
      const td = document.createElement('td'); td.textContent = row[1];
      tr.appendChild(th); tr.appendChild(td); body.appendChild(tr);
    }
  }
  fillTable($('summary-body'), sumRows);
  $('verdict').textContent = sm.pai_ratio === null ? 'No PAI ratio: no step could be scored against a baseline that caught anything.' :
    sm.pai_ratio > 1 ? 'On average the model put ' + two(sm.pai_ratio) + '\u00d7 as many interceptions per unit of area in its cells as the naive count of past events.' :
    sm.pai_ratio < 1 ? 'On average the naive count of past events did better than the model (ratio ' + two(sm.pai_ratio) + ').' :
    'On average the model did exactly as well as the naive count of past events.';

  /* The PAI chart. */
  const chart = $('chart');
  const CW = 360, CH = 170, L = 34, R = 10, T = 18, B = 26;
  let cmax = 1;
  for (const s of steps) { for (const v of [s.metrics.pai, s.metrics.baseline_pai]) { if (v !== null && v > cmax) { cmax = v; } } }
  cmax *= 1.1;
  const cx = (n) => S <= 1 ? (L + CW - R) / 2 : L + (n - 1) * (CW - L - R) / (S - 1);
  const cy = (v) => T + (1 - v / cmax) * (CH - T - B);
  el('line', { x1: L, y1: cy(0), x2: CW - R, y2: cy(0), stroke: '#888' }, chart);
  el('line', { x1: L, y1: T, x2: L, y2: cy(0), stroke: '#888' }, chart);
  el('line', { x1: L, y1: cy(1), x2: CW - R, y2: cy(1), stroke: '#bbb', 'stroke-dasharray': '2 3' }, chart);
  function label(text, x, y, anchor) {
    const t = el('text', { x: x, y: y, 'font-size': 10, fill: '#4a5365', 'text-anchor': anchor || 'start' }, chart);
    t.textContent = text; return t;
  }
  label('0', L - 4, cy(0) + 3, 'end');
  if (cy(0) - cy(1) > 12) { label('1', L - 4, cy(1) + 3, 'end'); }
  label(short(cmax / 1.1), L - 4, cy(cmax / 1.1) + 3, 'end');
  if (S > 0) { label('1', cx(1), CH - 10, 'middle'); }
  if (S > 1) { label(String(S), cx(S), CH - 10, 'middle'); }
  label('step', (L + CW - R) / 2, CH - 2, 'middle');
  function series(key, colourName, dash) {
    let d = '', open = false;
    steps.forEach((s, i) => {
      const v = s.metrics[key];
      if (v === null) { open = false; return; }
      d += (open ? 'L' : 'M') + cx(i + 1).toFixed(1) + ' ' + cy(v).toFixed(1);
      open = true;
      el('circle', { cx: cx(i + 1).toFixed(1), cy: cy(v).toFixed(1), r: 2, fill: colourName }, chart);
    });
    el('path', { d: d, fill: 'none', stroke: colourName, 'stroke-width': 1.8, 'stroke-dasharray': dash || 'none' }, chart);
  }
  series('baseline_pai', '#7d8694', '5 3');
  series('pai', '#b0182a', null);
  el('line', { x1: L + 4, y1: 8, x2: L + 22, y2: 8, stroke: '#b0182a', 'stroke-width': 2 }, chart);
  label('model', L + 26, 11);
  el('line', { x1: L + 74, y1: 8, x2: L + 92, y2: 8, stroke: '#7d8694', 'stroke-width': 2, 'stroke-dasharray': '5 3' }, chart);
  label('baseline', L + 96, 11);
  const cursor = el('line', { x1: 0, y1: T, x2: 0, y2: cy(0), stroke: '#1d2430', 'stroke-width': 1.2, 'data-cursor': '1' }, chart);
  const cursorDots = el('g', null, chart);
  chart.addEventListener('click', (ev) => {
    if (S === 0) { return; }
    const box = chart.getBoundingClientRect();
    const x = (ev.clientX - box.left) * CW / box.width;
    goTo(S <= 1 ? 1 : Math.round((x - L) / ((CW - L - R) / (S - 1))) + 1);
  });

  /* One step. */
  const cellsG = $('g-cells'), eventsG = $('g-events');
  const radius = W / 150;
  function render(n) {
    const s = steps[n - 1];
    const m = s.metrics;
    clear(cellsG); clear(eventsG);
    s.cells.forEach((c, i) => {
      // A cell chosen with λ = 0 only fills the coverage by the (q, r) tie order (MODEL §10): grey, no outline.
      const p = el('path', c[2] > 0 ? { class: 'cell', d: pathOf([c[3]], true), fill: colour(position(c[2])),
        'data-cell': c[0] + ',' + c[1] } : { class: 'cell zero', d: pathOf([c[3]], true),
        'data-cell': c[0] + ',' + c[1] }, cellsG);
      titled(p, 'Cell ' + c[0] + ',' + c[1] + ': rank ' + (i + 1) + ', \u03bb ' + sig(c[2]) + ' events/km\u00b2'
        + (SHARE ? ', ' + shared(c[4]) + ' test events' : ''));
    });
    let hits = 0;
    for (const e of s.events) {
      const hit = e[4] === 1;
      if (hit) { hits += 1; }
      const c = el('circle', { class: 'ev ' + (hit ? 'hit' : 'miss'), cx: px(e[0]), cy: py(e[1]), r: radius,
        'data-event': hit ? 'hit' : 'miss' }, eventsG);
      titled(c, e[2] + ' \u00b7 ' + e[3] + (e[3] === 1 ? ' person' : ' persons') + ' \u00b7 ' + (hit ? 'in a predicted cell' : 'outside the predicted cells'));
    }
    const top = new Set(s.top);
    for (const r of routeById.values()) { r.node.classList.toggle('top', top.has(r.id)); }
    for (const id of s.top) { const r = routeById.get(id); if (r) { $('g-routes').appendChild(r.node); } }
    const list = $('toproutes');
    clear(list);
    for (const id of s.top) {
      const li = document.createElement('li');
      const r = routeById.get(id);
      li.textContent = r ? (r.name === r.id ? r.name : r.name + ' (' + r.id + ')') : id;
      list.appendChild(li);
    }
    if (s.top.length === 0) { const li = document.createElement('li'); li.textContent = 'none'; list.appendChild(li); }
    fillTable($('metrics-body'), [
      ['Period', s.start + ' \u2192 ' + s.end],
      ['Test events', SHARE ? shared(m.test_events) + ' (' + shared(s.elsewhere) + ' outside the cells)'
        : String(m.test_events) + (m.test_events > 0 ? ' (' + hits + ' in the cells)' : '')],
      ['Hit rate', pct(m.hit_rate)],
      ['Area fraction', pct(m.area_fraction) + ' (' + s.cells.length + ' cells)'],
      ['PAI', short(m.pai)],
      ['PEI*', two(m.pei_star)],
      ['Route hit rate (top 10)', pct(m.route_hit_rate)],
      ['Baseline hit rate', pct(m.baseline_hit_rate)],
      ['Baseline PAI', short(m.baseline_pai)]
    ]);
    $('metrics').dataset.step = String(n);
    $('note').textContent = m.test_events === null ? 'Fewer than ' + SHARE + ' test events in this period: a shared export withholds the count and the rates, and the step is left out of the means.'
      : m.test_events === 0 ? 'No test events in this period: the step is not scored and is left out of the means.'
      : SHARE && m.hit_rate === null ? 'Fewer than ' + SHARE + ' of the test events fell inside or outside the chosen cells: a shared export withholds the hit rate, PAI and PEI*.'
      : SHARE ? 'Shared export: no event is shown as a point; counts from 1 to ' + (SHARE - 1) + ' are withheld.' : '';
    $('status').textContent = 'Step ' + n + ' of ' + S + ': map fitted on ' + s.start + ', events up to ' + s.end;
    $('maptitle').textContent = 'Map of step ' + n + ' of ' + S + ' (' + s.start + ' to ' + s.end + ')';
    cursor.setAttribute('x1', cx(n).toFixed(1)); cursor.setAttribute('x2', cx(n).toFixed(1));
    clear(cursorDots);
    for (const [key, col] of [['pai', '#b0182a'], ['baseline_pai', '#7d8694']]) {
      if (m[key] !== null) { el('circle', { cx: cx(n).toFixed(1), cy: cy(m[key]).toFixed(1), r: 4, fill: 'none', stroke: col, 'stroke-width': 2 }, cursorDots); }
    }
    slider.value = String(n);
    slider.setAttribute('aria-valuetext', 'Step ' + n + ' of ' + S + ', ' + s.start + ' to ' + s.end);
    $('back').disabled = n <= 1;
    $('fwd').disabled = n >= S;
    document.body.dataset.step = String(n);
    window.replayStep = n;
  }

  let timer = null;
  function setPlaying(on) {
    if (timer !== null) { clearInterval(timer); timer = null; }
    if (on && S > 1) {
      if (window.replayStep >= S) { goTo(1); }
      timer = setInterval(() => { if (window.replayStep >= S) { setPlaying(false); } else { goTo(window.replayStep + 1); } }, 1200);
    }
    $('play').disabled = timer !== null || S <= 1;
    $('pause').disabled = timer === null;
  }
  function goTo(n) {
    if (S === 0) { return 0; }
    n = Math.min(S, Math.max(1, Math.round(Number(n)) || 1));
    render(n);
    scaleMarks();
    return n;
  }
  window.replayGoTo = goTo;
  $('back').addEventListener('click', () => { setPlaying(false); goTo(window.replayStep - 1); });
  $('fwd').addEventListener('click', () => { setPlaying(false); goTo(window.replayStep + 1); });
  $('play').addEventListener('click', () => setPlaying(true));
  $('pause').addEventListener('click', () => setPlaying(false));
  slider.addEventListener('input', () => { setPlaying(false); goTo(slider.value); });
  document.addEventListener('keydown', (ev) => {
    const tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (ev.key === 'ArrowLeft') { setPlaying(false); goTo(window.replayStep - 1); ev.preventDefault(); }
    else if (ev.key === 'ArrowRight') { setPlaying(false); goTo(window.replayStep + 1); ev.preventDefault(); }
    else if (ev.key === 'Home') { setPlaying(false); goTo(1); ev.preventDefault(); }
    else if (ev.key === 'End') { setPlaying(false); goTo(S); ev.preventDefault(); }
    else if (ev.key === ' ' && tag !== 'BUTTON') { setPlaying(timer === null); ev.preventDefault(); }
  });

  /* Zoom and pan by the viewBox (wheel or +/− to zoom, drag to pan, double-click or 0 to reset):
     a national map holds 5 km cells too small to see whole. Strokes keep their width. */
  const home = { x: 0, y: 0, w: W, h: H };
  let view = Object.assign({}, home), drag = null;
  function setView(v) {
    const w = Math.min(home.w, Math.max(home.w / 200, v.w)), h = w * home.h / home.w;
    view = { x: Math.min(home.w - w, Math.max(0, v.x)), y: Math.min(home.h - h, Math.max(0, v.y)), w: w, h: h };
    map.setAttribute('viewBox', [view.x, view.y, view.w, view.h].map((n) => n.toFixed(2)).join(' '));
    scaleMarks();
  }
  /* Event dots and post marks keep their size on screen whatever the zoom. */
  function scaleMarks() {
    const z = view.w / W;
    for (const c of map.querySelectorAll('circle.ev')) { c.setAttribute('r', (radius * z).toFixed(3)); }
    for (const g of map.querySelectorAll('g.postmark')) {
      g.setAttribute('transform', 'translate(' + g.dataset.x + ' ' + g.dataset.y + ') scale(' + z.toFixed(4) + ')');
    }
  }
  function zoomAt(f, cx, cy) { setView({ x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f, w: view.w * f }); }
  function svgPoint(ev) {
    const r = map.getBoundingClientRect();
    return { x: view.x + (ev.clientX - r.left) / r.width * view.w, y: view.y + (ev.clientY - r.top) / r.height * view.h };
  }
  map.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const p = svgPoint(ev);
    zoomAt(ev.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
  }, { passive: false });
  map.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, v: Object.assign({}, view) }; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) { return; }
    const r = map.getBoundingClientRect();
    setView({ x: drag.v.x - (ev.clientX - drag.x) / r.width * drag.v.w, y: drag.v.y - (ev.clientY - drag.y) / r.height * drag.v.h, w: drag.v.w });
  });
  map.addEventListener('dblclick', () => setView(home));
  document.addEventListener('keydown', (ev) => {
    const tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (ev.key === '+' || ev.key === '=') { zoomAt(0.8, view.x + view.w / 2, view.y + view.h / 2); }
    else if (ev.key === '-') { zoomAt(1.25, view.x + view.w / 2, view.y + view.h / 2); }
    else if (ev.key === '0') { setView(home); }
  });

  window.replayStep = 0;
  if (S === 0) {
    $('status').textContent = 'This replay has no step.';
  } else {
    goTo(1);
  }
  setPlaying(false);
  window.replayReady = true;
})();
</script>
@PLANSCRIPT@</body>
</html>

"""#
}

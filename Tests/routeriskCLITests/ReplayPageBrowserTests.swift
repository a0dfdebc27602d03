import Foundation
import XCTest

/// Opens `replay.html` in real headless Chromium (Debian's `chromium`, installed by `make test`),
/// steps through every step with the page's test hooks and checks that each renders its cells
/// and events with no console message of level warning or error.
final class ReplayPageBrowserTests: XCTestCase {
    /// Appended before </body>: visits every step and writes one line per step into #harness.
    static let harness = """
        <script>
        (function () {
          const out = [];
          const data = JSON.parse(document.getElementById('replay-data').textContent);
          out.push('ready=' + window.replayReady + ' steps=' + data.steps.length);
          for (let n = 1; n <= data.steps.length; n++) {
            const got = window.replayGoTo(n);
            const s = data.steps[n - 1];
            const cells = document.querySelectorAll('[data-cell]').length;
            const events = document.querySelectorAll('[data-event]').length;
            const ok = got === n && window.replayStep === n && document.body.dataset.step === String(n) &&
              document.getElementById('metrics').dataset.step === String(n) &&
              cells === s.cells.length && events === s.events.length;
            const testsRow = Array.from(document.querySelectorAll('#metrics-body tr')).find((r) => r.textContent.startsWith('Test events'));
            out.push('step ' + n + ' cells=' + cells + ' events=' + events + ' tests=[' + (testsRow ? testsRow.textContent : '') + ']' +
              ' note=[' + document.getElementById('note').textContent + ']' + (ok ? ' OK' : ' MISMATCH'));
          }
          window.replayGoTo(1);
          document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
          out.push('arrow=' + window.replayStep);
          const pre = document.createElement('pre');
          pre.id = 'harness';
          pre.textContent = out.join('\\n');
          document.body.appendChild(pre);
        })();
        </script>
        """

    func testEveryStepRendersWithoutConsoleErrors() throws {
        let lines = try renderEveryStep([])
        XCTAssertTrue(lines.contains { $0.hasPrefix("step ") && !$0.contains("events=0 ") }, "the plain page draws event points")
    }

    /// A shared export (`--share 5`): no event point on any step, counts below 5 said as such.
    func testSharedPageShowsNoEventPoint() throws {
        let lines = try renderEveryStep(["--share", "5"])
        let steps = lines.filter { $0.hasPrefix("step ") }
        XCTAssertTrue(steps.allSatisfy { $0.contains(" events=0 ") }, steps.joined(separator: "\n"))
        XCTAssertTrue(steps.allSatisfy { $0.contains("outside the cells") }, steps.joined(separator: "\n"))
        XCTAssertTrue(steps.contains { $0.contains("fewer than 5") }, steps.joined(separator: "\n"))
    }

    /// Renders the tiny scene's replay page (with `extra` options) in Chromium and returns the
    /// harness's lines, after checking every step rendered and no console message appeared.
    private func renderEveryStep(_ extra: [String]) throws -> [String] {
        guard HeadlessChromium.path != nil else {
            throw XCTSkip("chromium is not installed (make test installs it)")
        }
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, [
            "replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "60d",
            "--out", dir.path("out").path, "--quiet",
        ] + extra, timeout: 120)
        let page = try String(contentsOf: dir.path("out/replay.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("http://") || page.contains("https://"), "the page must not reference the network")
        let metrics = try String(contentsOf: dir.path("out/replay-metrics.csv"), encoding: .utf8)
        let stepCount = metrics.split(separator: "\n").count - 1
        XCTAssertEqual(stepCount, 9)  // 2023-01-01 + 60 d × k ≤ 2024-06-01: k = 0…8 (k = 9 is 2024-06-24)

        let probe = dir.path("probe.html")
        try page.replacingOnce("</body>", with: Self.harness + "\n</body>").write(to: probe, atomically: true, encoding: .utf8)
        let (dom, log) = try HeadlessChromium.dumpDOM(probe, in: dir)

        guard let start = dom.range(of: "<pre id=\"harness\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            XCTFail("the harness did not run: the page's script failed before it\n\(log)")
            return []
        }
        let lines = dom[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "ready=true steps=\(stepCount)")
        let stepLines = lines.filter { $0.hasPrefix("step ") }
        XCTAssertEqual(stepLines.count, stepCount)
        for line in stepLines { XCTAssertTrue(line.hasSuffix(" OK"), line) }
        XCTAssertTrue(lines.contains("arrow=2"), lines.joined(separator: "\n"))
        // Chromium prints page console messages as "…:CONSOLE(line)] …" on stderr.
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        XCTAssertTrue(console.isEmpty, "console messages:\n" + console.joined(separator: "\n"))
        return lines
    }
}

import Foundation
import XCTest

/// Opens `plan.html` (and a replay page with plan metrics) in headless Chromium (Debian's
/// `chromium`, installed by `make test`): no console message, every team on the page.
final class PlanPageBrowserTests: XCTestCase {
    /// Chromium's DOM after load and its stderr (page console messages are ":CONSOLE(" lines).
    func open(_ page: URL, in dir: TemporaryDirectory) throws -> (dom: String, console: [String]) {
        let (dom, log) = try HeadlessChromium.dumpDOM(page, in: dir)
        return (dom, log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
    }

    func testThePlanBriefOpensWithEveryTeamAndNoConsoleMessage() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, [
            "plan", "--scene", Paths.tinyScene.path, "--teams", "4", "--out", dir.path("out").path, "--quiet",
        ], timeout: 120)
        let page = try String(contentsOf: dir.path("out/plan.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("http://") || page.contains("https://"), "the brief must not reference the network")
        XCTAssertTrue(page.contains("@page{size:A4"), "the brief has a print stylesheet for A4")
        let (dom, console) = try open(dir.path("out/plan.html"), in: dir)
        XCTAssertTrue(console.isEmpty, "console messages:\n" + console.joined(separator: "\n"))
        for team in 1...4 {
            XCTAssertTrue(dom.contains("<article class=\"team\" data-team=\"\(team)\">"), "team \(team)'s card")
            XCTAssertTrue(dom.contains("<g class=\"disc\" data-team=\"\(team)\">"), "team \(team)'s disc on the map")
        }
        XCTAssertFalse(dom.contains("data-team=\"5\""))
        XCTAssertTrue(dom.contains("id=\"totals\""))
    }

    /// The replay page with `--plan-teams`: the plan card, its chart and the plan rows of the metrics panel.
    func testTheReplayPageShowsThePlanMetrics() throws {
        let dir = try TemporaryDirectory()
        try CLI.assertExit(0, [
            "replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-01-01", "--step", "90d",
            "--plan-teams", "2", "--out", dir.path("out").path, "--quiet",
        ], timeout: 120)
        let (dom, console) = try open(dir.path("out/replay.html"), in: dir)
        XCTAssertTrue(console.isEmpty, "console messages:\n" + console.joined(separator: "\n"))
        XCTAssertTrue(dom.contains("id=\"plancard\""))
        XCTAssertEqual(dom.components(separatedBy: "data-plan=\"1\"").count - 1, 4, "four plan rows in the metrics panel")
        XCTAssertGreaterThan(dom.components(separatedBy: "data-plan-point=\"plan_efficiency\"").count - 1, 0)
    }
}

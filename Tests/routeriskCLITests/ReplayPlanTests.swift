import Foundation
import XCTest

/// `routerisk replay --plan-teams` (MODEL §14): the four plan columns after §10's, their means,
/// and values that can be worked out without the library.
final class ReplayPlanTests: XCTestCase {
    func rows(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        return (lines[0].components(separatedBy: ","), lines.dropFirst().map { $0.components(separatedBy: ",") })
    }

    func replay(_ dir: TemporaryDirectory, _ out: String, _ extra: [String]) throws {
        try CLI.assertExit(0, [
            "replay", "--scene", Paths.tinyScene.path, "--from", "2023-01-01", "--to", "2024-06-01", "--step", "60d",
            "--out", dir.path(out).path, "--quiet",
        ] + extra, timeout: 180)
    }

    func testPlanColumnsFollowModel10sAndTheirMeansJoinTheSummary() throws {
        let dir = try TemporaryDirectory()
        try replay(dir, "plain", [])
        try replay(dir, "plan", ["--plan-teams", "2", "--plan-radius", "8km"])
        let plain = try rows(dir.path("plain/replay-metrics.csv")), plan = try rows(dir.path("plan/replay-metrics.csv"))
        XCTAssertEqual(plan.header, plain.header + ["plan_hit_rate", "baseline_plan_hit_rate", "hindsight_hit_rate", "plan_efficiency"])
        XCTAssertEqual(plan.rows.map { Array($0.prefix(plain.header.count)) }, plain.rows, "§10's columns are unchanged")
        var efficiencies: [Double] = []
        for row in plan.rows {
            let v = row.suffix(4).map { Double($0) }
            guard let p = v[0], let b = v[1], let h = v[2] else { continue }
            // Hindsight is the best any 2 sites could do: no plan beats it.
            XCTAssertLessThanOrEqual(p, h + 1e-12)
            XCTAssertLessThanOrEqual(b, h + 1e-12)
            XCTAssertEqual(v[3]!, p / h, accuracy: 1e-12)
            efficiencies.append(v[3]!)
        }
        XCTAssertFalse(efficiencies.isEmpty)
        let summary = try jsonObject(dir.path("plan/replay-summary.json"))["summary"] as! [String: Any]
        XCTAssertEqual(summary["plan_teams"] as? Int, 2)
        XCTAssertEqual(summary["mean_plan_efficiency"] as! Double, efficiencies.reduce(0, +) / Double(efficiencies.count), accuracy: 1e-12)
        let plainSummary = try jsonObject(dir.path("plain/replay-summary.json"))["summary"] as! [String: Any]
        XCTAssertNil(plainSummary["plan_teams"])
        XCTAssertNil(plainSummary["mean_plan_efficiency"])
    }

    /// One team of 320 km reach covers the whole study area of the tiny scene (its lines span
    /// 111 × 100 km, the study area 50 km more on each side: a diagonal under 300 km), so every
    /// test event is covered by any plan: all three hit rates are 1 and the efficiency is 1.
    func testATeamThatReachesEverythingHitsEverything() throws {
        let dir = try TemporaryDirectory()
        try replay(dir, "wide", ["--plan-teams", "1", "--plan-radius", "320km"])
        let table = try rows(dir.path("wide/replay-metrics.csv"))
        for row in table.rows where Int(row[3])! > 0 {
            XCTAssertEqual(Array(row.suffix(4)), ["1.0", "1.0", "1.0", "1.0"])
        }
    }

    /// A post radius that watches the whole scene leaves no test event to score: the plan columns are empty.
    func testWhenPostsWatchEverythingThePlanColumnsAreEmpty() throws {
        let dir = try TemporaryDirectory()
        try replay(dir, "posts", ["--plan-teams", "1", "--post-radius", "500km"])
        let table = try rows(dir.path("posts/replay-metrics.csv"))
        for row in table.rows { XCTAssertEqual(Array(row.suffix(4)), ["", "", "", ""]) }
    }

    /// The notebook gains the plan section and its chart (two cells before the closing one) and
    /// still validates against the nbformat schema, normalised as nbformat writes it.
    func testTheNotebookShowsThePlanChartAndValidates() throws {
        let dir = try TemporaryDirectory()
        try replay(dir, "plain", ["--notebook", dir.path("plain.ipynb").path])
        try replay(dir, "plan", ["--plan-teams", "2", "--notebook", dir.path("plan.ipynb").path])
        func cells(_ name: String) throws -> [[String: Any]] { try jsonObject(dir.path(name))["cells"] as! [[String: Any]] }
        let plain = try cells("plain.ipynb"), plan = try cells("plan.ipynb")
        XCTAssertEqual(plan.count, plain.count + 2)
        let section = (plan[plan.count - 3]["source"] as! [String]).joined()
        XCTAssertTrue(section.hasPrefix("## Patrol plans"), section)
        let chart = plan[plan.count - 2]["outputs"] as! [[String: Any]]
        let svg = ((chart[0]["data"] as! [String: Any])["image/svg+xml"] as! [String]).joined()
        XCTAssertTrue(svg.contains("Plan efficiency per step") && svg.contains("baseline plan"))
        let closing = (plan.last!["source"] as! [String]).joined()
        XCTAssertTrue(closing.contains("mean plan efficiency"))
        let python = "/usr/bin/python3"
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import nbformat"]
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else { throw XCTSkip("nbformat is not installed (make test installs python3-nbformat)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Paths.packageRoot.appendingPathComponent("Tests/tools/validate_notebook.py").path, "--normalised", dir.path("plan.ipynb").path]
        let err = Pipe()
        p.standardError = err
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}

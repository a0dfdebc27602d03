import Foundation
import XCTest
@testable import RouteRisk
#if canImport(FoundationXML)
import FoundationXML
#endif

final class ReplayNotebookTests: XCTestCase {
    private func notebook(_ replay: ReplayResult = ReplayFixture.replay()) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: ReplayNotebook.json(replay))
        return try XCTUnwrap(object as? [String: Any])
    }

    private func joined(_ source: Any?) -> String {
        (source as? [String])?.joined() ?? (source as? String) ?? ""
    }

    func testStructure() throws {
        let nb = try notebook()
        XCTAssertEqual(nb["nbformat"] as? Int, 4)
        XCTAssertEqual(nb["nbformat_minor"] as? Int, 5)
        let metadata = try XCTUnwrap(nb["metadata"] as? [String: Any])
        XCTAssertEqual((metadata["kernelspec"] as? [String: Any])?["name"] as? String, "python3")
        XCTAssertEqual((metadata["language_info"] as? [String: Any])?["name"] as? String, "python")
        let cells = try XCTUnwrap(nb["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, ReplayNotebook.cellCount(steps: 3))
        XCTAssertEqual(cells.count, 13)
        var ids = Set<String>()
        for (i, cell) in cells.enumerated() {
            let id = try XCTUnwrap(cell["id"] as? String)
            XCTAssertEqual(id, String(format: "cell-%03d", i + 1))
            XCTAssertTrue(ids.insert(id).inserted)
            XCTAssertNotNil(cell["metadata"] as? [String: Any])
            XCTAssertNotNil(cell["source"] as? [String])
            let type = try XCTUnwrap(cell["cell_type"] as? String)
            XCTAssertTrue(["markdown", "code"].contains(type))
            if type == "code" {
                XCTAssertTrue(cell.keys.contains("execution_count"))
                XCTAssertTrue(cell["execution_count"] is NSNull)
                XCTAssertNotNil(cell["outputs"] as? [Any])
            } else {
                XCTAssertNil(cell["outputs"])
                XCTAssertNil(cell["execution_count"])
            }
        }
        XCTAssertEqual(cells.map { $0["cell_type"] as? String },
                       ["markdown", "markdown", "code"] + Array(repeating: ["markdown", "code", "markdown"], count: 3).flatMap { $0 } + ["markdown"])
    }

    func testStepMapsAreSVGDisplayData() throws {
        let cells = try XCTUnwrap(try notebook()["cells"] as? [[String: Any]])
        let mapCells = cells.filter { $0["cell_type"] as? String == "code" }.dropFirst()
        XCTAssertEqual(mapCells.count, 3)
        for (i, cell) in mapCells.enumerated() {
            let outputs = try XCTUnwrap(cell["outputs"] as? [[String: Any]])
            XCTAssertEqual(outputs.count, 1)
            XCTAssertEqual(outputs[0]["output_type"] as? String, "display_data")
            XCTAssertNotNil(outputs[0]["metadata"] as? [String: Any])
            let data = try XCTUnwrap(outputs[0]["data"] as? [String: Any])
            let svg = joined(data["image/svg+xml"])
            XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            XCTAssertTrue(joined(data["text/plain"]).hasPrefix("Step \(i + 1),"))
            let cellsDrawn = svg.components(separatedBy: "Z\" fill=\"#").count - 1
            XCTAssertEqual(cellsDrawn, 4)
            #if canImport(FoundationXML) || os(macOS)
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), "step \(i + 1): the SVG is not well-formed: \(String(describing: parser.parserError))")
            #endif
        }
        let first = joined((mapCells.first?["outputs"] as? [[String: Any]])?.first?["data"].flatMap { ($0 as? [String: Any])?["image/svg+xml"] })
        XCTAssertEqual(first.components(separatedBy: "<circle cx=").count - 1, 5 + 2, "5 events and the legend's two dots")
        XCTAssertEqual(first.components(separatedBy: "fill=\"#111111\" stroke=\"#ffffff\"").count - 1, 3, "3 hits")
    }

    func testMethodHasTheFormulas() throws {
        let cells = try XCTUnwrap(try notebook()["cells"] as? [[String: Any]])
        let intro = joined(cells[0]["source"])
        XCTAssertTrue(intro.contains("synthetic"))
        XCTAssertTrue(intro.contains("no personal data"))
        let method = joined(cells[1]["source"])
        for formula in ["$w_i = m_i \\cdot 2^{-a_i/H}$", "$$K_h(d) = \\frac{3}{\\pi h^2}", "$$G_j^* =", "\\text{risk}_r = m + C_r",
                        "\\text{PAI} = \\frac{\\text{hit rate}}{\\text{area fraction}}", "\\text{PAI ratio}"] {
            XCTAssertTrue(method.contains(formula), formula)
        }
        XCTAssertTrue(joined(cells[2]["source"]).contains("csv.DictReader"))
    }

    func testStepTextsAndCommentary() throws {
        let cells = try XCTUnwrap(try notebook()["cells"] as? [[String: Any]])
        XCTAssertEqual(joined(cells[3]["source"]).components(separatedBy: "\n").first, "## Step 1: 2023-01-01 → 2023-01-31")
        let step1 = joined(cells[5]["source"])
        XCTAssertTrue(step1.contains("| PAI | 60 |"), step1)
        XCTAssertTrue(step1.contains("| baseline PAI | 20 |"))
        XCTAssertTrue(step1.contains("| area fraction | 1 % (4 cells) |"))
        XCTAssertTrue(step1.contains("The 4 chosen cells (1 % of the study area) held 3 of 5 test events (60 %), "
            + "PAI 60 against the baseline's 20: the model did better than counting past events."), step1)
        XCTAssertTrue(step1.contains("1. \\</script\\>") == false)
        XCTAssertTrue(step1.contains("1. &lt;/script&gt;&lt;b&gt;x; 2. Jalan Tikus 1; 3. r3."), step1)
        XCTAssertTrue(joined(cells[8]["source"]).contains("No test event fell in this period"))
        let step3 = joined(cells[11]["source"])
        XCTAssertTrue(step3.contains("held 0 of 2 test events (0 %), PAI 0 against the baseline's 50: "
            + "counting past events did better than the model (only 2 test events: one more or less moves the hit rate by 50 points)."), step3)
        let closing = joined(cells[12]["source"])
        XCTAssertTrue(closing.contains("| PAI ratio (model / baseline) | 0.86 |"))
        XCTAssertTrue(closing.contains("counting past events did better than the model"))
        XCTAssertTrue(closing.contains("beat the baseline in 1, tied in 0 and lost in 1 of the 2 scored steps"))
        XCTAssertTrue(closing.contains("anecdote"))
    }

    func testCommentaryRules() {
        func step(tests: Int, hits: Int?, base: Int?) -> ReplayStep {
            ReplayStep(metrics: ReplayFixture.metrics(1, tests: tests, hits: hits, baselineHits: base, k: 12, n: 1_200),
                       cells: ReplayFixture.cells((0..<12).map { ($0, 0, 1.0) }), events: [], topRoutes: [])
        }
        XCTAssertEqual(ReplayNotebook.commentary(step(tests: 31, hits: 9, base: 3)),
                       "The 12 chosen cells (1 % of the study area) held 9 of 31 test events (29 %), PAI 29 against the baseline's 9.7: "
                       + "the model did better than counting past events.")
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 31, hits: 4, base: 4)).hasSuffix("the model did no better than counting past events."))
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 31, hits: 0, base: 0)).hasSuffix("neither the model nor counting past events caught any of them."))
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 31, hits: 2, base: 5)).hasSuffix("counting past events did better than the model."))
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 31, hits: 2, base: nil)).hasSuffix("there is no baseline figure to compare with."))
        XCTAssertEqual(ReplayNotebook.commentary(step(tests: 0, hits: nil, base: nil)),
                       "No test event fell in this period, so the step cannot be scored; it is left out of the means.")
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 1, hits: 1, base: 0)).contains("held 1 of 1 test event (100 %)"))
        XCTAssertTrue(ReplayNotebook.commentary(step(tests: 1, hits: 1, base: 0)).hasSuffix("(only 1 test event: one more or less moves the hit rate by 100 points)."))
    }

    func testSummaryVerdicts() {
        let base = ReplayFixture.replay()
        func with(_ ratio: Double?, meanPAI: Double?, scored: Int) -> String {
            let s = base.summary
            let summary = ReplaySummary(model: s.model, steps: s.steps, stepsWithTestEvents: scored, coverage: s.coverage,
                                        cellsChosen: s.cellsChosen, meanHitRate: s.meanHitRate, meanAreaFraction: s.meanAreaFraction,
                                        meanPAI: meanPAI, meanPEIStar: s.meanPEIStar, meanRouteHitRate: s.meanRouteHitRate,
                                        meanBaselineHitRate: s.meanBaselineHitRate, meanBaselinePAI: s.meanBaselinePAI, paiRatio: ratio)
            return ReplayNotebook.summaryVerdict(ReplayResult(steps: base.steps, summary: summary, map: base.map, optionsText: base.optionsText,
                                                             cellSize: base.cellSize, corridor: base.corridor, scenePath: base.scenePath))
        }
        XCTAssertTrue(with(2.5, meanPAI: 87.5, scored: 12).hasPrefix("On average the model's cells held 2.50× as many interceptions"))
        XCTAssertFalse(with(2.5, meanPAI: 87.5, scored: 12).contains("anecdote"))
        XCTAssertTrue(with(1.001, meanPAI: 35, scored: 12).hasPrefix("On average the model did as well as counting past events"))
        XCTAssertTrue(with(nil, meanPAI: 3, scored: 12).hasPrefix("The naive baseline caught no test event"))
        XCTAssertTrue(with(0.5, meanPAI: 0.5, scored: 12).contains("worse than cells chosen at random"))
        let empty = ReplayFixture.replay(steps: 0)
        XCTAssertEqual(ReplayNotebook.summaryVerdict(ReplayResult(
            steps: [], summary: ReplaySummary(model: "routerisk-1", steps: 0, stepsWithTestEvents: 0, coverage: "1 %", cellsChosen: 4,
                                              meanHitRate: nil, meanAreaFraction: nil, meanPAI: nil, meanPEIStar: nil, meanRouteHitRate: nil,
                                              meanBaselineHitRate: nil, meanBaselinePAI: nil, paiRatio: nil),
            map: empty.map, optionsText: "", cellSize: 5_000, corridor: 2_000, scenePath: "x")),
            "No step had test events, so this replay cannot say how good the map is.")
    }

    func testDeterministicAndNormalised() throws {
        let a = ReplayNotebook.json(ReplayFixture.replay())
        XCTAssertEqual(a, ReplayNotebook.json(ReplayFixture.replay()))
        let text = try XCTUnwrap(String(data: a, encoding: .utf8))
        XCTAssertTrue(text.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"cell-001\",\n   \"metadata\": {},\n   \"source\": [\n"))
        XCTAssertTrue(text.hasSuffix("\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"))
        XCTAssertFalse(text.contains("/home/trainer"))
    }

    func testEmptyReplay() throws {
        let cells = try XCTUnwrap(try notebook(ReplayFixture.replay(steps: 0))["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, ReplayNotebook.cellCount(steps: 0))
    }
}

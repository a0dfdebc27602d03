import Foundation
import XCTest
@testable import RouteRisk

final class ReplayPageTests: XCTestCase {
    private func dataBlob(_ html: String) throws -> [String: Any] {
        let open = "<script type=\"application/json\" id=\"replay-data\">"
        let start = try XCTUnwrap(html.range(of: open), "no data blob")
        let end = try XCTUnwrap(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let text = String(html[start.upperBound..<end.lowerBound])
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    func testSelfContainedNoExternalReference() {
        let html = ReplayPage.html(ReplayFixture.replay()).lowercased()
        for needle in ["http://", "https://", "src=", "href=", "url(", "@import", "\"//", "'//", "=//", "<link", "<iframe", "<img"] {
            XCTAssertFalse(html.contains(needle), "the page holds \(needle)")
        }
        XCTAssertTrue(html.hasPrefix("<!doctype html>"))
        XCTAssertTrue(html.contains("content-security-policy"))
        XCTAssertTrue(html.contains("default-src 'none'"))
    }

    func testDataBlobParsesAndKeepsTheSteps() throws {
        let replay = ReplayFixture.replay()
        let data = try dataBlob(ReplayPage.html(replay))
        XCTAssertEqual(data["format"] as? String, ReplayPage.dataFormat)
        let steps = try XCTUnwrap(data["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, replay.steps.count)
        XCTAssertEqual(steps.map { $0["step"] as? Int }, [1, 2, 3])
        XCTAssertEqual(steps[0]["start"] as? String, "2023-01-01")
        XCTAssertEqual(steps[0]["end"] as? String, "2023-01-31")
        XCTAssertEqual((steps[0]["cells"] as? [Any])?.count, 4)
        XCTAssertEqual((steps[0]["events"] as? [Any])?.count, 5)
        XCTAssertEqual(steps[0]["top"] as? [String], ["r2", "r1", "r3"])
        let m2 = try XCTUnwrap(steps[1]["metrics"] as? [String: Any])
        XCTAssertEqual(m2["test_events"] as? Int, 0)
        XCTAssertTrue(m2["pai"] is NSNull, "a step without test events has null rates")
        let m1 = try XCTUnwrap(steps[0]["metrics"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(m1["pai"] as? Double), 60, accuracy: 1e-9)
        // Events: position (whole metres), date, persons, hit; nothing else.
        let e = try XCTUnwrap((steps[0]["events"] as? [[Any]])?.first)
        XCTAssertEqual(e.count, 5)
        XCTAssertEqual(e[0] as? Int, 30_300)
        XCTAssertEqual(e[2] as? String, "2023-01-04")
        XCTAssertEqual(e[3] as? Int, 2)
        XCTAssertEqual(e[4] as? Int, 1)
    }

    func testLinesAreDeltaEncodedWholeMetres() throws {
        let data = try dataBlob(ReplayPage.html(ReplayFixture.replay()))
        let border = try XCTUnwrap((data["borders"] as? [[Int]])?.first)
        // (40000, 0), (42500.4, 30000.6) → (42500, 30001), (45000, 62000)
        XCTAssertEqual(border, [40_000, 0, 2_500, 30_001, 2_500, 31_999])
        XCTAssertEqual(data["extent"] as? [Int], [0, 0, 100_000, 80_000])
        let cell = try XCTUnwrap((data["steps"] as? [[String: Any]])?.first?["cells"] as? [[Any]]).first!
        XCTAssertEqual(cell[0] as? Int, 4)
        XCTAssertEqual(cell[1] as? Int, 2)
        XCTAssertEqual((cell[3] as? [Int])?.count, 12)
    }

    func testUserTextCannotEscape() throws {
        let html = ReplayPage.html(ReplayFixture.replay(scenePath: "/tmp/<i>scene<i>\u{2028}"))
        XCTAssertFalse(html.contains("<b>x"))
        XCTAssertFalse(html.contains("<i>scene"))
        XCTAssertFalse(html.contains("\u{2028}"))
        XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, 2, "only the page's own two script ends")
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 2)
        XCTAssertTrue(html.contains("<title>routerisk replay · &lt;i&gt;scene&lt;i&gt; </title>"))
        XCTAssertFalse(html.contains("innerHTML"))
        let data = try dataBlob(html)
        let routes = try XCTUnwrap(data["routes"] as? [[Any]])
        XCTAssertEqual(routes[1][1] as? String, ReplayFixture.nastyName, "the name survives JSON-decoding unchanged")
        let posts = try XCTUnwrap(data["posts"] as? [[Any]])
        XCTAssertEqual(posts[1][0] as? String, "Port <Kijang> & \"Co\"")
        XCTAssertEqual(posts[1][1] as? String, "sea")
    }

    func testNoDirectoryOfTheScene() {
        let html = ReplayPage.html(ReplayFixture.replay(scenePath: "/home/trainer/scenes/sample-scene/"))
        XCTAssertFalse(html.contains("/home/trainer"))
        XCTAssertTrue(html.contains("\"scene\":\"sample-scene\""))
    }

    func testHooksForTheBrowserTest() {
        let html = ReplayPage.html(ReplayFixture.replay())
        for hook in ["window.replayReady = true", "window.replayStep = n", "window.replayGoTo = goTo",
                     "document.body.dataset.step", "'data-cell'", "'data-event'", "id=\"metrics\"", "$('metrics').dataset.step"] {
            XCTAssertTrue(html.contains(hook), hook)
        }
    }

    func testDeterministic() {
        let a = ReplayPage.html(ReplayFixture.replay())
        let b = ReplayPage.html(ReplayFixture.replay())
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, ReplayPage.html(ReplayFixture.replay(steps: 2)))
    }

    func testEmptyReplay() throws {
        let html = ReplayPage.html(ReplayFixture.replay(steps: 0))
        XCTAssertEqual((try dataBlob(html)["steps"] as? [Any])?.count, 0)
    }
}

final class ReplayFormatTests: XCTestCase {
    func testNumbers() {
        XCTAssertEqual(ReplayFormat.percent(0.01), "1 %")
        XCTAssertEqual(ReplayFormat.percent(0.005), "0.5 %")
        XCTAssertEqual(ReplayFormat.percent(9 / 31), "29 %")
        XCTAssertEqual(ReplayFormat.percent(nil), "–")
        XCTAssertEqual(ReplayFormat.short(29.03), "29")
        XCTAssertEqual(ReplayFormat.short(2.46), "2.5")
        XCTAssertEqual(ReplayFormat.short(3.0), "3")
        XCTAssertEqual(ReplayFormat.short(-0.01), "0")
        XCTAssertEqual(ReplayFormat.twoDecimals(0.857142), "0.86")
        XCTAssertEqual(ReplayFormat.date(ReplayFixture.t0), "2023-01-01")
        XCTAssertEqual(ReplayFormat.date(ReplayFixture.t0 + 3_600), "2023-01-01T01:00:00Z")
        XCTAssertEqual(ReplayJSON.numberText(-0.0), "0")
        XCTAssertEqual(ReplayJSON.numberText(.nan), "null")
        XCTAssertEqual(ReplayJSON.numberText(0.1), "0.1")
        XCTAssertEqual(ReplayJSON.numberText(1.0 / 3.0), "0.333333")
    }

    func testJSONEscaping() {
        let v: ReplayJSON = .object([("b", .string("</script>&\u{2028}\"\\\n\u{1}é")), ("a", .array([]))])
        XCTAssertEqual(v.compactHTMLSafe(), #"{"b":"\u003c/script\u003e\u0026\u2028\"\\\n\u0001é","a":[]}"#)
        XCTAssertEqual(v.pythonIndented(), "{\n \"a\": [],\n \"b\": \"</script>&\u{2028}\\\"\\\\\\n\\u0001é\"\n}")
    }

    func testSceneName() {
        XCTAssertEqual(ReplayFormat.sceneName("/a/b/c/"), "c")
        XCTAssertEqual(ReplayFormat.sceneName("scene"), "scene")
        XCTAssertEqual(ReplayFormat.sceneName(""), "scene")
    }

    func testMarkdownEscaping() {
        XCTAssertEqual(ReplayFormat.markdownEscaped("</script><b>x"), "&lt;/script&gt;&lt;b&gt;x")
        XCTAssertEqual(ReplayFormat.markdownEscaped("a_b*c|$d\n"), "a\\_b\\*c\\|\\$d ")
        XCTAssertEqual(ReplayFormat.markdownEscaped("sample-scene v1.2 (new) #"), "sample-scene v1.2 (new) \\#")
        XCTAssertEqual(ReplayFormat.markdownEscaped("[x](y) `z` ~~w~~"), "\\[x\\](y) \\`z\\` \\~\\~w\\~\\~")
    }

    func testRampEnds() {
        XCTAssertEqual(ReplayIntensityScale.colour(0), "#ffffb2")
        XCTAssertEqual(ReplayIntensityScale.colour(1), "#bd0026")
        let scale = ReplayIntensityScale(ReplayFixture.replay().steps)
        XCTAssertTrue(scale.logarithmic)  // 0.01 … 1.1
        XCTAssertEqual(scale.position(0.01), 0)
        XCTAssertEqual(scale.position(1.1), 1)
    }
}

import XCTest
@testable import RouteRisk

final class QuantityTests: XCTestCase {
    func testDistances() throws {
        XCTAssertEqual(try Quantity.distance("5km", option: "cell"), 5000)
        XCTAssertEqual(try Quantity.distance("500m", option: "cell"), 500)
        XCTAssertEqual(try Quantity.distance("2.5", option: "cell"), 2500)
        XCTAssertThrowsError(try Quantity.distance("abc", option: "cell")) { error in
            XCTAssertEqual((error as? RunError)?.exitStatus, 64)
            XCTAssertTrue("\(error)".contains("--cell"))
        }
        XCTAssertThrowsError(try Quantity.distance("-1km", option: "reach"))
    }

    func testDays() throws {
        XCTAssertEqual(try Quantity.days("365d", option: "half-life"), 365)
        XCTAssertNil(try Quantity.days("none", option: "half-life", noneWords: ["none"]))
        XCTAssertThrowsError(try Quantity.days("none", option: "window"))
    }

    func testOptionsFromText() throws {
        var o = ScoreOptions()
        try o.set("bandwidth", to: "12km")
        try o.set("weight", to: "persons")
        try o.set("half-life", to: "none")
        XCTAssertEqual(o.effectiveBand, 10_000)  // 2 × the 5 km default cell
        XCTAssertNil(o.halfLifeDays)
        XCTAssertEqual(o.weighting, .persons)
        if case .fixed(let h) = o.bandwidth { XCTAssertEqual(h, 12_000) } else { XCTFail("fixed bandwidth expected") }
        XCTAssertThrowsError(try o.set("colour", to: "red"))
    }
}

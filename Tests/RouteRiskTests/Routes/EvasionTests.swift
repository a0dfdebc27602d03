import XCTest
@testable import RouteRisk

/// MODEL §9 evasion: the largest distance from a crossing to the nearest land post or from a
/// landing to the nearest sea post, on small hand-built planar scenes.
final class EvasionTests: XCTestCase {
    let posts: [(position: PlanarPoint, kind: PostKind)] = [
        (PlanarPoint(x: 0, y: 0), .land),      // 0
        (PlanarPoint(x: 10_000, y: 0), .land), // 1
        (PlanarPoint(x: 0, y: 5_000), .sea),   // 2
    ]

    func testCrossingMeasuredToTheNearestLandPostOnly() {
        // Crossing at (3000, 4000): land posts at 5000 m (post 0) and √(7000²+4000²) = 8062 m; the
        // sea post at 3162 m is of the wrong kind.
        let e = Evasion.measure(crossings: [PlanarPoint(x: 3000, y: 4000)], landings: [], posts: posts)
        XCTAssertEqual(e?.postIndex, 0)
        XCTAssertEqual(e?.distance ?? 0, 5000, accuracy: 1e-9)
        XCTAssertEqual(e?.isCrossing, true)
    }

    func testLargestOfCrossingsAndLandingsWins() {
        // Crossing (5000, 0): 5000 m to posts 0 and 1 (tie → the first, post 0).
        // Landing (0, 17000): 12000 m to the sea post → the largest.
        let e = Evasion.measure(crossings: [PlanarPoint(x: 5000, y: 0)], landings: [PlanarPoint(x: 0, y: 17_000)], posts: posts)
        XCTAssertEqual(e?.postIndex, 2)
        XCTAssertEqual(e?.distance ?? 0, 12_000, accuracy: 1e-9)
        XCTAssertEqual(e?.isCrossing, false)
        let tie = Evasion.measure(crossings: [PlanarPoint(x: 5000, y: 0)], landings: [], posts: posts)
        XCTAssertEqual(tie?.postIndex, 0)
    }

    func testEqualDistancesPreferCrossingsThenSmallerXY() {
        // Crossing (0, −3000): 3000 m to post 0; landing (0, 8000): 3000 m to the sea post.
        let e = Evasion.measure(crossings: [PlanarPoint(x: 0, y: -3000)], landings: [PlanarPoint(x: 0, y: 8000)], posts: posts)
        XCTAssertEqual(e?.isCrossing, true)
        XCTAssertEqual(e?.postIndex, 0)
    }

    func testNoPostOfTheKindSkipsThePoint() {
        let landOnly = [posts[0]]
        XCTAssertNil(Evasion.measure(crossings: [], landings: [PlanarPoint(x: 1, y: 1)], posts: landOnly))
        XCTAssertNil(Evasion.measure(crossings: [], landings: [], posts: posts))
    }
}

import XCTest
@testable import RouteRisk

/// MODEL §14's coverage by grid arithmetic against a brute-force distance check over every pair.
final class PlanCoverageTests: XCTestCase {
    /// A 24 × 24 block of cells of 5 km (a parallelogram in axial coordinates) with seeded demand.
    func block() -> (StudyArea, [Double]) {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        var cells: [HexCoordinate] = []
        for q in 0..<24 { for r in -12..<12 { cells.append(HexCoordinate(q: q, r: r)) } }
        let area = StudyArea(grid: grid, cells: cells.sorted())
        var rng = SplitMix64(seed: 7)
        let demand = area.cells.indices.map { _ in rng.uniform(0, 1) < 0.3 ? rng.uniform(0, 5) : 0 }
        return (area, demand)
    }

    func bruteCoverage(_ area: StudyArea, _ demand: [Double], from p: PlanarPoint, radius: Double) -> [Int] {
        area.cells.indices.filter { j in
            let c = area.grid.center(of: area.cells[j])
            return demand[j] > 0 && ((c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)).squareRoot() <= radius * (1 + 1e-9)
        }
    }

    func testCellSitesCoverTheCellsWithinTheRadius() {
        let (area, demand) = block()
        // 15 km: exactly three cell steps, a boundary case that the 1e-9 slack keeps inside.
        for radius in [15_000.0, 12_000, 5_000, 26_000] {
            let problem = PlanCoverage.problem(area, demand: demand, sites: .cells, radius: radius, teams: 3)
            for i in area.cells.indices {
                let expected = bruteCoverage(area, demand, from: area.grid.center(of: area.cells[i]), radius: radius)
                XCTAssertEqual(problem.coverage[i], expected, "site \(i), radius \(radius)")
            }
        }
    }

    func testPointSitesCoverTheCellsWithinTheRadius() {
        let (area, demand) = block()
        var rng = SplitMix64(seed: 8)
        let points = (0..<40).map { _ in PlanarPoint(x: rng.uniform(0, 90_000), y: rng.uniform(-40_000, 60_000)) }
        let problem = PlanCoverage.problem(area, demand: demand, sites: .points(points), radius: 15_000, teams: 3)
        for (i, p) in points.enumerated() {
            XCTAssertEqual(problem.coverage[i], bruteCoverage(area, demand, from: p, radius: 15_000), "point \(i)")
        }
    }

    func testPostsWatchTheCellsWithinThePostRadiusAndNothingAtZero() {
        let (area, _) = block()
        let posts = [PlanarPoint(x: 30_000, y: 10_000), PlanarPoint(x: 70_000, y: 20_000)]
        XCTAssertEqual(PlanCoverage.postCovered(area, posts: posts, postRadius: 0).filter { $0 }.count, 0)
        let watched = PlanCoverage.postCovered(area, posts: posts, postRadius: 10_000)
        for j in area.cells.indices {
            let c = area.grid.center(of: area.cells[j])
            let near = posts.contains { (($0.x - c.x) * ($0.x - c.x) + ($0.y - c.y) * ($0.y - c.y)).squareRoot() <= 10_000 }
            XCTAssertEqual(watched[j], near, "cell \(area.cells[j])")
        }
    }

    /// With a post radius the demand near the posts counts as covered: the plan's objective is
    /// the brute-force optimum of the demand outside the posts' discs, and no team goes where
    /// only watched demand lies.
    func testPostRadiusExclusionChangesThePlan() throws {
        let grid = HexGrid(cellSize: 5000, envelopeMinX: 0, envelopeMinY: 0)
        var cells: [HexCoordinate] = []
        for q in 0..<30 { for r in -15..<5 { cells.append(HexCoordinate(q: q, r: r)) } }
        let area = StudyArea(grid: grid, cells: cells.sorted())
        // Two hot cells: a big one right at a post, a smaller one far from it.
        var demand = [Double](repeating: 0, count: area.count)
        let atPost = area.cellIndex(of: HexCoordinate(q: 5, r: -3))!
        let away = area.cellIndex(of: HexCoordinate(q: 25, r: -12))!
        demand[atPost] = 10
        demand[away] = 4
        let post = grid.center(of: HexCoordinate(q: 5, r: -3))
        let free = try MaximalCovering.solve(
            PlanCoverage.problem(area, demand: demand, sites: .cells, radius: 5000, teams: 1), solver: .auto, timeLimit: 10)
        XCTAssertEqual(free.objective, 10)
        let watched = PlanCoverage.postCovered(area, posts: [post], postRadius: 8000)
        XCTAssertTrue(watched[atPost])
        XCTAssertFalse(watched[away])
        let effective = zip(demand, watched).map { $1 ? 0 : $0 }
        let plan = try MaximalCovering.solve(
            PlanCoverage.problem(area, demand: effective, sites: .cells, radius: 5000, teams: 1), solver: .auto, timeLimit: 10)
        XCTAssertEqual(plan.objective, 4)
        let site = area.grid.center(of: area.cells[plan.sites[0]])
        let hot = grid.center(of: HexCoordinate(q: 25, r: -12))
        XCTAssertLessThanOrEqual(((site.x - hot.x) * (site.x - hot.x) + (site.y - hot.y) * (site.y - hot.y)).squareRoot(), 5000 * (1 + 1e-9))
        // The plan covers the cells of the block within 5 km of its site: the hot cell and its ring
        // (7 cells), minus those outside the block; the first in (q, r) order among the 7 sites
        // that reach the hot cell wins the tie.
        XCTAssertEqual(area.cells[plan.sites[0]], HexCoordinate(q: 24, r: -12))
    }
}

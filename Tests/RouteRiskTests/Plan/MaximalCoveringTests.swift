import XCTest
@testable import RouteRisk

/// MODEL §14's solvers against values worked out by hand and by brute-force enumeration.
final class MaximalCoveringTests: XCTestCase {
    /// Every K-subset of 0..<n, in lexicographic order.
    static func subsets(_ n: Int, _ k: Int) -> [[Int]] {
        if k == 0 { return [[]] }
        if n < k { return [] }
        return subsets(n - 1, k - 1).map { $0 + [n - 1] } + subsets(n - 1, k)
    }

    /// The optimum by enumeration, summing each subset's covered demand independently of the code under test.
    static func bruteForce(_ demand: [Double], _ coverage: [[Int]], _ k: Int) -> (value: Double, best: [[Int]]) {
        var best = -1.0, argmax: [[Int]] = []
        for s in subsets(coverage.count, k) {
            let covered = Set(s.flatMap { coverage[$0] })
            let v = covered.sorted().reduce(0.0) { $0 + demand[$1] }
            if v > best + 1e-12 { best = v; argmax = [s.sorted()] } else if abs(v - best) <= 1e-12 { argmax.append(s.sorted()) }
        }
        return (best, argmax.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Three sites, two teams: X covers {p1, p2} (1.5 + 3.5 = 5), Y covers {p3, p4} (3.5 + 1.5 = 5),
    /// Z covers {p2, p3} (3.5 + 3.5 = 7). The best single site is Z; greedy takes Z, then X
    /// (+1.5, before Y by site order): 8.5. The best pair is {X, Y}: 10, without Z.
    let handDemand = [1.5, 3.5, 3.5, 1.5]
    let handCoverage = [[0, 1], [2, 3], [1, 2]]

    func testGreedyIsNotOptimalAndTheMIPFindsTheOptimum() throws {
        let problem = CoverageProblem(demand: handDemand, coverage: handCoverage, teams: 2)
        let greedy = MaximalCovering.greedy(problem)
        XCTAssertEqual(greedy.sites, [2, 0])
        XCTAssertEqual(greedy.gains, [7, 1.5])
        let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 10)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(Set(plan.sites), [0, 1])
        XCTAssertEqual(plan.objective, 10, accuracy: 1e-12)
        XCTAssertEqual(plan.greedyObjective, 8.5, accuracy: 1e-12)
        let brute = Self.bruteForce(handDemand, handCoverage, 2)
        XCTAssertEqual(brute.value, 10)
        XCTAssertEqual(brute.best, [[0, 1]])
        XCTAssertLessThanOrEqual(plan.gap, 1e-6)
        XCTAssertGreaterThanOrEqual(plan.bound, 10 - 1e-12)
        // Teams by a greedy pass over {X, Y}: both add 5, so X (site 0) is team 1.
        XCTAssertEqual(plan.sites, [0, 1])
        XCTAssertEqual(plan.gains, [5, 5])
    }

    func testGreedySolverReportsTheOneMinusOneOverEBound() throws {
        let problem = CoverageProblem(demand: handDemand, coverage: handCoverage, teams: 2)
        let plan = try MaximalCovering.solve(problem, solver: .greedy, timeLimit: 10)
        XCTAssertEqual(plan.status, .greedy)
        XCTAssertEqual(plan.objective, 8.5, accuracy: 1e-12)
        // K = 2: 1 − (1 − 1/2)² = 0.75, so the bound is 8.5 / 0.75.
        XCTAssertEqual(plan.bound, 8.5 / 0.75, accuracy: 1e-12)
        XCTAssertEqual(plan.gap, 0.25, accuracy: 1e-12)
        // K = 5: 1 − 0.8⁵ = 0.67232; K → ∞ tends to 1 − 1/e.
        XCTAssertEqual(MaximalCovering.greedyBound(objective: 0.67232, teams: 5), 1, accuracy: 1e-12)
        XCTAssertEqual(MaximalCovering.greedyBound(objective: 1 - exp(-1), teams: 1_000_000), 1, accuracy: 1e-6)
    }

    /// A plain (non-lazy) greedy, written out here: every round rescans every site.
    static func plainGreedy(_ demand: [Double], _ coverage: [[Int]], _ k: Int) -> [Int] {
        var covered = Set<Int>(), chosen: [Int] = []
        for _ in 0..<k {
            var best = -1, bestGain = -1.0
            for i in coverage.indices where !chosen.contains(i) {
                let g = Set(coverage[i]).subtracting(covered).sorted().reduce(0.0) { $0 + demand[$1] }
                if g > bestGain { best = i; bestGain = g }
            }
            chosen.append(best)
            covered.formUnion(coverage[best])
        }
        return chosen
    }

    func randomInstance(_ rng: inout SplitMix64, sites: Int, points: Int, perSite: Int, integer: Bool) -> ([Double], [[Int]]) {
        let demand = (0..<points).map { _ in integer ? Double(Int(rng.uniform(0, 4))) : rng.uniform(0, 10) }
        let coverage = (0..<sites).map { _ in
            Array(Set((0..<perSite).map { _ in Int(rng.uniform(0, Double(points))) })).sorted()
        }
        return (demand, coverage)
    }

    func testRandomSmallInstancesMatchBruteForceAndTheBoundHolds() throws {
        var rng = SplitMix64(seed: 14)
        for trial in 0..<40 {
            let k = 1 + trial % 4
            let (demand, coverage) = randomInstance(&rng, sites: 9, points: 14, perSite: 4, integer: trial % 2 == 0)
            let problem = CoverageProblem(demand: demand, coverage: coverage, teams: k)
            let brute = Self.bruteForce(demand, coverage, k)
            let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 10)
            XCTAssertEqual(plan.status, .optimal, "trial \(trial)")
            XCTAssertEqual(plan.objective, brute.value, accuracy: 1e-9 * max(1, brute.value), "trial \(trial)")
            XCTAssertEqual(plan.sites.count, k)
            XCTAssertEqual(Set(plan.sites).count, k)
            XCTAssertGreaterThanOrEqual(plan.bound + 1e-9, brute.value, "trial \(trial)")
            // The greedy plan: the plain greedy's, and within the (1 − (1 − 1/K)^K) factor of the optimum.
            let greedy = MaximalCovering.greedy(problem)
            XCTAssertEqual(greedy.sites, Self.plainGreedy(demand, coverage, k), "trial \(trial)")
            XCTAssertGreaterThanOrEqual(
                problem.coveredDemand(greedy.sites) + 1e-12, (1 - pow(1 - 1 / Double(k), Double(k))) * brute.value, "trial \(trial)")
            // The team gains add up to the objective and do not increase.
            XCTAssertEqual(plan.gains.reduce(0, +), plan.objective, accuracy: 1e-9 * max(1, plan.objective))
            for t in plan.gains.indices.dropFirst() { XCTAssertLessThanOrEqual(plan.gains[t], plan.gains[t - 1] + 1e-12) }
        }
    }

    /// Sites 0 and 1 both cover {p0}; sites 2 and 3 both cover {p1}; site 4 covers {p2} alone.
    /// Demand p0 = p1 = 2, p2 = 1; K = 2. Four optimal
    /// plans ({0,2}, {0,3}, {1,2}, {1,3}, value 4): the greedy takes 0 then 2, and the MIP must
    /// return the greedy's plan, not another optimum.
    func testTiesBetweenOptimalPlansFollowTheGreedyOrder() throws {
        let demand = [2.0, 2.0, 1.0]
        let coverage = [[0], [0], [1], [1], [2]]
        let problem = CoverageProblem(demand: demand, coverage: coverage, teams: 2)
        XCTAssertEqual(Self.bruteForce(demand, coverage, 2).best, [[0, 2], [0, 3], [1, 2], [1, 3]])
        XCTAssertEqual(MaximalCovering.greedy(problem).sites, [0, 2])
        let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 10)
        XCTAssertEqual(plan.sites, [0, 2])
        XCTAssertEqual(plan.objective, 4)
        XCTAssertEqual(plan.status, .optimal)
        // The tie-break costs at most 1e-6 of the demand (here: nothing, the plans tie exactly).
        XCTAssertEqual(plan.tieTolerance, 1e-6 * 5, accuracy: 1e-15)
    }

    func testTiesInTheMIPWhenTheGreedyIsNotOptimalGoToTheEarlierSites() throws {
        // The hand instance with a copy of X (site 3) and a copy of Y (site 4): {X, Y}, {X, Y'},
        // {X', Y}, {X', Y'} all reach 10; the greedy's X and then the earlier Y win.
        let coverage = handCoverage + [[0, 1], [2, 3]]
        let problem = CoverageProblem(demand: handDemand, coverage: coverage, teams: 2)
        XCTAssertEqual(Self.bruteForce(handDemand, coverage, 2).best.count, 4)
        let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 10)
        XCTAssertEqual(plan.sites, [0, 1])
    }

    func testFewerUsefulSitesThanTeamsCoverEverythingAndFillBySiteOrder() throws {
        // Only sites 1 and 3 cover demand; K = 3 takes both and then site 0.
        let problem = CoverageProblem(demand: [1, 2], coverage: [[], [0], [], [1]], teams: 3)
        let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 10)
        XCTAssertEqual(plan.sites, [3, 1, 0])
        XCTAssertEqual(plan.gains, [2, 1, 0])
        XCTAssertEqual(plan.objective, 3)
        XCTAssertEqual(plan.gap, 0)
    }

    func testTheTimeLimitReturnsTheIncumbentWithItsGap() throws {
        var rng = SplitMix64(seed: 2026)
        let (demand, coverage) = randomInstance(&rng, sites: 1500, points: 1500, perSite: 40, integer: false)
        let problem = CoverageProblem(demand: demand, coverage: coverage, teams: 30)
        let started = Date()
        let plan = try MaximalCovering.solve(problem, solver: .auto, timeLimit: 1)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(plan.status, .timeLimit)
        XCTAssertLessThan(seconds, 6, "the 1 s limit was not honoured")
        XCTAssertGreaterThanOrEqual(plan.objective, plan.greedyObjective)
        XCTAssertGreaterThan(plan.gap, 0)
        XCTAssertGreaterThanOrEqual(plan.bound, plan.objective)
        XCTAssertEqual(plan.objective, problem.coveredDemand(plan.sites), accuracy: 1e-9 * plan.objective)
        // Any bound reported is at most the greedy's certificate and all the demand there is (here
        // the LP relaxation of this dense random instance covers everything fractionally, so the
        // bound is the total demand).
        XCTAssertLessThanOrEqual(plan.bound, MaximalCovering.greedyBound(objective: plan.greedyObjective, teams: 30) * (1 + 1e-12))
        XCTAssertLessThanOrEqual(plan.bound, demand.reduce(0, +) * (1 + 1e-12))
    }
}

import Foundation

/// Scores one replay step as a plan (MODEL §14 with `routerisk replay --plan-teams K`): the
/// plan made as of t from the model's demand, the plan of the naive baseline's counts, and
/// the hindsight plan on the step's own test events (the same MIP), all over the cell sites.
struct ReplayPlanScorer {
    let area: StudyArea
    let postCovered: [Bool]
    let radius: Double
    let timeLimit: Double

    /// The plan's chosen sites for a demand per cell (posts' cells carry none).
    func plan(_ demand: [Double], teams: Int) throws -> CoveragePlan {
        let effective = zip(demand, postCovered).map { $1 ? 0 : $0 }
        let problem = PlanCoverage.problem(area, demand: effective, sites: .cells, radius: radius, teams: teams)
        return try MaximalCovering.solve(problem, solver: .auto, timeLimit: timeLimit)
    }

    /// Test events in cells the sites cover, posts' cells left out.
    func hits(_ plan: CoveragePlan, testCounts: [Int]) -> Int {
        let covered = PlanCoverage.coveredCells(area, sites: .cells, chosen: plan.sites, radius: radius)
        var hits = 0
        for j in testCounts.indices where covered[j] && !postCovered[j] { hits += testCounts[j] }
        return hits
    }

    func score(_ metrics: inout ReplayStepMetrics, teams: Int, demand: [Double], history: [Double], testCounts: [Int]) throws {
        var denominator = 0
        for j in testCounts.indices where !postCovered[j] { denominator += testCounts[j] }
        guard denominator > 0 else { return }
        let model = hits(try plan(demand, teams: teams), testCounts: testCounts)
        let baseline = hits(try plan(history, teams: teams), testCounts: testCounts)
        // Hindsight: the best K sites for the test events themselves (the MIP on their counts).
        let hindsightPlan = try plan(testCounts.map(Double.init), teams: teams)
        // A time-limited hindsight MIP may stop short of the best; the best is at least either plan.
        let hindsight = max(hits(hindsightPlan, testCounts: testCounts), model, baseline)
        let d = Double(denominator)
        metrics.planHitRate = Double(model) / d
        metrics.baselinePlanHitRate = Double(baseline) / d
        metrics.hindsightHitRate = Double(hindsight) / d
        metrics.planEfficiency = hindsight > 0 ? Double(model) / Double(hindsight) : nil
    }
}

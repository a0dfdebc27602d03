import Foundation

/// A maximal covering location problem (Church & ReVelle 1974): demand points with weights
/// `demand[j] ≥ 0`, candidate sites with the sorted demand indices each covers, and K teams.
/// Sites are numbered in their tie-break order (MODEL §14: cells in (q, r) order, `--sites`
/// in file order).
public struct CoverageProblem: Sendable {
    public let demand: [Double]
    /// `coverage[i]`: ascending indices into `demand` covered by site i.
    public let coverage: [[Int]]
    public let teams: Int

    public init(demand: [Double], coverage: [[Int]], teams: Int) {
        self.demand = demand
        self.coverage = coverage
        self.teams = teams
    }

    public var siteCount: Int { coverage.count }

    /// Σ d_j over the demand points covered by at least one of `sites` (each counted once,
    /// summed in index order).
    public func coveredDemand(_ sites: [Int]) -> Double {
        var covered = [Bool](repeating: false, count: demand.count)
        for i in sites { for j in coverage[i] { covered[j] = true } }
        var total = 0.0
        for j in demand.indices where covered[j] { total += demand[j] }
        return total
    }
}

/// How a plan was solved and how good it is proven to be (MODEL §14).
public enum PlanStatus: String, Sendable, Codable {
    case optimal
    case timeLimit = "time_limit"
    case greedy
}

public enum PlanSolver: String, Sendable, CaseIterable {
    /// The greedy plan, then GLPK's MIP warm-started with it.
    case auto
    /// The greedy plan alone, with its (1 − 1/e) certificate as the bound.
    case greedy
}

/// A solved plan: the chosen sites in team order (a greedy pass over them: largest marginal
/// gain first, ties by site order) with their marginal gains.
public struct CoveragePlan: Sendable, Equatable {
    public let sites: [Int]
    /// `gains[t]`: what team t adds to the teams before it (Σ = objective).
    public let gains: [Double]
    public let objective: Double
    public let bound: Double
    public let status: PlanStatus
    /// The greedy plan's objective (the warm start).
    public let greedyObjective: Double
    /// The perturbation that breaks ties between optimal plans, as a bound on what it may cost
    /// the objective (0 for the greedy solver).
    public let tieTolerance: Double
    public let seconds: Double

    /// (bound − objective) / bound; 0 when the bound is 0.
    public var gap: Double { bound > 0 ? max(0, (bound - objective) / bound) : 0 }
}

/// The solvers of MODEL §14.
public enum MaximalCovering {
    /// The greedy's (1 − 1/e) certificate: the optimum is at most objective / (1 − (1 − 1/K)^K)
    /// (Nemhauser, Wolsey & Fisher 1978).
    public static func greedyBound(objective: Double, teams: Int) -> Double {
        guard teams > 0 else { return objective }
        let k = Double(teams)
        return objective / (1 - pow(1 - 1 / k, k))
    }

    /// The greedy plan with lazy evaluation (Minoux 1978): each round the site with the largest
    /// marginal gain, ties by the lower site index. Stale gains are upper bounds (the objective is
    /// submodular, and a subset sum in index order never exceeds the full sum in floating point),
    /// so a site whose fresh gain still heads the queue is the round's best.
    /// Returns the sites in the order chosen and their gains.
    public static func greedy(_ problem: CoverageProblem, among candidates: [Int]? = nil, teams: Int? = nil)
        -> (sites: [Int], gains: [Double])
    {
        let k = teams ?? problem.teams
        let pool = candidates ?? Array(0..<problem.siteCount)
        var covered = [Bool](repeating: false, count: problem.demand.count)
        func gain(_ i: Int) -> Double {
            var g = 0.0
            for j in problem.coverage[i] where !covered[j] { g += problem.demand[j] }
            return g
        }
        var heap = LazyHeap(pool.map { (gain($0), $0) })
        var sites: [Int] = [], gains: [Double] = []
        while sites.count < k, let top = heap.popMax() {
            let fresh = gain(top.site)
            if let next = heap.peekMax(), LazyHeap.ranksBefore((next.gain, next.site), (fresh, top.site)) {
                heap.push((fresh, top.site))
                continue
            }
            sites.append(top.site)
            gains.append(fresh)
            for j in problem.coverage[top.site] { covered[j] = true }
        }
        return (sites, gains)
    }

    /// Numbers the chosen sites as teams: a greedy pass over them (MODEL §14).
    public static func teamOrder(_ problem: CoverageProblem, sites: [Int]) -> (sites: [Int], gains: [Double]) {
        greedy(problem, among: sites.sorted(), teams: sites.count)
    }

    /// Solves a plan: the greedy first, then (solver auto) GLPK's MIP warm-started with it.
    public static func solve(_ problem: CoverageProblem, solver: PlanSolver, timeLimit: Double) throws -> CoveragePlan {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        let K = problem.teams
        precondition(K >= 1 && K <= problem.siteCount, "1 ≤ teams ≤ sites")
        let greedyPlan = greedy(problem)
        let greedyObjective = problem.coveredDemand(greedyPlan.sites)
        if solver == .greedy {
            let ordered = teamOrder(problem, sites: greedyPlan.sites)
            return CoveragePlan(
                sites: ordered.sites, gains: ordered.gains, objective: greedyObjective,
                bound: greedyBound(objective: greedyObjective, teams: K), status: .greedy,
                greedyObjective: greedyObjective, tieTolerance: 0, seconds: elapsed())
        }
        // The time limit counts from the start of the solve: the greedy took some of it.
        let exact = try CoverageMIP(problem: problem, greedyOrder: greedyPlan.sites)
            .solve(timeLimit: max(0.001, timeLimit - elapsed()))
        var chosen = exact.sites
        var objective = problem.coveredDemand(chosen)
        // A time-limited search returns at worst the warm start; keep the greedy plan if it is better.
        if objective < greedyObjective {
            chosen = greedyPlan.sites
            objective = greedyObjective
        }
        // Three valid bounds: the MIP's, the greedy's certificate and all the demand there is.
        let allDemand = problem.demand.reduce(0, +)
        let bound = max(objective, min(exact.bound, greedyBound(objective: greedyObjective, teams: K), allDemand))
        let ordered = teamOrder(problem, sites: chosen)
        return CoveragePlan(
            sites: ordered.sites, gains: ordered.gains, objective: objective, bound: bound,
            status: exact.optimal ? .optimal : .timeLimit, greedyObjective: greedyObjective,
            tieTolerance: exact.tieTolerance, seconds: elapsed())
    }
}

/// A binary max-heap of (gain, site) ordered by gain descending, then site ascending.
struct LazyHeap {
    private var items: [(gain: Double, site: Int)]

    init(_ items: [(Double, Int)]) {
        self.items = items.map { (gain: $0.0, site: $0.1) }
        var i = self.items.count / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
    }

    /// True when a ranks strictly before b.
    static func ranksBefore(_ a: (Double, Int), _ b: (Double, Int)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : a.1 < b.1
    }

    func peekMax() -> (gain: Double, site: Int)? { items.first }

    mutating func popMax() -> (gain: Double, site: Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        if !items.isEmpty { siftDown(0) }
        return top
    }

    mutating func push(_ item: (Double, Int)) {
        items.append((gain: item.0, site: item.1))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.ranksBefore((items[i].gain, items[i].site), (items[parent].gain, items[parent].site)) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, Self.ranksBefore((items[l].gain, items[l].site), (items[best].gain, items[best].site)) { best = l }
            if r < items.count, Self.ranksBefore((items[r].gain, items[r].site), (items[best].gain, items[best].site)) { best = r }
            if best == i { return }
            items.swapAt(i, best)
            i = best
        }
    }
}

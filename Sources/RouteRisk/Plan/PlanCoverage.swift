import Foundation

/// Candidate team positions (MODEL §14): the study-area cell centres, or points of `--sites`.
enum PlanSites {
    case cells
    /// Points in the working projection, in file order (those outside the study area already skipped).
    case points([PlanarPoint])
}

/// Coverage by grid arithmetic (MODEL §14): a team at site i covers cell j when
/// `|c_j − p_i| ≤ ρ·(1 + 1e-9)`; no pair of cells is ever compared.
enum PlanCoverage {
    /// Cells within ρ₀ of any post (either kind): already watched (MODEL §14 `--post-radius`).
    static func postCovered(_ area: StudyArea, posts: [PlanarPoint], postRadius: Double) -> [Bool] {
        var covered = [Bool](repeating: false, count: area.count)
        guard postRadius > 0 else { return covered }
        for p in posts {
            for c in area.grid.cells(withinDistance: postRadius * (1 + 1e-9), of: p) {
                if let j = area.cellIndex(of: c) { covered[j] = true }
            }
        }
        return covered
    }

    /// The sites' positions in the working projection.
    static func positions(_ sites: PlanSites, area: StudyArea) -> [PlanarPoint] {
        switch sites {
        case .cells: return area.cells.map { area.grid.center(of: $0) }
        case .points(let p): return p
        }
    }

    /// The covering problem over the cells with `demand[j] > 0` (post-covered cells must carry 0).
    /// Cell sites: each positive cell adds itself to the sites at the axial offsets within ρ
    /// (the offsets are symmetric), so the lists come out in cell order. Point sites: the cells
    /// within ρ of each point from axial ranges (`HexGrid.cells(withinDistance:of:)`).
    static func problem(_ area: StudyArea, demand: [Double], sites: PlanSites, radius: Double, teams: Int) -> CoverageProblem {
        switch sites {
        case .cells:
            var coverage = [[Int]](repeating: [], count: area.count)
            let offsets = area.grid.offsets(withinDistance: radius)
            for j in demand.indices where demand[j] > 0 {
                let c = area.cells[j]
                for o in offsets {
                    if let i = area.cellIndex(of: HexCoordinate(q: c.q + o.q, r: c.r + o.r)) { coverage[i].append(j) }
                }
            }
            return CoverageProblem(demand: demand, coverage: coverage, teams: teams)
        case .points(let points):
            let coverage = points.map { p in
                area.grid.cells(withinDistance: radius * (1 + 1e-9), of: p)
                    .compactMap { area.cellIndex(of: $0) }.filter { demand[$0] > 0 }.sorted()
            }
            return CoverageProblem(demand: demand, coverage: coverage, teams: teams)
        }
    }

    /// Every study-area cell covered by the chosen sites (for hit rates: all cells, not only those
    /// with demand), by the same arithmetic as `problem`.
    static func coveredCells(_ area: StudyArea, sites: PlanSites, chosen: [Int], radius: Double) -> [Bool] {
        var covered = [Bool](repeating: false, count: area.count)
        switch sites {
        case .cells:
            let offsets = area.grid.offsets(withinDistance: radius)
            for i in chosen {
                let c = area.cells[i]
                for o in offsets {
                    if let j = area.cellIndex(of: HexCoordinate(q: c.q + o.q, r: c.r + o.r)) { covered[j] = true }
                }
            }
        case .points(let points):
            for i in chosen {
                for c in area.grid.cells(withinDistance: radius * (1 + 1e-9), of: points[i]) {
                    if let j = area.cellIndex(of: c) { covered[j] = true }
                }
            }
        }
        return covered
    }
}

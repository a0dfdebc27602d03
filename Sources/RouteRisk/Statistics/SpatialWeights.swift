import Foundation

/// Binary spatial weights in compressed sparse rows: `w_jk = 1` for k in `neighbours(of: j)` (as PySAL's `W`, transform "B").
public struct SpatialWeights: Sendable {
    /// Row starts: the neighbours of j are `neighbours[offsets[j]..<offsets[j+1]]`; `offsets.count` = items + 1.
    public let offsets: [Int]
    /// Neighbour indices, row after row, ascending within a row.
    public let neighbours: [Int]

    /// Weights from one neighbour list per item; each list is sorted ascending here.
    public init(neighbourLists: [[Int]]) {
        var offsets = [0]
        offsets.reserveCapacity(neighbourLists.count + 1)
        var neighbours: [Int] = []
        neighbours.reserveCapacity(neighbourLists.reduce(0) { $0 + $1.count })
        for list in neighbourLists {
            neighbours.append(contentsOf: list.sorted())
            offsets.append(neighbours.count)
        }
        self.offsets = offsets
        self.neighbours = neighbours
    }

    /// Weights already in compressed rows (each row ascending).
    init(offsets: [Int], neighbours: [Int]) {
        precondition(offsets.first == 0 && offsets.last == neighbours.count, "row starts must cover the neighbours")
        self.offsets = offsets
        self.neighbours = neighbours
    }

    /// Number of items (rows).
    public var count: Int { offsets.count - 1 }

    /// The neighbours of item j, ascending.
    public func neighbours(of j: Int) -> ArraySlice<Int> {
        neighbours[offsets[j]..<offsets[j + 1]]
    }

    /// `W_j = Σ_k w_jk`, the number of neighbours of j.
    public func cardinality(of j: Int) -> Int {
        offsets[j + 1] - offsets[j]
    }

    /// Binary distance-band weights: k is a neighbour of j when `|p_j − p_k| ≤ threshold·(1+1e-9)`
    /// (MODEL §6; PySAL `DistanceBand(binary=True)`, with self when `includeSelf`). Found through a bucket grid.
    public static func distanceBand(points: [PlanarPoint], threshold: Double,
                                    includeSelf: Bool = true) -> SpatialWeights {
        let reach = threshold * (1 + 1e-9)
        guard reach >= 0, reach.isFinite else {
            return SpatialWeights(neighbourLists: points.indices.map { includeSelf ? [$0] : [] })
        }
        let grid = BucketGrid(points: points, bucketSize: reach > 0 ? reach : 1)
        var lists: [[Int]] = []
        lists.reserveCapacity(points.count)
        for (j, p) in points.enumerated() {
            var list: [Int] = []
            grid.forEachCandidate(near: p, radius: reach) { slot in
                let k = grid.indices[slot]
                if k == j {
                    if includeSelf { list.append(k) }
                } else if PlanarPoint(x: grid.xs[slot], y: grid.ys[slot]).distance(to: p) <= reach {
                    list.append(k)
                }
            }
            lists.append(list)
        }
        return SpatialWeights(neighbourLists: lists)
    }
}

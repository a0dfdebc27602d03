import XCTest
@testable import RouteRisk

/// The sparse cube (no n·T arrays, empty neighbourhoods shared, Benjamini–Hochberg by counting) against the dense
/// `spaceTimeGiStar` (itself checked against a numpy script that materialises the cube weights).
final class SparseSpaceTimeCubeTests: XCTestCase {
    /// A random cube: each event in a random cell and bin, `hotCells` given extra events in the late bins, and
    /// cells of a ring with neighbours at ring distance ≤ `reach` (so cardinalities vary only at no boundary) or on
    /// a line (cardinalities 2 and 3 at the ends).
    private func randomCube(seed: UInt64, cells: Int, bins: Int, events: Int, reach: Int, ring: Bool,
                            hotCells: Range<Int> = 0..<0, emptyCells: Range<Int> = 0..<0)
        -> (cube: SparseSpaceTimeCounts, weights: SpatialWeights) {
        var rng = SplitMix64(seed: seed)
        var eventCells: [Int] = []
        var eventBins: [Int] = []
        for _ in 0..<events {
            let c = Int(rng.uniform(0, Double(cells)))
            guard !emptyCells.contains(c) else { continue }
            eventCells.append(c)
            eventBins.append(Int(rng.uniform(0, Double(bins))))
        }
        for c in hotCells {
            for t in (bins / 2)..<bins {
                for _ in 0..<(3 + t) {
                    eventCells.append(c)
                    eventBins.append(t)
                }
            }
        }
        let lists = (0..<cells).map { j -> [Int] in
            if ring {
                return Set((-reach...reach).map { ((j + $0) % cells + cells) % cells }).sorted()
            }
            return (Swift.max(0, j - reach)...Swift.min(cells - 1, j + reach)).map { $0 }
        }
        return (SparseSpaceTimeCounts(cellCount: cells, binCount: bins, eventCells: eventCells, eventBins: eventBins),
                SpatialWeights(neighbourLists: lists))
    }

    private func assertSameAsDense(_ cube: SparseSpaceTimeCounts, _ weights: SpatialWeights, tau: Int = 1,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let dense = spaceTimeGiStar(counts: cube.dense(), cells: cube.cellCount, bins: cube.binCount,
                                    spatial: weights, timeNeighbours: tau)
        let sparse = SparseSpaceTimeGiStar(cube, spatial: weights, timeNeighbours: tau)
        for j in 0..<cube.cellCount {
            let z = sparse.zSeries(cell: j)
            for t in 0..<cube.binCount {
                XCTAssertEqual(z[t], dense.z[dense.index(cell: j, bin: t)], accuracy: 1e-9 * Swift.max(1, abs(z[t])),
                               "z of cell \(j) bin \(t)", file: file, line: line)
            }
        }
        XCTAssertEqual(sparseEmergingHotSpots(cube, spatial: weights, timeNeighbours: tau), emergingHotSpots(dense),
                       file: file, line: line)
    }

    func testDenseRoundTrip() {
        let cube = SparseSpaceTimeCounts(cellCount: 3, binCount: 4, eventCells: [2, 0, 2, 2, 1], eventBins: [3, 1, 3, 0, 1])
        XCTAssertEqual(cube.dense(), [0, 1, 0, 0, /* cell 1 */ 0, 1, 0, 0, /* cell 2 */ 1, 0, 0, 2])
        XCTAssertEqual(cube.bins, [1, 1, 0, 3])
        XCTAssertEqual(cube.counts, [1, 1, 1, 2])
    }

    func testMomentsMatchTheDenseCube() {
        let (cube, _) = randomCube(seed: 3, cells: 50, bins: 12, events: 400, reach: 1, ring: false)
        let dense = giStarMoments(cube.dense())
        let sparse = cube.moments()
        XCTAssertEqual(sparse.mean, dense.mean)
        XCTAssertEqual(sparse.sd, dense.sd)
        // Constant cubes: all zero, and every value equal.
        XCTAssertEqual(SparseSpaceTimeCounts(cellCount: 2, binCount: 2, eventCells: [], eventBins: []).moments().sd, 0)
        XCTAssertEqual(SparseSpaceTimeCounts(cellCount: 1, binCount: 2, eventCells: [0, 0], eventBins: [0, 1]).moments().sd, 0)
    }

    /// Mostly empty (most neighbourhoods empty), with planted hot cells: the case of the national scenes.
    func testSparseCubeWithHotCells() {
        for seed in UInt64(1)...4 {
            let (cube, weights) = randomCube(seed: seed, cells: 400, bins: 24, events: 300, reach: 2, ring: false,
                                             hotCells: 100..<104)
            assertSameAsDense(cube, weights)
            assertSameAsDense(cube, weights, tau: 2)
        }
    }

    /// Busy everywhere but for an empty block: the empty neighbourhoods are significant cold spots, so the shared
    /// p-value and its multiplicity decide Benjamini–Hochberg's cut-off.
    func testEmptyNeighbourhoodsThatAreColdSpots() {
        let (cube, weights) = randomCube(seed: 11, cells: 300, bins: 12, events: 300 * 12 * 4, reach: 1, ring: true,
                                         emptyCells: 100..<160)
        let categories = sparseEmergingHotSpots(cube, spatial: weights)
        // Deep inside the empty block every bin is cold (z < 0, and significant): a persistent cold spot at least.
        XCTAssertTrue(categories[130].isCold, "\(categories[130])")
        assertSameAsDense(cube, weights)
    }

    func testDegenerateCubes() {
        let weights = SpatialWeights(neighbourLists: [[0, 1], [0, 1]])
        let empty = SparseSpaceTimeCounts(cellCount: 2, binCount: 5, eventCells: [], eventBins: [])
        XCTAssertEqual(sparseEmergingHotSpots(empty, spatial: weights), [.noPattern, .noPattern])
        assertSameAsDense(empty, weights)
        let (cube, lineWeights) = randomCube(seed: 5, cells: 30, bins: 1, events: 40, reach: 1, ring: false)
        assertSameAsDense(cube, lineWeights)
    }
}

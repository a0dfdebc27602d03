import XCTest
@testable import RouteRisk

/// The study area by walking segments over the grid against the GEOS reference (`StudyArea.buildWithGEOS`: every
/// candidate centre tested with `GEOSDistanceWithin_r`), and the flat cell index and hex distance-band weights
/// against a dictionary and a brute-force distance band over the cell centres.
final class StudyAreaWalkTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data")

    private func assertSameCells(grid: HexGrid, lines: [[PlanarPoint]], reach: Double, _ label: String,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let walked = try StudyArea.build(grid: grid, lines: lines, reach: reach)
        let reference = try StudyArea.buildWithGEOS(grid: grid, lines: lines, reach: reach)
        XCTAssertEqual(walked.cells.count, reference.cells.count, "\(label): cell count", file: file, line: line)
        if walked.cells != reference.cells {
            let a = Set(walked.cells), b = Set(reference.cells)
            XCTFail("\(label): only walked \(a.subtracting(b).sorted().prefix(5)), only GEOS \(b.subtracting(a).sorted().prefix(5))"
                    + (a == b ? " (same cells, other order)" : ""), file: file, line: line)
        }
    }

    func testRandomLinesMatchGEOS() throws {
        var rng = SplitMix64(seed: 2024)
        for round in 0..<12 {
            let cell = [2000.0, 5000, 3333][round % 3]
            let reach = [50_000.0, 5000, 1500, 12_345.6][round % 4]
            var lines: [[PlanarPoint]] = []
            for _ in 0..<(1 + round % 4) {
                var p = PlanarPoint(x: rng.uniform(-3e5, 3e5), y: rng.uniform(-3e5, 3e5))
                var line = [p]
                let step = [150.0, 4000, 90_000][Int(rng.uniform(0, 3))]
                for _ in 0..<Int(rng.uniform(1, 60)) {
                    switch Int(rng.uniform(0, 10)) {
                    case 0: break  // a repeated vertex: a zero-length segment
                    case 1: p = PlanarPoint(x: p.x, y: p.y + rng.uniform(-step, step))  // vertical
                    case 2: p = PlanarPoint(x: p.x + rng.uniform(-step, step), y: p.y)  // horizontal
                    default: p = PlanarPoint(x: p.x + rng.uniform(-step, step), y: p.y + rng.uniform(-step, step))
                    }
                    line.append(p)
                }
                lines.append(line)
            }
            lines.append([PlanarPoint(x: 1, y: 2)])  // a one-point line is no line
            let grid = HexGrid(cellSize: cell, envelopeMinX: -3.1e5, envelopeMinY: -2.9e5)
            try assertSameCells(grid: grid, lines: lines, reach: reach, "round \(round)")
        }
    }

    /// Centres at exactly the reach of a segment's end or side (on the grid's own lattice), where ≤ decides.
    func testCentresAtExactlyTheReach() throws {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        let a = grid.center(of: HexCoordinate(q: 10, r: 10)), b = grid.center(of: HexCoordinate(q: 30, r: 10))
        let up = grid.center(of: HexCoordinate(q: 10, r: 14))
        let reach = up.distance(to: a)
        try assertSameCells(grid: grid, lines: [[a, b]], reach: reach, "lattice segment")
        try assertSameCells(grid: grid, lines: [[a, a]], reach: 3000, "point segment")
        try assertSameCells(grid: grid, lines: [[a, b]], reach: 0, "zero reach")
        // A centre on the segment is within reach 0.
        let walked = try StudyArea.build(grid: grid, lines: [[a, b]], reach: 0)
        XCTAssertEqual(walked.cells.first, HexCoordinate(q: 10, r: 10))
    }

    private func projected(_ directory: URL, cell: Double) throws -> (ProjectedScene, ScoreOptions) {
        var options = ScoreOptions()
        options.layers = try SceneDescription.load(directory: directory).layers
        options.cellSize = cell
        options.now = Timestamp.parse("2026-06-01")!
        let scene = try ScoreRun(options: options).loadScene()
        return (try ProjectedScene(scene: scene, options: options), options)
    }

    func testFixtureAndSampleScenesMatchGEOS() throws {
        for (directory, cell) in [(Self.fixtures.appendingPathComponent("tiny"), 5000.0),
                                  (Self.fixtures.appendingPathComponent("tiny"), 2000), (Self.sample, 5000)] {
            let (frame, options) = try projected(directory, cell: cell)
            try assertSameCells(grid: frame.grid, lines: frame.coastline + frame.borders + frame.routes.flatMap { $0 },
                                reach: options.reach, "\(directory.lastPathComponent) at \(cell) m")
        }
    }

    func testCellIndexAgainstADictionary() {
        var rng = SplitMix64(seed: 5)
        // Compact columns (the dense table) and a few far-apart cells (the binary search).
        for spread in [30.0, 1e9] {
            var set = Set<HexCoordinate>()
            for _ in 0..<2000 {
                set.insert(HexCoordinate(q: Int(rng.uniform(-40, 40)), r: Int(rng.uniform(-spread, spread))))
            }
            let cells = set.sorted()
            let index = HexCellIndex(sortedCells: cells)
            let dictionary = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1, $0) })
            for q in -42...42 {
                for r in -35...35 {
                    let c = HexCoordinate(q: q, r: r)
                    XCTAssertEqual(index.index(of: c), dictionary[c], "\(c)")
                }
            }
            for (i, c) in cells.enumerated() { XCTAssertEqual(index.index(of: c), i) }
            XCTAssertNil(index.index(of: HexCoordinate(q: Int.max, r: 0)))
            XCTAssertNil(index.index(of: HexCoordinate(q: 0, r: Int.min)))
        }
        XCTAssertNil(HexCellIndex(sortedCells: []).index(of: HexCoordinate(q: 0, r: 0)))
    }

    func testHexWeightsEqualABruteForceDistanceBand() throws {
        let (frame, options) = try projected(Self.fixtures.appendingPathComponent("tiny"), cell: 2000)
        let area = try StudyArea.build(grid: frame.grid, lines: frame.coastline + frame.borders + frame.routes.flatMap { $0 },
                                       reach: options.reach)
        let centres = area.cells.map { area.grid.center(of: $0) }
        for band in [2000.0, 4000, 7000] {
            let hex = area.distanceBandWeights(band: band)
            let brute = SpatialWeights.distanceBand(points: centres, threshold: band)
            XCTAssertEqual(hex.offsets, brute.offsets, "band \(band)")
            XCTAssertEqual(hex.neighbours, brute.neighbours, "band \(band)")
        }
    }
}

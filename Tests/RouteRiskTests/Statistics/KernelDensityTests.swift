import XCTest
@testable import RouteRisk

final class KernelDensityTests: XCTestCase {
    func testQuarticKernelByHand() {
        // h = 10, d = 5: 3/(π·100)·(1 − 25/100)² = 0.03/π · 0.5625 = 0.016875/π = 0.005371479329351467.
        XCTAssertEqual(quarticKernel(squaredDistance: 25, bandwidth: 10), 0.005371479329351467, accuracy: 1e-17)
        // d = 0: 3/(100π) = 0.00954929658551372.
        XCTAssertEqual(quarticKernel(squaredDistance: 0, bandwidth: 10), 0.00954929658551372, accuracy: 1e-17)
        // d = h and beyond: 0.
        XCTAssertEqual(quarticKernel(squaredDistance: 100, bandwidth: 10), 0)
        XCTAssertEqual(quarticKernel(squaredDistance: 101, bandwidth: 10), 0)
    }

    func testIntensityOfOnePointIsTheKernelTimesItsWeight() {
        // w = 2, h = 1000, at distance 600: 2 · 3/(π·10⁶) · (1 − 0.36)² = 6/(π·10⁶) · 0.4096 = 7.822564…e-7.
        let kde = KernelDensity(points: [PlanarPoint(x: 100, y: 200)], weights: [2], bandwidth: 1000)
        XCTAssertEqual(kde.intensity(at: PlanarPoint(x: 700, y: 200)), 6 / (Double.pi * 1e6) * 0.4096, accuracy: 1e-20)
        XCTAssertEqual(kde.intensity(at: PlanarPoint(x: 100, y: 1200)), 0)
    }

    func testIntegratesToTheTotalWeightOverAFineGrid() {
        let points = [PlanarPoint(x: 0, y: 0), PlanarPoint(x: 300, y: -200), PlanarPoint(x: 1500, y: 800),
                      PlanarPoint(x: -700, y: 400), PlanarPoint(x: 2000, y: 2000)]
        let weights = [1, 2.5, 0.5, 1, 3]  // total 8
        let h = 1000.0
        let kde = KernelDensity(points: points, weights: weights, bandwidth: h)
        // Midpoint rule over [−2000, 3500] × [−1500, 3500], cells of 25 m, which holds every kernel's disc.
        let step = 25.0
        var grid: [PlanarPoint] = []
        for i in 0..<220 {
            for j in 0..<200 {
                grid.append(PlanarPoint(x: -2000 + (Double(i) + 0.5) * step, y: -1500 + (Double(j) + 0.5) * step))
            }
        }
        let total = kde.intensities(at: grid).reduce(0, +) * step * step
        XCTAssertEqual(total, 8, accuracy: 8e-3)
    }

    func testMatchesABruteForceSumOnSeededPoints() {
        var rng = SplitMix64(seed: 2024)
        let points = (0..<300).map { _ in PlanarPoint(x: rng.uniform(0, 20_000), y: rng.uniform(-5000, 15_000)) }
        let weights = (0..<300).map { _ in rng.uniform(0, 3) }
        let queries = (0..<400).map { _ in PlanarPoint(x: rng.uniform(-2000, 22_000), y: rng.uniform(-7000, 17_000)) }
        let h = 1500.0
        let kde = KernelDensity(points: points, weights: weights, bandwidth: h)
        let values = kde.intensities(at: queries)
        for (q, value) in zip(queries, values) {
            var brute = 0.0
            for (p, w) in zip(points, weights) {
                let d2 = p.squaredDistance(to: q)
                if d2 < h * h { brute += w * 3 / (Double.pi * h * h) * (1 - d2 / (h * h)) * (1 - d2 / (h * h)) }
            }
            XCTAssertEqual(value, brute, accuracy: 1e-12 * Swift.max(brute, 1e-12))
        }
    }

    /// Points evaluated four at a time (queries that cover the same buckets) get `intensity(at:)`'s bits: many
    /// queries per bucket, queries on bucket edges, far outside the events (no bucket), on one and two threads.
    func testGroupedEvaluationIsBitIdenticalToOneByOne() {
        var rng = SplitMix64(seed: 5)
        let points = (0..<2000).map { _ in PlanarPoint(x: rng.uniform(0, 6000), y: rng.uniform(0, 6000)) }
        let weights = (0..<2000).map { _ in rng.uniform(0.1, 2) }
        let h = 700.0
        var queries = (0..<3000).map { _ in PlanarPoint(x: rng.uniform(-500, 6500), y: rng.uniform(-500, 6500)) }
        queries += (0..<200).map { k in PlanarPoint(x: Double(k % 10) * h, y: Double(k / 10) * h / 2) }
        queries += [PlanarPoint(x: -1e6, y: 3000), PlanarPoint(x: 3000, y: 1e7)]
        let kde = KernelDensity(points: points, weights: weights, bandwidth: h)
        let expected = queries.map { kde.intensity(at: $0) }
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            XCTAssertEqual(kde.intensities(at: queries), expected, "\(threads) threads")
        }
        Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount
        XCTAssertGreaterThan(expected.filter { $0 > 0 }.count, 2500)
    }

    func testParallelEvaluationIsBitIdenticalToOneByOne() {
        var rng = SplitMix64(seed: 99)
        let points = (0..<500).map { _ in PlanarPoint(x: rng.uniform(0, 10_000), y: rng.uniform(0, 10_000)) }
        let weights = (0..<500).map { _ in rng.uniform(0, 1) }
        let queries = (0..<1000).map { _ in PlanarPoint(x: rng.uniform(0, 10_000), y: rng.uniform(0, 10_000)) }
        let kde = KernelDensity(points: points, weights: weights, bandwidth: 800)
        XCTAssertEqual(kde.intensities(at: queries), queries.map { kde.intensity(at: $0) })
        XCTAssertEqual(kde.intensities(at: []), [])
    }
}

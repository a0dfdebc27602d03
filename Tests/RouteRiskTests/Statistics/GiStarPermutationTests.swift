import XCTest
@testable import RouteRisk

final class GiStarPermutationTests: XCTestCase {
    /// Hex-cell centres of a rows × columns block, and their Gi* weights with the band 2·s (19 cells inside).
    private func hexLattice(columns: Int, rows: Int) -> (centres: [PlanarPoint], weights: SpatialWeights) {
        let grid = HexGrid(cellSize: 1000, envelopeMinX: 0, envelopeMinY: 0)
        var centres: [PlanarPoint] = []
        for q in 0..<columns {
            for r in 0..<rows {
                centres.append(grid.center(of: HexCoordinate(q: q, r: r - q / 2)))
            }
        }
        return (centres, SpatialWeights.distanceBand(points: centres, threshold: 2000))
    }

    /// Spearman rank correlation (average ranks for ties).
    private func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ v: [Double]) -> [Double] {
            let order = v.indices.sorted { v[$0] < v[$1] }
            var r = [Double](repeating: 0, count: v.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        let ra = ranks(a), rb = ranks(b)
        let n = Double(a.count)
        let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            sab += (ra[i] - ma) * (rb[i] - mb)
            saa += (ra[i] - ma) * (ra[i] - ma)
            sbb += (rb[i] - mb) * (rb[i] - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    func testNullSampleRejectsAtTheNominalRateAndAgreesWithTheNormalP() {
        // 10,000 cells (100 × 100 hex block), iid exponential values, 99 permutations.
        let lattice = hexLattice(columns: 100, rows: 100)
        var rng = SplitMix64(seed: 2024)
        let values = (0..<lattice.centres.count).map { _ in -log(1 - rng.uniform(0, 1)) }
        let pSim = getisOrdGiStarPermutationP(values, weights: lattice.weights, permutations: 99, seed: 7)
        // Under the null, p_sim takes the values k/100 and P(p_sim ≤ 5/100) = 0.05 exactly (exchangeability).
        let share = Double(pSim.filter { $0 <= 0.05 }.count) / Double(pSim.count)
        // Binomial sd for 10,000 independent cells: √(0.05·0.95/10,000) = 0.0022. Neighbouring cells share up to
        // 18 of their 19 values, so the tests are positively dependent; a design effect of up to ~5 gives
        // sd ≈ 0.005. Tolerance 0.012: over 5 independent sd, over 2 sd with that design effect.
        XCTAssertEqual(share, 0.05, accuracy: 0.012)
        XCTAssertTrue(pSim.allSatisfy { $0 > 0 && $0 <= 1 })
        // Agreement with the analytical p: in rank, and in the share called significant.
        let analytical = getisOrdGiStar(values, weights: lattice.weights).p
        XCTAssertGreaterThan(spearman(pSim, analytical), 0.9)
        let analyticalShare = Double(analytical.filter { $0 <= 0.05 }.count) / Double(analytical.count)
        XCTAssertEqual(share, analyticalShare, accuracy: 0.015)
    }

    func testSeedDeterminesTheResult() {
        let lattice = hexLattice(columns: 20, rows: 20)
        var rng = SplitMix64(seed: 1)
        let values = (0..<400).map { _ in Double(rng.next() % 4) }
        let a = getisOrdGiStarPermutationP(values, weights: lattice.weights, permutations: 199, seed: 42)
        let b = getisOrdGiStarPermutationP(values, weights: lattice.weights, permutations: 199, seed: 42)
        let c = getisOrdGiStarPermutationP(values, weights: lattice.weights, permutations: 199, seed: 43)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertGreaterThan(zip(a, c).filter { $0 != $1 }.count, 300)
        // A cell's p depends only on (seed, cell): the same cell in a reordered computation is unchanged.
        let single = PermutationStream(seed: 42, item: 17)
        var s1 = single, s2 = PermutationStream(seed: 42, item: 17)
        XCTAssertEqual(s1.next(), s2.next())
        var other = PermutationStream(seed: 42, item: 18)
        var again = PermutationStream(seed: 42, item: 17)
        XCTAssertNotEqual(other.next(), again.next())
    }

    func testConditionalRandomisationKeepsTheFocalValueAndDrawsWithoutReplacement() {
        // Six values; cell 0 (value 0) sees itself and cells 1–4 (W = 5). Each draw keeps x_0 and takes 4 of the
        // 5 other values {0, 0, 0, 0, 10} without replacement: the sum is 0 when the 10 is left out (1 in 5),
        // else 10. X̄W = (10/6)·5 = 8.33 and L_obs = 0, so only the draws summing to 0 are as extreme:
        // p_sim → (1 + P/5)/(P + 1) ≈ 0.2 (with replacement it would be (4/5)⁴ = 0.41).
        let values: [Double] = [0, 0, 0, 0, 0, 10]
        let weights = SpatialWeights(neighbourLists: [[0, 1, 2, 3, 4], [1], [2], [3], [4], [5]])
        let p = getisOrdGiStarPermutationP(values, weights: weights, permutations: 9999, seed: 3)
        // Binomial sd of the share: √(0.2·0.8/9999) = 0.004.
        XCTAssertEqual(p[0], 0.2, accuracy: 0.016)
        // A cell that is only its own neighbour: every draw equals the observation, p = 1.
        XCTAssertEqual(p[1], 1)
    }

    func testLargeNeighbourhoodsDrawWithoutReplacementToo() {
        // 200 values: 199 ones and one 10 (no zeros, so all 149 draws go through the large-draw path). Cell 0 sees
        // itself and cells 1–149 (W = 150, all ones): L_obs = 150, X̄W = 1.045·150 = 156.75, so the draws as extreme
        // are those summing to ≤ 150 (or ≥ 163.5): 1 + 149 others sum to 150 exactly when the 10 is among the 50 left
        // out, else 159. Probability 50/199 = 0.2513.
        var values = [Double](repeating: 1, count: 200)
        values[199] = 10
        var lists: [[Int]] = (0..<200).map { [$0] }
        lists[0] = Array(0..<150)
        let p = getisOrdGiStarPermutationP(values, weights: SpatialWeights(neighbourLists: lists), permutations: 4999,
                                           seed: 11)
        // sd √(0.25·0.75/4999) = 0.006.
        XCTAssertEqual(p[0], 50.0 / 199, accuracy: 0.025)
    }

    func testZeroSplitMatchesEnumeration() {
        // Ten values with four zeros. Cell 0 (a zero) sees itself and 3 others: the draws take 3 of the 9 others.
        // The exact p is the share of the C(9, 3) = 84 subsets whose sum is as extreme, enumerated here.
        let values: [Double] = [0, 0, 0, 0, 1, 1, 2, 2.5, 3, 3.5]
        for focus in [0, 6] {
            var lists: [[Int]] = (0..<10).map { [$0] }
            lists[focus] = focus == 0 ? [0, 4, 5, 8] : [6, 1, 2, 9]
            let weights = SpatialWeights(neighbourLists: lists)
            let mean = values.reduce(0, +) / 10
            let observed = lists[focus].map { values[$0] }.reduce(0, +)
            let centre = mean * 4
            let others = (0..<10).filter { $0 != focus }
            var extreme = 0
            var subsets = 0
            for a in 0..<9 {
                for b in (a + 1)..<9 {
                    for c in (b + 1)..<9 {
                        let total = values[focus] + values[others[a]] + values[others[b]] + values[others[c]]
                        if abs(total - centre) >= abs(observed - centre) - 1e-12 { extreme += 1 }
                        subsets += 1
                    }
                }
            }
            XCTAssertEqual(subsets, 84)
            let exact = Double(extreme) / 84
            let p = getisOrdGiStarPermutationP(values, weights: weights, permutations: 19_999, seed: 17)
            // sd ≤ √(0.25/20,000) = 0.0035.
            XCTAssertEqual(p[focus], exact, accuracy: 0.015, "cell \(focus)")
        }
    }

    func testHypergeometricTable() {
        // N = 9, Q = 6 successes, 3 draws: P(K = k) = C(6, k)·C(3, 3 − k)/C(9, 3) = 1/84, 18/84, 45/84, 20/84.
        let cdf = hypergeometricCDF(population: 9, successes: 6, draws: 3)
        XCTAssertEqual(cdf[0], 1.0 / 84, accuracy: 1e-15)
        XCTAssertEqual(cdf[1], 19.0 / 84, accuracy: 1e-15)
        XCTAssertEqual(cdf[2], 64.0 / 84, accuracy: 1e-15)
        XCTAssertEqual(cdf[3], 1)
        // Support starting above 0: N = 5, Q = 4, 3 draws: K ≥ 2; P(K = 2) = C(4,2)·1/C(5,3) = 0.6.
        let shifted = hypergeometricCDF(population: 5, successes: 4, draws: 3)
        XCTAssertEqual(shifted[0], 0)
        XCTAssertEqual(shifted[1], 0)
        XCTAssertEqual(shifted[2], 0.6, accuracy: 1e-15)
        XCTAssertEqual(shifted[3], 1)
        XCTAssertEqual(hypergeometricCDF(population: 5, successes: 0, draws: 3), [1, 1, 1, 1])
        XCTAssertEqual(hypergeometricCDF(population: 5, successes: 5, draws: 3), [0, 0, 0, 1])
        // A large case sums to 1 with the right mean m·Q/N.
        let big = hypergeometricCDF(population: 245_350, successes: 32_289, draws: 18)
        var mean = 0.0
        for k in 0...18 {
            mean += Double(k) * (big[k] - (k > 0 ? big[k - 1] : 0))
        }
        XCTAssertEqual(mean, 18 * 32_289 / 245_350.0, accuracy: 1e-12)
    }

    /// The guide table must give the K of the linear walk up the table (the first k with u < cdf[k]) for every u,
    /// or the p-values would change: checked on u at and beside every table entry and every guide boundary g/G.
    func testGuidedInversionGivesTheKOfTheLinearWalk() {
        let tables: [[Double]] = [
            hypergeometricCDF(population: 9, successes: 6, draws: 3),
            hypergeometricCDF(population: 5, successes: 4, draws: 3),  // support from K = 2
            hypergeometricCDF(population: 5, successes: 0, draws: 3),  // [1, 1, 1, 1]
            hypergeometricCDF(population: 5, successes: 5, draws: 3),  // [0, 0, 0, 1]
            hypergeometricCDF(population: 245_350, successes: 32_289, draws: 18),
            hypergeometricCDF(population: 238_000, successes: 200, draws: 18),  // K = 0 nearly always
            // Entries on guide boundaries (multiples of 1/256) and repeated entries.
            [0.25, 0.5, 0.5, 0.5 + 1.0 / 256, 0.75, 1], [0, 0, 1.0 / 256, 1],
        ]
        func linear(_ u: Double, _ cdf: [Double]) -> Int {
            var k = 0
            while u >= cdf[k] { k += 1 }
            return k
        }
        var rng = SplitMix64(seed: 41)
        for cdf in tables {
            let inversion = GuidedInversion(cdf: cdf)
            var us: [Double] = [0, 1.0.nextDown]
            for g in 0...(4 * GuidedInversion.guideSize) {
                let b = Double(g) / Double(4 * GuidedInversion.guideSize)
                us += [b, b.nextDown, b.nextUp]
            }
            for c in cdf { us += [c, c.nextDown, c.nextUp] }
            for _ in 0..<20_000 { us.append(Double(rng.next() >> 11) * 0x1.0p-53) }
            inversion.withTables { c, guide in
                for u in us where u >= 0 && u < 1 {
                    XCTAssertEqual(GuidedInversion.invert(u, cdf: c, guide: guide), linear(u, cdf), "u \(u), cdf \(cdf.prefix(6))")
                }
            }
        }
        // By hand: cdf 1/84, 19/84, 64/84, 1; u = 0.5 lies in [19/84, 64/84): K = 2; u = 0.01 < 1/84: K = 0.
        GuidedInversion(cdf: tables[0]).withTables { c, guide in
            XCTAssertEqual(GuidedInversion.invert(0.5, cdf: c, guide: guide), 2)
            XCTAssertEqual(GuidedInversion.invert(0.01, cdf: c, guide: guide), 0)
            XCTAssertEqual(GuidedInversion.invert(0.99, cdf: c, guide: guide), 3)
        }
    }

    /// The integer walk (`invert(bits:)`) must give the double walk's K for every 53-bit word: checked at, below and
    /// above every threshold ⌈cdf[k]·2⁵³⌉ and every guide boundary, and on random words.
    func testIntegerInversionGivesTheKOfTheDoubleWalk() {
        let tables: [[Double]] = [
            hypergeometricCDF(population: 9, successes: 6, draws: 3),
            hypergeometricCDF(population: 5, successes: 4, draws: 3),
            hypergeometricCDF(population: 5, successes: 0, draws: 3),
            hypergeometricCDF(population: 5, successes: 5, draws: 3),
            hypergeometricCDF(population: 245_350, successes: 32_289, draws: 18),
            hypergeometricCDF(population: 238_000, successes: 200, draws: 18),
            [0.25, 0.5, 0.5, 0.5 + 1.0 / 256, 0.75, 1], [0, 0, 1.0 / 256, 1],
            // Entries that are not multiples of 2⁻⁵³ (their thresholds round up) and one just above 0.
            [0.1, 0.3, 1.0 / 3, 0.7, 1], [0x1.0p-60, 0.5, 1],
        ]
        let top: UInt64 = 1 << 53
        var rng = SplitMix64(seed: 43)
        for cdf in tables {
            let inversion = GuidedInversion(cdf: cdf)
            var words: [UInt64] = [0, top - 1]
            for g in 0...GuidedInversion.guideSize {
                let b = UInt64(g) << GuidedInversion.guideShift
                words += [b, b &- 1, b + 1]
            }
            for c in cdf {
                let t = UInt64((c * 0x1.0p53).rounded(.up))
                words += [t, t &- 1, t + 1]
            }
            for _ in 0..<20_000 { words.append(rng.next() >> 11) }
            inversion.withTables { c, guide in
                inversion.withIntegerTables { thresholds, _ in
                    for b in words where b < top {
                        let u = Double(b) * 0x1.0p-53
                        XCTAssertEqual(GuidedInversion.invert(bits: b, thresholds: thresholds, guide: guide),
                                       GuidedInversion.invert(u, cdf: c, guide: guide), "bits \(b), cdf \(cdf.prefix(6))")
                    }
                }
            }
        }
        // By hand: cdf 0.1, 0.3, 1/3, 0.7, 1; u = 1/3 exactly is not below 1/3 (the double nearest it, which the
        // threshold rounds up to): K = 3; the word just below it gives K = 2.
        let third = GuidedInversion(cdf: [0.1, 0.3, 1.0 / 3, 0.7, 1])
        let t = UInt64((1.0 / 3 * 0x1.0p53).rounded(.up))
        third.withIntegerTables { thresholds, guide in
            XCTAssertEqual(GuidedInversion.invert(bits: t, thresholds: thresholds, guide: guide), 3)
            XCTAssertEqual(GuidedInversion.invert(bits: t - 1, thresholds: thresholds, guide: guide), 2)
            XCTAssertEqual(GuidedInversion.invert(bits: 0, thresholds: thresholds, guide: guide), 0)
            XCTAssertEqual(GuidedInversion.invert(bits: top - 1, thresholds: thresholds, guide: guide), 4)
        }
    }

    /// The unrolled sums of one to four values (`HalfWordIndices`) must be `NeighbourSampler.sampleSum`'s bit for bit
    /// and leave the stream where it leaves it, or the p-values would change. Few values make duplicates common;
    /// 65 and more make the filter hit without a duplicate; values of very different sizes make the order of the
    /// additions show in the sum.
    func testUnrolledSumsAreTheSamplersSums() {
        var seeds = SplitMix64(seed: 77)
        for valueCount in [2, 3, 5, 9, 64, 65, 130, 1000, 27_772] {
            let values = (0..<valueCount).map { i -> Double in
                let magnitude = [1e16, 1.0, 3.3e-3, 7.77e8][i % 4]
                return (i % 3 == 0 ? -1 : 1) * magnitude * (1 + Double(seeds.next() % 1000) / 997)
            }
            var sampler = NeighbourSampler(valueCount: valueCount)
            defer { sampler.deallocate() }
            for excluded in Set([-1, 0, valueCount / 2, valueCount - 1]) {
                let range = excluded >= 0 ? valueCount - 1 : valueCount
                let indices = HalfWordIndices(valueCount: valueCount, excluding: excluded)
                values.withUnsafeBufferPointer { v in
                    for count in 1...min(4, range) {
                        for item in 0..<400 {
                            var general = PermutationStream(seed: seeds.next(), item: item)
                            var unrolled = general
                            let expected = sampler.sampleSum(v, count: count, excluding: excluded, rng: &general)
                            let sum: Double
                            switch count {
                            case 1: sum = indices.sum1(v, &unrolled)
                            case 2: sum = indices.sum2(v, &unrolled)
                            case 3: sum = indices.sum3(v, &unrolled)
                            default: sum = indices.sum4(v, &unrolled)
                            }
                            XCTAssertEqual(sum.bitPattern, expected.bitPattern,
                                           "\(valueCount) values, excluding \(excluded), \(count) drawn: \(sum) against \(expected)")
                            XCTAssertEqual(unrolled.next(), general.next(), "stream position, \(valueCount) values, \(count) drawn")
                        }
                    }
                }
            }
        }
    }

    func testTwoSidedAndTies() {
        // Integer values: sums are exact, so a draw equal to the observed sum counts (≥). Cell 0 sees {0, 1}; the one
        // drawn value comes from {1, 2, 3, 4} (values 0…4, x_0 = 0 kept). X̄ = 2, W = 2, X̄W = 4, L_obs = 0 + 1 = 1,
        // |L − 4| ≥ 3 needs L ≤ 1 or L ≥ 7: only the draw of value 1 (1 in 4) → p_sim → 0.25.
        let values: [Double] = [0, 1, 2, 3, 4]
        let weights = SpatialWeights(neighbourLists: [[0, 1], [1], [2], [3], [4]])
        let p = getisOrdGiStarPermutationP(values, weights: weights, permutations: 9999, seed: 5)
        XCTAssertEqual(p[0], 0.25, accuracy: 0.02)
        // The mirror cell: 4 sees {4, 3}: L = 7 ≥ 7, and L ≤ 1 needs a draw of −3: again only the draw of 3.
        let mirror = getisOrdGiStarPermutationP(values, weights: SpatialWeights(neighbourLists: [[0], [1], [2], [3], [3, 4]]),
                                                permutations: 9999, seed: 5)
        XCTAssertEqual(mirror[4], 0.25, accuracy: 0.02)
    }

    func testDegenerateCases() {
        let weights = SpatialWeights(neighbourLists: [[0, 1], [0, 1, 2], [1, 2]])
        XCTAssertEqual(getisOrdGiStarPermutationP([0.1, 0.1, 0.1], weights: weights, permutations: 99, seed: 1),
                       [1, 1, 1])
        // j = 1 sees all n = 3: n·W − W² = 0.
        XCTAssertEqual(getisOrdGiStarPermutationP([1, 2, 6], weights: weights, permutations: 99, seed: 1)[1], 1)
        XCTAssertEqual(getisOrdGiStarPermutationP([1, 2, 6], weights: weights, permutations: 0, seed: 1), [1, 1, 1])
        XCTAssertEqual(getisOrdGiStarPermutationP([], weights: SpatialWeights(neighbourLists: []), permutations: 9,
                                                  seed: 1), [])
    }

    func testBoundedDrawsAreUniform() {
        var rng = PermutationStream(seed: 9, item: 0)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            counts[Int(rng.bounded(7))] += 1
        }
        // Each 10,000 expected, sd 93.
        XCTAssertTrue(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
    }
}

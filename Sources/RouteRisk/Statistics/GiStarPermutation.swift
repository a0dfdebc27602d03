import Foundation

/// Pseudo p-values of Gi* by conditional randomisation (Anselin 1995; PySAL esda `G_Local(star=True)`'s
/// `p_sim` design), two-sided: `p_sim_j = (1 + #{|z_perm| ≥ |z_obs|}) / (P + 1)` over `permutations` draws.
///
/// Each draw keeps the focal value `x_j` in place (when j is its own neighbour, as for Gi*) and fills the other
/// `m = W_j − 1` neighbour slots with values drawn without replacement from the other n − 1 values. X̄, S and W_j do
/// not change between draws, so z is increasing in the neighbour sum L and `|z_perm| ≥ |z_obs|` is
/// `L_perm ≥ max(L_obs, 2X̄W_j − L_obs)` or `L_perm ≤ min(L_obs, 2X̄W_j − L_obs)`: the draws compare sums against
/// two thresholds (with a relative tolerance of 1e-12, so that equal sums in another order count as ties) and no z
/// is computed per draw. Where S = 0 or `n·W_j − W_j² ≤ 0`, p = 1. The statistic |z| is folded about the analytical
/// centre X̄W_j; any fixed statistic gives a valid permutation p. (esda 2.9's default `alternative="directed"` reports
/// the smaller of the two tails of G_i*, a one-sided value; its `"two-sided"` works on percentiles of the draws.)
///
/// Zeros (cells without events: most of a study area) add nothing to a sum, so a draw is made in two exact steps:
/// the number K of non-zero values among the m drawn is Hypergeometric(n − 1 others, Q_j non-zero among them, m)
/// (a table of its distribution per m, inverted through a guide table: `GuidedInversion`), then K distinct
/// non-zero values are drawn uniformly without replacement from the compact array of the Q_j. The sum has exactly
/// the distribution of m values drawn from all n − 1; with no zeros K = m always. The work per draw is K values
/// instead of m, read from a small array. A cell first draws the K of all its P draws, then makes the draws grouped
/// by K (the draws are exchangeable), so that the inner loops run with a fixed length.
///
/// Deterministic: cell j draws from its own stream (wyrand seeded with a SplitMix64 hash of (seed, j)), so the
/// p-values do not depend on threads or on the other cells. Cells run in parallel over fixed chunks; a draw
/// allocates nothing (duplicates are caught by a 64-bit filter in a register and a scan of the few indices already
/// drawn, or, for more than 64 values, by per-chunk stamps).
///
/// Cost: P·Σ_j K_j random reads, `K_j ≈ (W_j − 1)·Q/n`; the cells are independent of one another, unlike esda's,
/// which reuses one set of random index draws for every cell.
public func getisOrdGiStarPermutationP(_ values: [Double], weights: SpatialWeights, permutations: Int,
                                       seed: UInt64) -> [Double] {
    let n = values.count
    precondition(weights.count == n, "one row of weights per value")
    precondition(permutations >= 0, "permutations must be ≥ 0")
    precondition(n < Int(UInt32.max), "at most 2³² − 2 values")
    guard n > 0 else { return [] }
    guard permutations > 0 else { return [Double](repeating: 1, count: n) }
    let nd = Double(n)
    let (mean, sd) = giStarMoments(values)
    guard sd > 0, sd.isFinite, n > 1 else { return [Double](repeating: 1, count: n) }
    let denominator = Double(permutations + 1)

    // The non-zero values, in index order, and each index's position among them (−1 for a zero).
    var nonzero: [Double] = []
    var position = [Int32](repeating: -1, count: n)
    for (i, x) in values.enumerated() where x != 0 {
        position[i] = Int32(nonzero.count)
        nonzero.append(x)
    }
    let nonzeroCount = nonzero.count
    // Distribution tables of K per number of drawn values m, for a focal zero and a focal non-zero value.
    var tables: [Int: (focalZero: GuidedInversion, focalNonzero: GuidedInversion)] = [:]
    var maxDraws = 0
    for j in 0..<n {
        let card = weights.cardinality(of: j)
        let draws = weights.neighbours(of: j).contains(j) ? card - 1 : card
        guard draws >= 0, tables[draws] == nil, draws <= n - 1 else { continue }
        maxDraws = Swift.max(maxDraws, draws)
        tables[draws] = (
            GuidedInversion(cdf: hypergeometricCDF(population: n - 1, successes: Swift.min(nonzeroCount, n - 1), draws: draws)),
            GuidedInversion(cdf: hypergeometricCDF(population: n - 1, successes: Swift.max(0, nonzeroCount - 1), draws: draws)))
    }
    // The K of consecutive draws are counted in this many interleaved histograms (summed after), so that an
    // increment does not wait on the previous draw's store to the same count.
    let histograms = 4

    return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
        let out = buffer.baseAddress!
        values.withUnsafeBufferPointer { x in
            nonzero.withUnsafeBufferPointer { compact in
                weights.offsets.withUnsafeBufferPointer { offsets in
                    weights.neighbours.withUnsafeBufferPointer { neighbours in
                        parallelForEachChunk(count: n, chunkSize: 256) { _, range in
                            var sampler = NeighbourSampler(valueCount: Swift.max(1, nonzeroCount))
                            let perCount = UnsafeMutablePointer<Int>.allocate(capacity: (maxDraws + 1) * histograms)
                            defer {
                                sampler.deallocate()
                                perCount.deallocate()
                            }
                            for j in range {
                                let start = offsets[j]
                                let end = offsets[j + 1]
                                let card = end - start
                                let w = Double(card)
                                guard card > 0, nd * w - w * w > 0 else {
                                    (out + j).initialize(to: 1)
                                    continue
                                }
                                var observed = 0.0
                                var hasSelf = false
                                for slot in start..<end {
                                    let k = neighbours[slot]
                                    observed += x[k]
                                    if k == j { hasSelf = true }
                                }
                                let centre = mean * w
                                let mirror = 2 * centre - observed
                                let tolerance = 1e-12 * (abs(observed) + abs(centre))
                                let upper = Swift.max(observed, mirror) - tolerance
                                let lower = Swift.min(observed, mirror) + tolerance
                                let fixed = hasSelf ? x[j] : 0
                                let draws = hasSelf ? card - 1 : card
                                let excluded = Int(position[j])
                                guard let table = tables[draws] else {
                                    (out + j).initialize(to: 1)
                                    continue
                                }
                                var rng = PermutationStream(seed: seed, item: j)
                                // First the number of non-zero values of every draw, then the draws grouped by
                                // that number (the draws are exchangeable, so their order does not matter).
                                let stride = draws + 1
                                perCount.update(repeating: 0, count: stride * histograms)
                                (excluded >= 0 ? table.focalNonzero : table.focalZero).withIntegerTables { thresholds, guide in
                                    for d in 0..<permutations {
                                        // rng.unit()'s 53 bits, inverted as integers.
                                        let k = GuidedInversion.invert(bits: rng.next() >> 11, thresholds: thresholds, guide: guide)
                                        perCount[(d & (histograms - 1)) &* stride &+ k] &+= 1
                                    }
                                }
                                for h in 1..<histograms {
                                    for k in 0...draws {
                                        perCount[k] += perCount[h * stride + k]
                                    }
                                }
                                // K = 0: the sum is the focal value alone.
                                var extreme = fixed >= upper || fixed <= lower ? perCount[0] : 0
                                // Without a branch: which side a draw falls on is a coin toss for the predictor.
                                // (Counted in a local: `extreme`, captured, would be a load and a store per draw.)
                                @inline(__always) func tally(_ count: Int, _ sum: () -> Double) {
                                    var hits = 0
                                    for _ in 0..<count {
                                        let total = fixed + sum()
                                        hits &+= (total >= upper ? 1 : 0) | (total <= lower ? 1 : 0)
                                    }
                                    extreme &+= hits
                                }
                                if draws > 0 {
                                    let indices = HalfWordIndices(valueCount: Swift.max(1, nonzeroCount), excluding: excluded)
                                    for k in 1...draws where perCount[k] > 0 {
                                        // K ≤ 4 (most draws where a few per cent of the cells hold events) unrolled.
                                        switch k {
                                        case 1: tally(perCount[k]) { indices.sum1(compact, &rng) }
                                        case 2: tally(perCount[k]) { indices.sum2(compact, &rng) }
                                        case 3: tally(perCount[k]) { indices.sum3(compact, &rng) }
                                        case 4: tally(perCount[k]) { indices.sum4(compact, &rng) }
                                        default:
                                            tally(perCount[k]) {
                                                sampler.sampleSum(compact, count: k, excluding: excluded, rng: &rng)
                                            }
                                        }
                                    }
                                }
                                (out + j).initialize(to: Double(extreme + 1) / denominator)
                            }
                        }
                    }
                }
            }
        }
        initialized = n
    }
}

/// Inversion of a discrete distribution function by a guide table (Chen & Asau 1974; Devroye 1986, *Non-Uniform
/// Random Variate Generation*, §III.2.4): for u in [0, 1), the first k with u < cdf[k] — the k of the linear walk
/// up the table — found by starting the walk at `guide[⌊u·G⌋]`, the first k with cdf[k] > g/G. Every entry it
/// skips is ≤ g/G ≤ u, so it ends where the linear walk ends, mostly without a step. Needs a non-decreasing cdf
/// whose last entry is 1 (as `hypergeometricCDF` makes).
struct GuidedInversion {
    /// G, a power of two (u·G and ⌊u·G⌋ are exact).
    static let guideSize = 256
    /// ⌊u·G⌋ = bits >> (53 − log₂ G) for u = bits·2⁻⁵³.
    static let guideShift = UInt64(53 - guideSize.trailingZeroBitCount)
    let cdf: [Double]
    let guide: [Int32]
    /// ⌈cdf[k]·2⁵³⌉: for u = b·2⁻⁵³ with b an integer below 2⁵³ (`PermutationStream.unit`'s), u < cdf[k] exactly when
    /// b < thresholds[k] (cdf[k]·2⁵³ is exact, a power-of-two scaling), so the walk runs on integers.
    let thresholds: [UInt64]

    init(cdf: [Double]) {
        precondition(cdf.last == 1, "a distribution function ends at 1")
        self.cdf = cdf
        thresholds = cdf.map { UInt64(($0 * 0x1.0p53).rounded(.up)) }
        var guide = [Int32](repeating: 0, count: GuidedInversion.guideSize)
        var k = 0
        for g in 0..<GuidedInversion.guideSize {
            let floor = Double(g) / Double(GuidedInversion.guideSize)
            while cdf[k] <= floor {
                k += 1
            }
            guide[g] = Int32(k)
        }
        self.guide = guide
    }

    func withTables<R>(_ body: (UnsafePointer<Double>, UnsafePointer<Int32>) -> R) -> R {
        cdf.withUnsafeBufferPointer { c in guide.withUnsafeBufferPointer { g in body(c.baseAddress!, g.baseAddress!) } }
    }

    func withIntegerTables<R>(_ body: (UnsafePointer<UInt64>, UnsafePointer<Int32>) -> R) -> R {
        thresholds.withUnsafeBufferPointer { t in guide.withUnsafeBufferPointer { g in body(t.baseAddress!, g.baseAddress!) } }
    }

    /// `invert(u)` for u = bits·2⁻⁵³ (bits < 2⁵³: the top 53 bits of a random word), without converting to a double:
    /// ⌊u·G⌋ is bits >> `guideShift`, and u < cdf[k] is bits < thresholds[k].
    @inline(__always)
    static func invert(bits: UInt64, thresholds: UnsafePointer<UInt64>, guide: UnsafePointer<Int32>) -> Int {
        var k = Int(guide[Int(truncatingIfNeeded: bits >> guideShift)])
        while bits >= thresholds[k] {
            k &+= 1
        }
        return k
    }

    /// The first k with u < cdf[k], for u in [0, 1): the walk on doubles, which the permutations no longer run
    /// (they run `invert(bits:)`) and the tests hold `invert(bits:)` to.
    @inline(__always)
    static func invert(_ u: Double, cdf: UnsafePointer<Double>, guide: UnsafePointer<Int32>) -> Int {
        var k = Int(guide[Int(u * Double(guideSize))])
        while u >= cdf[k] {
            k &+= 1
        }
        return k
    }
}

/// The distribution function `P(K ≤ k)`, k = 0…draws, of K ~ Hypergeometric(population, successes, draws): the
/// number of successes among `draws` taken without replacement. Built from the ratio
/// `p(k+1)/p(k) = (Q − k)(m − k) / ((k + 1)(N − Q − m + k + 1))` in logs from the lowest possible k and normalised;
/// the last entry is exactly 1, and entries below the support are 0.
func hypergeometricCDF(population: Int, successes: Int, draws: Int) -> [Double] {
    precondition(population >= 0 && successes >= 0 && successes <= population && draws >= 0 && draws <= population,
                 "hypergeometric parameters out of range")
    let failures = population - successes
    let low = Swift.max(0, draws - failures)
    let high = Swift.min(draws, successes)
    var logWeights = [Double](repeating: -.infinity, count: draws + 1)
    logWeights[low] = 0
    if high > low {
        for k in low..<high {
            let ratio = Double(successes - k) * Double(draws - k) / (Double(k + 1) * Double(failures - draws + k + 1))
            logWeights[k + 1] = logWeights[k] + log(ratio)
        }
    }
    let top = logWeights[low...high].max()!
    var cdf = [Double](repeating: 0, count: draws + 1)
    var total = 0.0
    for k in low...high {
        total += exp(logWeights[k] - top)
        cdf[k] = total
    }
    for k in low...high {
        cdf[k] /= total
    }
    for k in high...draws {
        cdf[k] = 1
    }
    return cdf
}

/// A per-item random stream: wyrand (Wang Yi's 64-bit generator, a 64 × 64 → 128-bit multiply per output) whose
/// state starts at a SplitMix64 hash of (seed, item), so that every item has its own stream whatever the threads.
struct PermutationStream {
    private var state: UInt64

    init(seed: UInt64, item: Int) {
        state = PermutationStream.mix(seed ^ PermutationStream.mix(UInt64(truncatingIfNeeded: item) &+ 0x632B_E59B_D9B4_E019))
    }

    /// The SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijection of 64-bit words.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }

    /// Uniform in [0, 1), from the top 53 bits of one output.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in `0..<range` (range > 0), without bias (Lemire 2019, "Fast random integer generation in an
    /// interval"), from the high 32 bits of one output.
    @inline(__always)
    mutating func bounded(_ range: UInt32) -> UInt32 {
        PermutationStream.bounded(UInt32(truncatingIfNeeded: next() >> 32), range, &self)
    }

    /// Lemire's method on 32 given random bits; the rare rejection draws more bits from `stream`.
    @inline(__always)
    static func bounded(_ bits: UInt32, _ range: UInt32, _ stream: inout PermutationStream) -> UInt32 {
        var product = UInt64(bits) &* UInt64(range)
        var low = UInt32(truncatingIfNeeded: product)
        if low < range {
            let threshold = (0 &- range) % range
            while low < threshold {
                product = (stream.next() >> 32) &* UInt64(range)
                low = UInt32(truncatingIfNeeded: product)
            }
        }
        return UInt32(truncatingIfNeeded: product >> 32)
    }
}

/// `NeighbourSampler.sampleSum` for one to four values, unrolled: the same indices from the same halves of the same
/// random words (a word's low half, then its high half, then a new word; Lemire's rare rejections draw in between),
/// a duplicate drawn again, and the values added in the same order (two interleaved partial sums), so the same sum
/// and the same stream position. Direct compares replace the filter and the list of indices drawn.
struct HalfWordIndices {
    /// The number of indices drawn from (one fewer when one is left out), and the index from which they shift up.
    let range: UInt32
    let skip: Int

    init(valueCount: Int, excluding excluded: Int) {
        range = UInt32(excluded >= 0 ? valueCount - 1 : valueCount)
        skip = excluded >= 0 ? excluded : Int.max
    }

    /// The draws of one sum: each index from the next half word.
    struct Draw {
        var word: UInt64 = 0
        var highPending = false

        @inline(__always)
        mutating func next(_ source: HalfWordIndices, _ rng: inout PermutationStream) -> Int {
            let bits: UInt32
            if highPending {
                bits = UInt32(truncatingIfNeeded: word >> 32)
                highPending = false
            } else {
                word = rng.next()
                bits = UInt32(truncatingIfNeeded: word)
                highPending = true
            }
            let r = Int(PermutationStream.bounded(bits, source.range, &rng))
            return r &+ (r >= source.skip ? 1 : 0)
        }
    }

    @inline(__always)
    func sum1(_ values: UnsafeBufferPointer<Double>, _ rng: inout PermutationStream) -> Double {
        var draw = Draw()
        let i0 = draw.next(self, &rng)
        return (0.0 + values[i0]) + 0.0
    }

    @inline(__always)
    func sum2(_ values: UnsafeBufferPointer<Double>, _ rng: inout PermutationStream) -> Double {
        var draw = Draw()
        let (i0, i1) = firstTwo(&draw, &rng)
        return (0.0 + values[i0]) + (0.0 + values[i1])
    }

    @inline(__always)
    func sum3(_ values: UnsafeBufferPointer<Double>, _ rng: inout PermutationStream) -> Double {
        var draw = Draw()
        let (i0, i1, i2) = firstThree(&draw, &rng)
        return ((0.0 + values[i0]) + values[i2]) + (0.0 + values[i1])
    }

    @inline(__always)
    func sum4(_ values: UnsafeBufferPointer<Double>, _ rng: inout PermutationStream) -> Double {
        var draw = Draw()
        let (i0, i1, i2) = firstThree(&draw, &rng)
        var i3 = draw.next(self, &rng)
        while i3 == i0 || i3 == i1 || i3 == i2 { i3 = draw.next(self, &rng) }
        return ((0.0 + values[i0]) + values[i2]) + ((0.0 + values[i1]) + values[i3])
    }

    /// The first two distinct indices of a draw (a duplicate is drawn again from the next half word).
    @inline(__always)
    private func firstTwo(_ draw: inout Draw, _ rng: inout PermutationStream) -> (Int, Int) {
        let i0 = draw.next(self, &rng)
        var i1 = draw.next(self, &rng)
        while i1 == i0 { i1 = draw.next(self, &rng) }
        return (i0, i1)
    }

    @inline(__always)
    private func firstThree(_ draw: inout Draw, _ rng: inout PermutationStream) -> (Int, Int, Int) {
        let (i0, i1) = firstTwo(&draw, &rng)
        var i2 = draw.next(self, &rng)
        while i2 == i0 || i2 == i1 { i2 = draw.next(self, &rng) }
        return (i0, i1, i2)
    }
}

/// Draws k distinct indices of an array of values, leaving out at most one, and sums their values; allocated once
/// per chunk of cells, never per draw.
struct NeighbourSampler {
    private let valueCount: Int
    /// The indices drawn in the current draw (small draws).
    private let drawn: UnsafeMutablePointer<Int>
    /// Per-index stamps for large draws (allocated on first need).
    private var stamps: UnsafeMutablePointer<UInt32>?
    private var stamp: UInt32 = 0

    init(valueCount: Int) {
        self.valueCount = valueCount
        drawn = .allocate(capacity: 64)
    }

    func deallocate() {
        drawn.deallocate()
        stamps?.deallocate()
    }

    /// The sum of `values` at `count` distinct indices drawn uniformly from `0..<valueCount` without `excluded`
    /// (−1: none left out).
    ///
    /// Up to 64 draws: a 64-bit filter of the indices' low six bits in a register (two indices per random word); only
    /// a filter hit scans the indices already drawn (for 18 draws about two short scans per sample). The values are
    /// summed after all indices are drawn, in two interleaved partial sums (a fixed order). More than 64: per-index
    /// stamps.
    @inline(__always)
    mutating func sampleSum(_ values: UnsafeBufferPointer<Double>, count: Int, excluding excluded: Int,
                            rng: inout PermutationStream) -> Double {
        guard count > 0 else { return 0 }
        let range = UInt32(excluded >= 0 ? valueCount - 1 : valueCount)
        // Indices from the excluded one on shift up by one; with none excluded nothing shifts.
        let skip = excluded >= 0 ? excluded : Int.max
        var total = 0.0
        if count <= 64 {
            // Indices first (two per random word), values after: the loads do not wait on the draws.
            var filter: UInt64 = 0
            var d = 0
            while d < count {
                let word = rng.next()
                for half in 0..<2 {
                    guard d < count else { break }
                    let r = Int(PermutationStream.bounded(UInt32(truncatingIfNeeded: half == 0 ? word : word >> 32),
                                                          range, &rng))
                    let index = r &+ (r >= skip ? 1 : 0)
                    let bit = UInt64(1) &<< UInt64(truncatingIfNeeded: index & 63)
                    if filter & bit != 0 {
                        // A filter hit: a true duplicate only if drawn before.
                        var duplicate = false
                        for e in 0..<d where drawn[e] == index {
                            duplicate = true
                            break
                        }
                        if duplicate { continue }
                    }
                    filter |= bit
                    drawn[d] = index
                    d += 1
                }
            }
            var even = 0.0
            var odd = 0.0
            var e = 0
            while e + 1 < count {
                even += values[drawn[e]]
                odd += values[drawn[e + 1]]
                e += 2
            }
            if e < count { even += values[drawn[e]] }
            return even + odd
        }
        if stamps == nil {
            let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: valueCount)
            buffer.initialize(repeating: 0, count: valueCount)
            stamps = buffer
        }
        let marks = stamps!
        stamp &+= 1
        if stamp == 0 {
            marks.update(repeating: 0, count: valueCount)
            stamp = 1
        }
        for _ in 0..<count {
            var index: Int
            repeat {
                let r = Int(rng.bounded(range))
                index = r &+ (r >= skip ? 1 : 0)
            } while marks[index] == stamp
            marks[index] = stamp
            total += values[index]
        }
        return total
    }
}

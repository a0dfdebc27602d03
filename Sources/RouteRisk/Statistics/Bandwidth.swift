import Foundation

/// How the kernel bandwidth is chosen (MODEL §5, `--bandwidth`).
public enum BandwidthMethod: Sendable, Equatable {
    /// Likelihood cross-validation over the candidate list.
    case automatic
    /// The spatial Silverman rule of ArcGIS.
    case silverman
    /// A bandwidth in metres, used as given.
    case fixed(Double)
}

/// The bandwidth in force and how it was chosen, for the summary (MODEL §5, §11).
public struct BandwidthChoice: Sendable, Equatable {
    /// Metres.
    public let bandwidth: Double
    /// `"likelihood_cv"`, `"silverman"`, `"fixed"` or `"fallback_2s"`.
    public let method: String
    /// Why a fallback was taken, or how the sample was thinned; nil otherwise.
    public let note: String?
    /// The cross-validation candidates tried (metres), for `likelihood_cv`.
    public let candidatesTried: [Double]?
    /// The cross-validation sample size m, for `likelihood_cv`.
    public let sampleSize: Int?

    public init(bandwidth: Double, method: String, note: String? = nil,
                candidatesTried: [Double]? = nil, sampleSize: Int? = nil) {
        self.bandwidth = bandwidth
        self.method = method
        self.note = note
        self.candidatesTried = candidatesTried
        self.sampleSize = sampleSize
    }
}

/// Cross-validation candidates 1 … 100 km in metres, keeping those ≥ s/2 (MODEL §5).
func likelihoodCrossValidationCandidates(cellSize s: Double) -> [Double] {
    let kilometres: [Double] = [1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100]
    return kilometres.map { $0 * 1000 }.filter { $0 >= s / 2 }
}

/// The sample for cross-validation: every ⌈N/M⌉-th element starting with the first when N > M (MODEL §5).
public func thinnedSample<T>(_ sorted: [T], limit: Int = 5000) -> [T] {
    let n = sorted.count
    guard limit > 0, n > limit else { return sorted }
    let step = (n + limit - 1) / limit
    return stride(from: 0, to: n, by: step).map { sorted[$0] }
}

/// Leave-one-out log-likelihood with a uniform floor (MODEL §5; Silverman 1986 §3.4.4):
/// `CV(h) = (1/m) Σ_i log(0.95·(1/(m−1)) Σ_{j≠i} K_h(|x_i − x_j|) + 0.05/A)`.
///
/// The inner sums run in parallel over i through a bucket grid of size h, each in a fixed
/// order; the logs are then added in i order, so the value does not depend on the threads.
/// Needs m ≥ 2, h > 0 and A > 0.
func likelihoodCrossValidationScore(sample: [PlanarPoint], bandwidth h: Double, studyArea A: Double) -> Double {
    let m = sample.count
    precondition(m >= 2 && h > 0 && A > 0, "cross-validation needs two points, h > 0 and A > 0")
    let grid = BucketGrid(points: sample, bucketSize: h)
    let uniform = 0.05 / A
    let scale = 0.95 / Double(m - 1)
    let terms = parallelMap(count: m) { i in
        let p = sample[i]
        var sum = 0.0
        grid.xs.withUnsafeBufferPointer { xs in
            grid.ys.withUnsafeBufferPointer { ys in
                grid.indices.withUnsafeBufferPointer { indices in
                    // quarticKernel without a branch per term (a term outside the kernel, or i itself,
                    // adds +0, and x + 0 = x: the same sum).
                    let h2 = h * h
                    let c = 3 / (Double.pi * h2)
                    grid.forEachRowRun(near: p, radius: h) { run in
                        for slot in run {
                            let dx = xs[slot] - p.x
                            let dy = ys[slot] - p.y
                            let d2 = dx * dx + dy * dy
                            let u = 1 - d2 / h2
                            let k = c * u * u
                            sum += d2 < h2 && indices[slot] != i ? k : 0
                        }
                    }
                }
            }
        }
        return log(scale * sum + uniform)
    }
    var total = 0.0
    for t in terms {
        total += t
    }
    return total / Double(m)
}

/// Likelihood cross-validation bandwidth in metres (MODEL §5): the candidate with the largest CV, ties to the
/// larger h, scaled by (m/N)^(1/6) when the sample of m was thinned from N events.
///
/// `sample` is already sorted and thinned by the caller. Returns 0 when no choice is possible
/// (fewer than 2 sample points, no candidate ≥ s/2, or A ≤ 0), which the caller's fallback turns into 2·s.
public func likelihoodCrossValidationBandwidth(sample: [PlanarPoint], totalCount N: Int, cellSize s: Double,
                                               studyArea A: Double) -> Double {
    let candidates = likelihoodCrossValidationCandidates(cellSize: s)
    guard sample.count >= 2, A > 0, A.isFinite, !candidates.isEmpty else { return 0 }
    var best = -Double.infinity
    var chosen = 0.0
    for h in candidates {
        let cv = likelihoodCrossValidationScore(sample: sample, bandwidth: h, studyArea: A)
        // Candidates ascend, so `>=` sends ties to the larger h.
        if cv >= best {
            best = cv
            chosen = h
        }
    }
    let m = sample.count
    if m < N {
        chosen *= pow(Double(m) / Double(N), 1.0 / 6.0)
    }
    return chosen
}

/// Spatial Silverman rule of ArcGIS Kernel Density: `h = 0.9·min(SD, √(1/ln 2)·Dm)·N^(−0.2)` (MODEL §5).
///
/// SD = √(Σ|x_i − x̄|²/N) about the unweighted mean centre, Dm the median distance to it
/// (mean of the two middle values for an even count). Returns 0 for no points.
public func silvermanBandwidth(_ points: [PlanarPoint]) -> Double {
    let n = points.count
    guard n > 0 else { return 0 }
    var sumX = 0.0
    var sumY = 0.0
    for p in points {
        sumX += p.x
        sumY += p.y
    }
    let centre = PlanarPoint(x: sumX / Double(n), y: sumY / Double(n))
    var sumSquares = 0.0
    var distances: [Double] = []
    distances.reserveCapacity(n)
    for p in points {
        let d2 = p.squaredDistance(to: centre)
        sumSquares += d2
        distances.append(d2.squareRoot())
    }
    let sd = (sumSquares / Double(n)).squareRoot()
    let dm = selectMedian(&distances)
    let spread = Swift.min(sd, (1 / log(2.0)).squareRoot() * dm)
    return 0.9 * spread * pow(Double(n), -0.2)
}

/// The bandwidth of MODEL §5 with its fallback: `automatic` or `silverman` with fewer than 10 events used, or a
/// rule giving 0, uses 2·s; a fixed bandwidth is used as given.
///
/// - Parameters:
///   - points: the events used (N = `points.count`), for Silverman's rule and the event count.
///   - sampleSortedForCV: the events used, sorted by (time, id); thinned here to at most 5000
///     (an already thinned sample passes through unchanged). Cross-validation scales by (m/N)^(1/6).
///   - cellSize: s, metres.
///   - studyArea: A, m².
public func chooseBandwidth(method: BandwidthMethod, points: [PlanarPoint], sampleSortedForCV: [PlanarPoint],
                            cellSize: Double, studyArea: Double) -> BandwidthChoice {
    let n = points.count
    let fallback = 2 * cellSize
    switch method {
    case .fixed(let h):
        return BandwidthChoice(bandwidth: h, method: "fixed")
    case .silverman:
        guard n >= 10 else {
            return BandwidthChoice(bandwidth: fallback, method: "fallback_2s",
                                   note: "fewer than 10 events used (\(n)): bandwidth = 2 × cell size")
        }
        let h = silvermanBandwidth(points)
        guard h > 0, h.isFinite else {
            return BandwidthChoice(bandwidth: fallback, method: "fallback_2s",
                                   note: "Silverman's rule gave h = 0 (all events at one point): bandwidth = 2 × cell size")
        }
        return BandwidthChoice(bandwidth: h, method: "silverman")
    case .automatic:
        guard n >= 10 else {
            return BandwidthChoice(bandwidth: fallback, method: "fallback_2s",
                                   note: "fewer than 10 events used (\(n)): bandwidth = 2 × cell size")
        }
        let candidates = likelihoodCrossValidationCandidates(cellSize: cellSize)
        let sample = thinnedSample(sampleSortedForCV)
        let h = likelihoodCrossValidationBandwidth(sample: sample, totalCount: n, cellSize: cellSize,
                                                   studyArea: studyArea)
        guard h > 0, h.isFinite else {
            let reason = candidates.isEmpty
                ? "no cross-validation candidate is at least half the cell size"
                : "likelihood cross-validation gave no bandwidth"
            return BandwidthChoice(bandwidth: fallback, method: "fallback_2s",
                                   note: "\(reason): bandwidth = 2 × cell size")
        }
        let note = sample.count < n
            ? "sample thinned to \(sample.count) of \(n) events; bandwidth scaled by (m/N)^(1/6)"
            : nil
        return BandwidthChoice(bandwidth: h, method: "likelihood_cv", note: note,
                               candidatesTried: candidates, sampleSize: sample.count)
    }
}

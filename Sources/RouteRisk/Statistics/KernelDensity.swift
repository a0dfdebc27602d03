import Foundation

/// Quartic (biweight) kernel `3/(πh²)·(1 − d²/h²)²` for d < h, else 0 (Silverman 1986, eq. 4.5; as QGIS and ArcGIS).
@inlinable
public func quarticKernel(squaredDistance d2: Double, bandwidth h: Double) -> Double {
    let h2 = h * h
    guard d2 < h2 else { return 0 }
    let u = 1 - d2 / h2
    return 3 / (Double.pi * h2) * u * u
}

/// Weighted quartic kernel intensity `λ(c) = Σ_i w_i K_h(|c − x_i|)` per m² (MODEL §5).
///
/// Points sit in a bucket grid of bucket size h, so an evaluation visits only the 3×3
/// buckets around c. The sum runs over buckets by ascending (by, bx) and over the points of
/// a bucket in input order, so a value is bit-identical whatever the thread count.
public struct KernelDensity: Sendable {
    public let bandwidth: Double
    private let grid: BucketGrid
    /// Weights in the grid's slot order.
    private let weights: [Double]

    public init(points: [PlanarPoint], weights: [Double], bandwidth: Double) {
        precondition(points.count == weights.count, "one weight per point")
        precondition(bandwidth > 0 && bandwidth.isFinite, "bandwidth must be positive and finite")
        self.bandwidth = bandwidth
        let grid = BucketGrid(points: points, bucketSize: bandwidth)
        self.grid = grid
        self.weights = grid.indices.map { weights[$0] }
    }

    /// λ at `point`, in weighted events per m².
    public func intensity(at point: PlanarPoint) -> Double {
        let h = bandwidth
        var sum = 0.0
        grid.xs.withUnsafeBufferPointer { xs in
            grid.ys.withUnsafeBufferPointer { ys in
                weights.withUnsafeBufferPointer { w in
                    // One contiguous run of slots per bucket row: no lookup per term.
                    // quarticKernel's terms, without a branch per term: a term outside the kernel is
                    // +0, and x + 0 = x, so the sum is the one of adding only the terms inside.
                    let h2 = h * h
                    let c = 3 / (Double.pi * h2)
                    grid.forEachRowRun(near: point, radius: h) { run in
                        for slot in run {
                            let dx = xs[slot] - point.x
                            let dy = ys[slot] - point.y
                            let d2 = dx * dx + dy * dy
                            let u = 1 - d2 / h2
                            let term = w[slot] * (c * u * u)
                            sum += d2 < h2 ? term : 0
                        }
                    }
                }
            }
        }
        return sum
    }

    /// λ at each point, evaluated in parallel. Every value is bit for bit `intensity(at:)`'s: the points whose
    /// queries cover the same buckets (`BucketGrid.runKey`) are evaluated four at a time in one pass over those
    /// buckets' points, each of the four sums with its own terms in `intensity(at:)`'s order (lanes of a SIMD4,
    /// each an IEEE double, no reassociation). The four sums are independent, so they overlap in the pipeline
    /// instead of waiting on one another's additions, and each event is read once per four points. Points are
    /// grouped by sorting their keys within fixed chunks, so the result does not depend on the threads.
    public func intensities(at points: [PlanarPoint]) -> [Double] {
        let n = points.count
        guard n > 0 else { return [] }
        let h = bandwidth
        // Chunks of at most 2²² points (their offsets fit below the key), a few per thread.
        let chunk = Swift.min(1 << 22, Swift.max(4096, (n + 4 * Parallelism.threadCount - 1) / (4 * Parallelism.threadCount)))
        return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = buffer.baseAddress!
            parallelForEachChunk(count: n, chunkSize: chunk) { _, range in
                var keyed: [UInt64] = []
                keyed.reserveCapacity(range.count)
                for i in range {
                    if let key = grid.runKey(near: points[i], radius: h) {
                        keyed.append(key << 22 | UInt64(i - range.lowerBound))
                    } else {
                        out[i] = intensity(at: points[i])
                    }
                }
                keyed.sort()
                let offsetMask: UInt64 = (1 << 22) - 1
                var g = 0
                while g < keyed.count {
                    let key = keyed[g] >> 22
                    var end = g + 1
                    while end < keyed.count && keyed[end] >> 22 == key { end += 1 }
                    var b = g
                    while b + 4 <= end {
                        let i0 = range.lowerBound + Int(keyed[b] & offsetMask), i1 = range.lowerBound + Int(keyed[b + 1] & offsetMask)
                        let i2 = range.lowerBound + Int(keyed[b + 2] & offsetMask), i3 = range.lowerBound + Int(keyed[b + 3] & offsetMask)
                        let sums = intensities(points[i0], points[i1], points[i2], points[i3])
                        out[i0] = sums[0]
                        out[i1] = sums[1]
                        out[i2] = sums[2]
                        out[i3] = sums[3]
                        b += 4
                    }
                    while b < end {
                        let i = range.lowerBound + Int(keyed[b] & offsetMask)
                        out[i] = intensity(at: points[i])
                        b += 1
                    }
                    g = end
                }
            }
            initialized = n
        }
    }

    /// `intensity(at:)` at four points whose queries cover the same buckets, lane k the sum for point k.
    @inline(__always)
    private func intensities(_ p0: PlanarPoint, _ p1: PlanarPoint, _ p2: PlanarPoint, _ p3: PlanarPoint) -> SIMD4<Double> {
        let h = bandwidth
        let h2 = h * h
        let c = 3 / (Double.pi * h2)
        let px = SIMD4(p0.x, p1.x, p2.x, p3.x), py = SIMD4(p0.y, p1.y, p2.y, p3.y)
        let h2v = SIMD4<Double>(repeating: h2), cv = SIMD4<Double>(repeating: c), one = SIMD4<Double>(repeating: 1)
        var sum = SIMD4<Double>(repeating: 0)
        grid.xs.withUnsafeBufferPointer { xs in
            grid.ys.withUnsafeBufferPointer { ys in
                weights.withUnsafeBufferPointer { w in
                    grid.forEachRowRun(near: p0, radius: h) { run in
                        for slot in run {
                            let dx = SIMD4(repeating: xs[slot]) - px
                            let dy = SIMD4(repeating: ys[slot]) - py
                            let d2 = dx * dx + dy * dy
                            let u = one - d2 / h2v
                            let term = SIMD4(repeating: w[slot]) * (cv * u * u)
                            sum += term.replacing(with: 0, where: .!(d2 .< h2v))
                        }
                    }
                }
            }
        }
        return sum
    }
}

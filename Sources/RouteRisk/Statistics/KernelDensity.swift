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

    /// λ at each point, evaluated in parallel; each element is computed on its own, so the result is deterministic.
    public func intensities(at points: [PlanarPoint]) -> [Double] {
        parallelMap(count: points.count) { intensity(at: points[$0]) }
    }
}

import Dispatch
import Foundation

/// Computes `count` values in parallel with `DispatchQueue.concurrentPerform` over contiguous chunks;
/// each element depends only on its index, so the result does not depend on the thread count.
func parallelMap(count: Int, _ element: (Int) -> Double) -> [Double] {
    guard count > 0 else { return [] }
    let workers = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunks = Swift.min(count, workers * 4)
    let chunkSize = (count + chunks - 1) / chunks
    return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        let base = buffer.baseAddress
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * chunkSize
            let end = Swift.min(count, start + chunkSize)
            guard start < end, let base else { return }
            for i in start..<end {
                (base + i).initialize(to: element(i))
            }
        }
        initialized = count
    }
}

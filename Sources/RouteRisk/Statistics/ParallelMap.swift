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

/// Runs `body` on the chunks `0..<chunkSize`, `chunkSize..<2·chunkSize`, … of `0..<count` in parallel with
/// `DispatchQueue.concurrentPerform`; `body` also gets the chunk's number. The chunks depend only on `count` and
/// `chunkSize`, never on the thread count, so per-chunk partial results summed in chunk order are deterministic.
func parallelForEachChunk(count: Int, chunkSize: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    guard count > 0 else { return }
    let size = Swift.max(1, chunkSize)
    let chunks = (count + size - 1) / size
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * size
        body(chunk, start..<Swift.min(count, start + size))
    }
}

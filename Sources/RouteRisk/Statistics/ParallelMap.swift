import Dispatch
import Foundation

/// Computes `count` values in parallel over contiguous chunks (`Parallelism.threadCount` threads);
/// each element depends only on its index, so the result does not depend on the thread count.
func parallelMap(count: Int, _ element: (Int) -> Double) -> [Double] {
    guard count > 0 else { return [] }
    let workers = Parallelism.threadCount
    let chunks = Swift.min(count, workers * 4)
    let chunkSize = (count + chunks - 1) / chunks
    return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        let base = buffer.baseAddress
        parallelForEachChunk(count: count, chunkSize: chunkSize) { _, range in
            guard let base else { return }
            for i in range {
                (base + i).initialize(to: element(i))
            }
        }
        initialized = count
    }
}

/// Runs `body` on the chunks `0..<chunkSize`, `chunkSize..<2·chunkSize`, … of `0..<count` in parallel on
/// `Parallelism.threadCount` threads; `body` also gets the chunk's number. The chunks depend only on `count` and
/// `chunkSize`, never on the thread count, so per-chunk partial results summed in chunk order are deterministic.
func parallelForEachChunk(count: Int, chunkSize: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    guard count > 0 else { return }
    let size = Swift.max(1, chunkSize)
    let chunks = (count + size - 1) / size
    let workers = Swift.min(chunks, Parallelism.threadCount)
    // Worker w takes chunks w, w + workers, …: which thread runs a chunk never changes its result.
    Parallelism.run(workers: workers) { w in
        var chunk = w
        while chunk < chunks {
            let start = chunk * size
            body(chunk, start..<Swift.min(count, start + size))
            chunk += workers
        }
    }
}

import Dispatch
import Foundation

/// Splits `0..<count` into one contiguous range per worker, runs `body` on each in
/// parallel and concatenates the results in range order, so the output does not depend
/// on the number of threads. Each call of `body` runs on one thread: it makes its own
/// GEOS and PROJ contexts there (one per thread, never shared).
func parallelRanges<T>(_ count: Int, minimumPerWorker: Int = 64, _ body: (Range<Int>) throws -> [T]) throws -> [T] {
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumPerWorker)))
    if workers <= 1 { return try body(0..<count) }
    let ranges = (0..<workers).map { w in (w * count / workers)..<((w + 1) * count / workers) }
    var results = [Result<[T], Error>?](repeating: nil, count: workers)
    results.withUnsafeMutableBufferPointer { slots in
        let base = slots.baseAddress!
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            base[w] = Result { try body(ranges[w]) }
        }
    }
    var out: [T] = []
    out.reserveCapacity(count)
    for r in results { out += try r!.get() }
    return out
}

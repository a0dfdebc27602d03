import Dispatch
import Foundation

/// The number of threads the parallel helpers use (`--threads`, default: every core). Set once
/// per run by `ScoreRun` and `ReplayRun`; results never depend on it (each helper splits its
/// work by the data, not by the thread count).
public enum Parallelism {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var configured: Int?

    /// Threads in force: the configured count, else `activeProcessorCount`; at least 1.
    public static var threadCount: Int {
        get { lock.withLock { Swift.max(1, configured ?? ProcessInfo.processInfo.activeProcessorCount) } }
        set { lock.withLock { configured = Swift.max(1, newValue) } }
    }

    /// Runs `body(worker)` for worker = 0..<workers, on up to `workers` threads at once
    /// (inline when there is one).
    static func run(workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 {
            body(0)
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers, execute: body)
    }

    /// Runs `other` on a background thread while `body` runs on this one; returns both results once both
    /// have ended. For two tasks that do not wait for each other, when `body` leaves a core idle (an ordered
    /// pass): `other` takes it. Their own parallel loops are not nested (libdispatch gives a loop started
    /// inside another one thread). With one thread, `other` runs first, then `body`, on this thread.
    static func alongside<A, B>(_ other: @escaping @Sendable () -> A, _ body: () -> B) -> (A, B) {
        if threadCount <= 1 {
            let a = other()
            return (a, body())
        }
        let slot = BackgroundResult<A>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { slot.set(other()) }
        let b = body()
        group.wait()
        return (slot.get(), b)
    }
}

/// The result of `Parallelism.alongside`'s background task, set on its thread and read after it ends.
private final class BackgroundResult<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?

    func set(_ v: T) { lock.withLock { value = v } }
    func get() -> T { lock.withLock { value! } }
}

/// Splits `0..<count` into one contiguous range per worker, runs `body` on each in
/// parallel and concatenates the results in range order, so the output does not depend
/// on the number of threads. Each call of `body` runs on one thread: it makes its own
/// GEOS and PROJ contexts there (one per thread, never shared).
func parallelRanges<T>(_ count: Int, minimumPerWorker: Int = 64, _ body: (Range<Int>) throws -> [T]) throws -> [T] {
    let workers = max(1, min(Parallelism.threadCount, count / max(1, minimumPerWorker)))
    if workers <= 1 { return try body(0..<count) }
    let ranges = (0..<workers).map { w in (w * count / workers)..<((w + 1) * count / workers) }
    var results = [Result<[T], Error>?](repeating: nil, count: workers)
    results.withUnsafeMutableBufferPointer { slots in
        let base = slots.baseAddress!
        Parallelism.run(workers: workers) { w in
            base[w] = Result { try body(ranges[w]) }
        }
    }
    var out: [T] = []
    out.reserveCapacity(count)
    for r in results { out += try r!.get() }
    return out
}

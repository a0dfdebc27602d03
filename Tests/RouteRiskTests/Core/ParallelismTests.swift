import XCTest
@testable import RouteRisk

/// `Parallelism.alongside`: both results, the background task on another thread (two threads) or first on this one.
final class ParallelismTests: XCTestCase {
    func testAlongsideReturnsBothResultsAndRunsTheOtherTaskElsewhereWithTwoThreads() {
        defer { Parallelism.threadCount = ProcessInfo.processInfo.activeProcessorCount }
        for threads in [1, 2] {
            Parallelism.threadCount = threads
            let caller = pthread_self()
            let order = NSLock()
            nonisolated(unsafe) var steps: [String] = []
            let (a, b) = Parallelism.alongside({ () -> (Int, Bool) in
                order.withLock { steps.append("other") }
                return ((1...1000).reduce(0, +), pthread_equal(pthread_self(), caller) != 0)
            }) { () -> Int in
                order.withLock { steps.append("body") }
                return (1...10).reduce(1, *)
            }
            XCTAssertEqual(a.0, 500_500)
            XCTAssertEqual(b, 3_628_800)
            XCTAssertEqual(a.1, threads == 1, "the other task on the calling thread only with one thread")
            if threads == 1 { XCTAssertEqual(steps, ["other", "body"]) } else { XCTAssertEqual(steps.sorted(), ["body", "other"]) }
        }
    }
}

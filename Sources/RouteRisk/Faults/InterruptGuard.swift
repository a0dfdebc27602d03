import Dispatch
import Foundation

/// SIGINT and SIGTERM at any stage: the registered temporary files are removed and the
/// process exits 130 / 143 (128 + signal) without writing anything further. The signals are
/// ignored at the C level (`signal(SIG…, SIG_IGN)`) and delivered to a dispatch source on its
/// own queue, so the handler runs as ordinary code, not in an async-signal context; it ends
/// with `_exit`, which runs no atexit handler while other threads may still be working.
/// SIGXFSZ is ignored so that a file-size limit makes `write(2)` fail with EFBIG (exit 73)
/// instead of killing the process.
public enum InterruptGuard {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let queue = DispatchQueue(label: "routerisk.interrupt")

    public static func install() {
        guard sources.isEmpty else { return }
        signal(SIGXFSZ, SIG_IGN)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { interrupted(by: signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    private static func interrupted(by signalNumber: Int32) -> Never {
        TemporaryFiles.removeAllAndHold()
        let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
        let message = "routerisk: interrupted by \(name): no output was written or changed\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(128 + signalNumber)
    }
}

import Foundation

/// Every temporary output file (and output directory created) of the running process, so
/// that an interrupted run removes them before it exits (`InterruptGuard`). `AtomicOutput`
/// registers each file it stages and unregisters it when it is renamed or discarded; the
/// renames of a commit run under the same lock, so an interrupt never splits a commit.
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var files: Set<String> = []
    nonisolated(unsafe) private static var directories: [String] = []

    /// SQLite (GeoPackage) writes these beside a database while it is open.
    static let sidecarSuffixes = ["-journal", "-wal", "-shm"]

    static func register(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        files.insert(path)
    }

    static func unregister(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        files.remove(path)
    }

    /// A directory this process created for its outputs: removed on interrupt if still empty.
    static func registerCreatedDirectory(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        directories.append(path)
    }

    /// Runs `body` (the renames of a commit) with the registry locked.
    static func whileLocked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    /// The paths registered now (for tests).
    public static var registered: [String] {
        lock.lock(); defer { lock.unlock() }
        return files.sorted()
    }

    /// Removes every registered file (and its SQLite sidecars) and every registered directory
    /// left empty, and keeps the registry locked: nothing can be staged or committed after it.
    /// Only for a process about to `_exit`.
    static func removeAllAndHold() {
        lock.lock()
        for path in files {
            unlink(path)
            for suffix in sidecarSuffixes { unlink(path + suffix) }
        }
        files = []
        for directory in directories.reversed() { rmdir(directory) }
        directories = []
    }
}

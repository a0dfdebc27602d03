import Foundation

/// Writes files so that a failed run leaves nothing partial: each file is written to a
/// temporary name in the output directory, then all are renamed into place together.
struct AtomicOutput {
    let directory: URL
    let overwrite: Bool
    private(set) var staged: [(temporary: URL, final: URL)] = []

    init(directory: URL, overwrite: Bool) {
        self.directory = directory
        self.overwrite = overwrite
    }

    /// Refuses early when a final file exists and `overwrite` is off (exit status 73).
    func checkWritable(_ names: [String]) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw RunError.cannotWrite("\(directory.path): exists and is not a directory")
        }
        // A directory in the way of an output file would make `commit()` fail after renaming
        // the files before it, leaving a mix of old and new outputs: refuse before anything.
        let blocked = names.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path, isDirectory: &isDir) && isDir.boolValue
        }
        if !blocked.isEmpty {
            throw RunError.cannotWrite(
                "\(blocked.map { directory.appendingPathComponent($0).path }.joined(separator: ", ")): is a directory, cannot be replaced by an output file")
        }
        if !overwrite {
            let existing = names.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
            if !existing.isEmpty {
                throw RunError.cannotWrite(
                    "\(existing.map { directory.appendingPathComponent($0).path }.joined(separator: ", ")): already exists (give --overwrite to replace)")
            }
        }
    }

    /// A fresh temporary path for `name`, to be renamed by `commit()`.
    mutating func stage(_ name: String) throws -> URL {
        do {
            if !FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                TemporaryFiles.registerCreatedDirectory(directory.path)
            }
        } catch {
            throw RunError.cannotWrite("\(directory.path): cannot create the output directory: \(error.localizedDescription)")
        }
        let ext = (name as NSString).pathExtension
        let temporary = directory.appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp.\(ext)")
        try? FileManager.default.removeItem(at: temporary)
        // Registered before it exists, so that an interrupt removes it (InterruptGuard).
        TemporaryFiles.register(temporary.path)
        staged.append((temporary, directory.appendingPathComponent(name)))
        return temporary
    }

    mutating func stageData(_ data: Data, as name: String) throws {
        let url = try stage(name)
        do { try data.write(to: url) } catch {
            throw RunError.cannotWrite("\(url.path): \(error.localizedDescription)")
        }
    }

    /// Renames every staged file into place (`rename(2)` replaces atomically).
    /// The renames hold the temporary-file registry's lock, so an interrupt waits for them.
    mutating func commit() throws {
        FaultInjection.pause(at: "commit")
        let failure: String? = TemporaryFiles.whileLocked {
            for (temporary, final) in staged {
                if rename(temporary.path, final.path) != 0 {
                    return "\(final.path): \(String(cString: strerror(errno)))"
                }
            }
            return nil
        }
        if let failure {
            discard()
            throw RunError.cannotWrite(failure)
        }
        for (temporary, _) in staged { TemporaryFiles.unregister(temporary.path) }
        staged = []
    }

    /// A write failure as the user should read it: each temporary path replaced by the output
    /// it stood for, and the reassurance that nothing was changed (call before `discard()`).
    func failure(_ error: Error) -> RunError {
        var text: String
        switch error {
        case RunError.cannotWrite(let message): text = message
        case let e as RunError: return e
        default: text = "\(error)"
        }
        for (temporary, final) in staged { text = text.replacingOccurrences(of: temporary.path, with: final.path) }
        let note = " (nothing was written; existing outputs are unchanged)"
        return .cannotWrite(text.hasSuffix(note) ? text : text + note)
    }

    /// Removes every staged temporary file.
    mutating func discard() {
        for (temporary, _) in staged {
            try? FileManager.default.removeItem(at: temporary)
            for suffix in TemporaryFiles.sidecarSuffixes { unlink(temporary.path + suffix) }
            TemporaryFiles.unregister(temporary.path)
        }
        staged = []
    }
}

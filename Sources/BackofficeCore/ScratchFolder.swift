import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch folder beside an output, claimed by an `flock` that dies with its process.
///
///     let scratch = try ScratchFolder(in: outDir, prefix: ".report-")   // removes abandoned ones first
///     … write files into scratch.url, then rename the folder into place …
///
/// A process killed with `kill -9` cannot remove its scratch folder. The next one removes every
/// folder of the same prefix whose claim nobody holds: the kernel drops a dead process's locks,
/// so unlike a process id in the name, a reused pid never keeps an abandoned folder alive. The
/// claim is a lock file beside the folder (`NAME.lock`), made and locked before the folder and
/// removed after it is gone or renamed, so at no moment does a folder stand unclaimed.
public final class ScratchFolder {
    public let url: URL
    private let lockPath: String
    private let fd: Int32

    public init(in parent: URL, prefix: String) throws(Failure) {
        Self.removeAbandoned(in: parent, prefix: prefix)
        let url = parent.appendingPathComponent(prefix + UUID().uuidString.prefix(12), isDirectory: true)
        let lockPath = url.path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd); unlink(lockPath) }
            throw Failure.cantCreate(path: parent.path, reason: reason)
        }
        guard mkdir(url.path, 0o755) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd); unlink(lockPath)
            throw Failure.cantCreate(path: parent.path, reason: reason)
        }
        self.url = url
        self.lockPath = lockPath
        self.fd = fd
    }

    /// The claim goes with the value, after the folder was renamed into place or removed.
    deinit {
        unlink(lockPath)
        close(fd)
    }

    /// Removes the folders named `prefix…` in `parent` whose claim nobody holds, and their claims.
    public static func removeAbandoned(in parent: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".lock") {
            let lockPath = parent.appendingPathComponent(name).path
            guard SafeFile.kind(atPath: lockPath) == .regular else { continue }
            let fd = open(lockPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }   // its process is still writing
            let folder = parent.appendingPathComponent(String(name.dropLast(".lock".count)))
            if SafeFile.kind(atPath: folder.path) == .directory { try? FileManager.default.removeItem(at: folder) }
            unlink(lockPath)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch folder beside an output, claimed by an `flock` that dies with its process.
///
///     let scratch = try ScratchFolder(in: outDir, prefix: ".report-")   // removes abandoned ones first
///     … write files into scratch.url …
///     try scratch.release()     // before renaming the folder into place
///
/// A process killed with `kill -9` cannot remove its scratch folder. The next one removes every
/// folder of the same prefix whose lock nobody holds: the kernel drops a dead process's locks, so
/// unlike a process id in the name, a reused pid never keeps an abandoned folder alive. A folder
/// without its lock file (killed between the two) is removed once it is a minute old.
public final class ScratchFolder {
    public static let lockName = ".scratch.lock"
    public let url: URL
    private var fd: Int32

    public init(in parent: URL, prefix: String) throws(Failure) {
        Self.removeAbandoned(in: parent, prefix: prefix)
        let url = parent.appendingPathComponent(prefix + UUID().uuidString.prefix(12), isDirectory: true)
        guard mkdir(url.path, 0o755) == 0 else {
            throw Failure.cantCreate(path: parent.path, reason: String(cString: strerror(errno)))
        }
        let fd = open(url.appendingPathComponent(Self.lockName).path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            try? FileManager.default.removeItem(at: url)
            throw Failure.cantCreate(path: url.path, reason: reason)
        }
        self.url = url
        self.fd = fd
    }

    /// Removes the lock file (the folder is about to become an output); the lock itself is held
    /// until the value goes.
    public func release() {
        unlink(url.appendingPathComponent(Self.lockName).path)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Removes the folders named `prefix…` in `parent` whose process is gone.
    public static func removeAbandoned(in parent: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let folder = parent.appendingPathComponent(name)
            guard SafeFile.kind(atPath: folder.path) == .directory else { continue }
            let lockPath = folder.appendingPathComponent(lockName).path
            let fd = open(lockPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            if fd >= 0 {
                let free = flock(fd, LOCK_EX | LOCK_NB) == 0
                close(fd)
                guard free else { continue }   // its process is still writing
            } else {
                var info = stat()
                guard lstat(folder.path, &info) == 0, Double(time(nil) - info.st_mtim.tv_sec) > 60 else { continue }
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files from outside (the inbox, export folders) are read as regular files only.
///
///     switch SafeFile.kind(atPath: path) { case .regular: …; case .symlink: refuse }
///     let bytes = try SafeFile.read(path)        // O_NOFOLLOW, no FIFO or device, size limit
///
/// Anyone who can drop a file into the inbox may drop a symbolic link to the live database or to
/// `/dev/zero`, or a FIFO nobody writes to. A link is never followed (`lstat`, `O_NOFOLLOW`), a
/// FIFO or device is never opened for more than a look at what it is (`O_NONBLOCK`, then
/// `fstat`), and a file larger than `maxInputBytes` is refused before it is read.
public enum SafeFile {
    /// What a directory entry is, without following a link.
    public enum Kind: Equatable, Sendable {
        case regular, directory, symlink, fifo, device, socket, missing, other

        /// For sentences: "a symbolic link".
        public var phrase: String {
            switch self {
            case .regular: return "a regular file"
            case .directory: return "a folder"
            case .symlink: return "a symbolic link"
            case .fifo: return "a FIFO (named pipe)"
            case .device: return "a device"
            case .socket: return "a socket"
            case .missing: return "missing"
            case .other: return "not a regular file"
            }
        }
    }

    /// The kind of `path` itself (`lstat`: a link is reported as a link).
    public static func kind(atPath path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return kind(mode: info.st_mode)
    }

    /// The kind of a `stat` mode.
    public static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFIFO: return .fifo
        case S_IFCHR, S_IFBLK: return .device
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    /// The largest input file read: `BACKOFFICE_MAX_INPUT_MB` (mebibytes), else 2 GiB.
    public static var maxInputBytes: Int {
        if let text = ProcessInfo.processInfo.environment["BACKOFFICE_MAX_INPUT_MB"], let mb = Int(text), mb > 0 {
            return mb << 20
        }
        return 2 << 30
    }

    /// The sentence for an entry that is not a regular file, naming what to do.
    public static func notRegular(_ path: String, _ kind: Kind) -> Failure {
        Failure.badInput(file: TerminalText.neutralised(path),
                         reason: "is \(kind.phrase), not a regular file; it was not opened or followed. Only regular files are read: replace it with the file itself or remove it")
    }

    /// The whole of a regular file, read without following a link at its last component.
    ///
    /// 65 for a link, FIFO, device or socket, or a file over `limit` bytes; 66 when it does not
    /// exist or cannot be read.
    public static func read(_ path: String, limit: Int = SafeFile.maxInputBytes) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP || code == EMLINK { throw notRegular(path, .symlink) }
            let reason = code == ENOENT ? "does not exist" : "cannot be read (\(String(cString: strerror(code))))"
            throw Failure.noInput(path: TerminalText.neutralised(path), reason: reason)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.noInput(path: TerminalText.neutralised(path)) }
        let kind = kind(mode: info.st_mode)
        if kind == .directory { throw Failure.noInput(path: TerminalText.neutralised(path), reason: "is a folder, not a file") }
        guard kind == .regular else { throw notRegular(path, kind) }
        let size = max(Int(info.st_size), 0)
        if size > limit { throw tooLarge(path, limit) }
        // One read into an array of the file's size (+1 to notice a file that grew meanwhile),
        // then more only up to the limit.
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = readFully(fd, buffer.baseAddress!, size + 1, failed: &failed)
        }
        if !failed && bytes.count == size + 1 {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while !failed {
                let got = chunk.withUnsafeMutableBytes { readFully(fd, $0.baseAddress!, $0.count, failed: &failed) }
                bytes.append(contentsOf: chunk[0..<got])
                if bytes.count > limit { throw tooLarge(path, limit) }
                if got < chunk.count { break }
            }
        }
        if failed { throw Failure.noInput(path: TerminalText.neutralised(path), reason: "cannot be read (\(String(cString: strerror(errno))))") }
        return bytes
    }

    static func tooLarge(_ path: String, _ limit: Int) -> Failure {
        Failure.badInput(file: TerminalText.neutralised(path),
                         reason: "is larger than \(limit >> 20) MB, the limit for one input file; nothing was read. Split the export by date, or raise BACKOFFICE_MAX_INPUT_MB if the file is genuine")
    }
}

/// Reads up to `count` bytes into `buffer`; fewer only at the end of the file or on an error.
func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, failed: inout Bool) -> Int {
    var got = 0
    while got < count {
        let r = read(fd, buffer + got, count - got)
        if r < 0 { if errno == EINTR { continue }; failed = true; break }
        if r == 0 { break }
        got += r
    }
    return got
}

import Foundation

/// Reading input files under a size limit, and keeping files inside a root folder. Every
/// reader of wfc's inputs goes through here, so that no kind of file (a device, a pipe, a
/// link out of the repository) gets around the limits.
public enum FileAccess {
    /// Why a file was not read.
    public enum Problem: Error, Sendable, Equatable {
        case notFound
        /// Not a regular file where one is required: "a directory", "a device", "a pipe"…
        case notRegularFile(kind: String)
        /// A path or link whose target is outside the root.
        case outsideRoot
        /// open or read failed; the system's reason.
        case unreadable(String)
    }

    /// Reads `path`, never holding more than `maxBytes + 1` bytes. A file over the limit comes
    /// back with empty bytes and ``SourceFile/overLimit`` set, whatever kind of file it is
    /// (a device such as /dev/zero, a pipe). `regularOnly` refuses anything but a regular
    /// file, without blocking on a pipe. The file is shown as `displayPath` (default `path`).
    public static func read(_ path: String, displayPath: String? = nil, maxBytes: Int, regularOnly: Bool = false) -> Result<SourceFile, Problem> {
        // Without O_NONBLOCK, opening a pipe waits for its writer, which is what
        // `--data <(…)` needs; a required regular file must not wait.
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularOnly ? O_NONBLOCK : 0))
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .failure(.notFound) }
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return .failure(.notRegularFile(kind: "a directory")) }
        if regularOnly && type != S_IFREG { return .failure(.notRegularFile(kind: kind(type))) }
        return readBounded(fd, regularSize: type == S_IFREG ? Int(st.st_size) : nil, maxBytes: maxBytes)
            .map { SourceFile(path: displayPath ?? path, bytes: $0.bytes, overLimit: $0.over) }
    }

    /// Reads standard input under the limit, as ``read(_:displayPath:maxBytes:regularOnly:)``.
    public static func readStandardInput(displayPath: String = "<stdin>", maxBytes: Int) -> Result<SourceFile, Problem> {
        var st = stat()
        let size = fstat(STDIN_FILENO, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
        return readBounded(STDIN_FILENO, regularSize: size, maxBytes: maxBytes)
            .map { SourceFile(path: displayPath, bytes: $0.bytes, overLimit: $0.over) }
    }

    private static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The bytes of `fd` up to `maxBytes`. A regular file over the limit is not read at all,
    /// one within it is read straight into its bytes; anything else (or a regular file that
    /// claims size 0, as /proc files do) is read in chunks until it ends or passes the limit,
    /// so memory stays within `maxBytes + 1`.
    private static func readBounded(_ fd: Int32, regularSize: Int?, maxBytes: Int) -> Result<(bytes: [UInt8], over: SizeOverLimit?), Problem> {
        let limit = max(maxBytes, 0)
        if let size = regularSize, size > 0 {
            if size > limit { return .success(([], SizeOverLimit(size: size, limit: limit))) }
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                let n = readFully(fd, into: UnsafeMutableRawBufferPointer(buffer))
                failed = n < 0
                count = max(n, 0)
            }
            return failed ? .failure(.unreadable(String(cString: strerror(errno)))) : .success((bytes, nil))
        }
        let cap = limit == Int.max ? limit : limit + 1
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(65536, cap))
        while bytes.count < cap {
            let want = min(chunk.count, cap - bytes.count)
            let n = chunk.withUnsafeMutableBytes { readFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want])) }
            if n < 0 {
                // A non-blocking descriptor with nothing yet: not a file we wait for.
                if errno == EAGAIN { break }
                return .failure(.unreadable(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            // Grow by doubling, but never past the cap.
            if bytes.capacity < bytes.count + n {
                bytes.reserveCapacity(min(max(bytes.count + n, bytes.capacity * 2), cap))
            }
            bytes.append(contentsOf: chunk[..<n])
        }
        if bytes.count > limit {
            return .success(([], SizeOverLimit(size: nil, limit: limit)))
        }
        return .success((bytes, nil))
    }

    /// Reads into `buffer` until it is full or the input ends; the number of bytes read, or
    /// -1 on a read error (errno is set).
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var got = 0
        while got < buffer.count {
            let n = Foundation.read(fd, base + got, buffer.count - got)
            if n < 0 {
                if errno == EINTR { continue }
                return got > 0 ? got : -1
            }
            if n == 0 { break }
            got += n
        }
        return got
    }

    // MARK: Roots

    /// The current directory, or `/` when it cannot be found.
    public static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` made absolute (against the current directory) with `.`, `..` and repeated
    /// slashes removed, by the text alone: no links are followed.
    public static func absolute(_ path: String, from base: String? = nil) -> String {
        let full = path.hasPrefix("/") ? path : (base ?? currentDirectory) + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path with every link resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// True when `path` (absolute, normalised) is `root` or inside it.
    public static func isInside(_ path: String, root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    /// The repository that holds `directory`: the nearest folder at or above it with a `.git`
    /// (folder or file, as in a worktree) or a `.wfc.yaml`; nil when there is none. The
    /// answer is a real path (links resolved).
    public static func repositoryRoot(containing directory: String) -> String? {
        var dir = realPath(directory) ?? absolute(directory)
        while true {
            if access(dir + "/.git", F_OK) == 0 || access(dir + "/.wfc.yaml", F_OK) == 0 { return dir }
            if dir == "/" { return nil }
            dir = absolute(dir + "/..")
        }
    }

    /// The root that files found from `directory` must stay inside: `explicit` (`--root`) when
    /// given, else the repository holding `directory`, else `directory` itself. A real path.
    public static func root(for directory: String, explicit: String?) -> String {
        if let explicit { return realPath(explicit) ?? absolute(explicit) }
        return repositoryRoot(containing: directory) ?? realPath(directory) ?? absolute(directory)
    }

    /// Whether the file at `path`, with every link resolved, is inside `root` (a real path).
    /// False when it does not exist.
    public static func resolvesInside(_ path: String, root: String) -> Bool {
        guard let real = realPath(path) else { return false }
        return isInside(real, root: root)
    }
}

import Foundation
import WFCDiagnostics

/// Expands command-line paths into the files to check.
public enum FileDiscovery {
    /// The path that stands for standard input.
    public static let stdinPath = "-"

    /// Files named directly are taken as they are; directories are searched recursively for
    /// `*.yaml` and `*.yml`, skipping hidden entries. The result is sorted and has no repeats.
    /// Throws a usage failure for a path that does not exist or a directory with no YAML files.
    public static func expand(_ paths: [String], include: (String) -> Bool = { _ in true }) throws(CommandFailure) -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        let fm = FileManager.default
        for path in paths {
            if path == stdinPath {
                if seen.insert(path).inserted { files.append(path) }
                continue
            }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw CommandFailure(.usage, "no such file or directory: \(path)")
            }
            if !isDir.boolValue {
                if seen.insert(path).inserted { files.append(path) }
                continue
            }
            var found: [String] = []
            var base = path
            while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
            guard walk(base, prefix: base == "." ? "" : base + "/", include: include, into: &found) else {
                throw CommandFailure(.failure, "cannot read directory: \(path)")
            }
            if found.isEmpty {
                throw CommandFailure(.usage, "no .yaml or .yml files under \(path)")
            }
            for f in found.sorted() where seen.insert(f).inserted { files.append(f) }
        }
        return files
    }

    /// True when `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Adds the YAML files under directory `dir` to `found`, recursively, skipping hidden
    /// entries; `prefix` is prepended to names. Symbolic links to files are followed, links
    /// to directories are not. With readdir's entry types most entries need no `stat`.
    /// False when `dir` cannot be opened.
    private static func walk(_ dir: String, prefix: String, include: (String) -> Bool, into found: inout [String]) -> Bool {
        guard let d = opendir(dir) else { return false }
        defer { closedir(d) }
        var subdirectories: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            let full = prefix + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                type = (st.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (st.st_mode & S_IFMT) == S_IFLNK ? UInt8(DT_LNK) : UInt8(DT_REG)
            }
            if type == UInt8(DT_DIR) {
                subdirectories.append(full)
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            if type == UInt8(DT_LNK) {
                var st = stat()
                guard stat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            } else if type != UInt8(DT_REG) {
                continue
            }
            if include(full) { found.append(full) }
        }
        for sub in subdirectories {
            // A subdirectory that cannot be read is skipped, as before.
            _ = walk(sub, prefix: sub + "/", include: include, into: &found)
        }
        return true
    }

    /// Reads into `buffer` until it is full or the file ends; the number of bytes read, or -1
    /// on a read error (errno is set).
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var got = 0
        while got < buffer.count {
            let n = Foundation.read(fd, base + got, buffer.count - got)
            if n < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if n == 0 { break }
            got += n
        }
        return got
    }

    /// Reads a file (or standard input for `-`).
    public static func read(_ path: String) throws(CommandFailure) -> SourceFile {
        if path == stdinPath {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return SourceFile(path: "<stdin>", bytes: Array(data))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw CommandFailure(.usage, "no such file: \(path)") }
            throw CommandFailure(.failure, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // A regular file is read straight into its bytes (no Data in between) and stops at
        // the size `fstat` gave; pipes and process substitutions (`--data <(…)`) have no
        // size and are read as a stream.
        var st = stat()
        let regular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0
        var failed = false
        var bytes: [UInt8]
        if regular {
            bytes = [UInt8](unsafeUninitializedCapacity: Int(st.st_size)) { buffer, count in
                let n = readFully(fd, into: UnsafeMutableRawBufferPointer(buffer))
                failed = n < 0
                count = max(n, 0)
            }
        } else {
            bytes = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { readFully(fd, into: $0) }
                failed = n < 0
                if n > 0 { bytes.append(contentsOf: chunk[..<n]) }
                if n < chunk.count { break }
            }
        }
        if failed {
            throw CommandFailure(.failure, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return SourceFile(path: path, bytes: bytes)
    }
}

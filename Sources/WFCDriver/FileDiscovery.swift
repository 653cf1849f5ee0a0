import Foundation
import WFCDiagnostics
import WFCYAML

/// Expands command-line paths into the files to check.
public enum FileDiscovery {
    /// The path that stands for standard input.
    public static let stdinPath = "-"

    /// Files named directly are taken as they are; directories are searched recursively for
    /// `*.yaml` and `*.yml`, skipping hidden entries. The result is sorted and has no repeats.
    /// Throws a usage failure for a path that does not exist or a directory with no YAML files.
    /// A symbolic link found in a directory is followed only when its target is inside the
    /// root: `root` (`--root`) when given, else the repository holding the directory
    /// (``FileAccess/root(for:explicit:)``).
    public static func expand(_ paths: [String], root: String? = nil, include: (String) -> Bool = { _ in true }) throws(CommandFailure) -> [String] {
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
                throw CommandFailure(.usage, key: "failure.no-such-path", ["path": path])
            }
            if !isDir.boolValue {
                if seen.insert(path).inserted { files.append(path) }
                continue
            }
            var found: [String] = []
            var base = path
            while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
            let walkRoot = FileAccess.root(for: base, explicit: root)
            guard walk(base, prefix: base == "." ? "" : base + "/", root: walkRoot, include: include, into: &found) else {
                throw CommandFailure(.failure, key: "failure.cannot-read-directory", ["path": path])
            }
            if found.isEmpty {
                throw CommandFailure(.usage, key: "failure.no-yaml-files", ["path": path])
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
    /// entries; `prefix` is prepended to names. Symbolic links to files inside `root` are
    /// followed; links out of it, and links to directories, are not. With readdir's entry
    /// types most entries need no `stat`. False when `dir` cannot be opened.
    private static func walk(_ dir: String, prefix: String, root: String, include: (String) -> Bool, into found: inout [String]) -> Bool {
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
                guard stat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                      FileAccess.resolvesInside(full, root: root) else { continue }
            } else if type != UInt8(DT_REG) {
                continue
            }
            if include(full) { found.append(full) }
        }
        for sub in subdirectories {
            // A subdirectory that cannot be read is skipped, as before.
            _ = walk(sub, prefix: sub + "/", root: root, include: include, into: &found)
        }
        return true
    }

    /// Reads a file (or standard input for `-`) under the size limit: a file over it (of any
    /// kind: a device, a pipe) comes back unread, with ``SourceFile/overLimit`` set, and the
    /// loader reports it (WFC1008). A missing file or a directory is a usage failure.
    public static func read(_ path: String, maxBytes: Int = YAMLLimits.defaultMaxFileBytes) throws(CommandFailure) -> SourceFile {
        let result = path == stdinPath ? FileAccess.readStandardInput(maxBytes: maxBytes) : FileAccess.read(path, maxBytes: maxBytes)
        switch result {
        case .success(let file): return file
        case .failure(.notFound): throw CommandFailure(.usage, key: "failure.no-such-file", ["path": path])
        case .failure(.notRegularFile(let kind)): throw CommandFailure(.usage, key: "failure.not-regular-file", ["path": path, "kind": kind])
        case .failure(.unreadable(let why)): throw CommandFailure(.failure, key: "failure.cannot-read", ["path": path, "why": why])
        case .failure(.outsideRoot): throw CommandFailure(.failure, key: "failure.outside-root", ["path": path])
        }
    }
}

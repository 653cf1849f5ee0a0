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
            guard let walker = fm.enumerator(atPath: path) else {
                throw CommandFailure(.failure, "cannot read directory: \(path)")
            }
            while let rel = walker.nextObject() as? String {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
                let full = base == "." ? rel : base + "/" + rel
                var sub: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue, include(full) {
                    found.append(full)
                }
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

    /// Reads a file (or standard input for `-`).
    public static func read(_ path: String) throws(CommandFailure) -> SourceFile {
        if path == stdinPath {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return SourceFile(path: "<stdin>", bytes: Array(data))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(.usage, "no such file: \(path)")
        }
        // Pipes and process substitutions (`--data <(…)`) have no size: read them as a stream.
        guard let data = FileManager.default.contents(atPath: path)
                ?? FileHandle(forReadingAtPath: path).map({ h in defer { try? h.close() }; return h.readDataToEndOfFile() }) else {
            throw CommandFailure(.failure, "cannot read \(path)")
        }
        return SourceFile(path: path, bytes: Array(data))
    }
}

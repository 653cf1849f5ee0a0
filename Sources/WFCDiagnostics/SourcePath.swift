import Synchronization

/// A file's display path, interned for the life of the process: a span carries this 4-byte
/// handle instead of a `String`, so that copying and freeing the many spans of a syntax tree
/// costs no reference counting. Two handles are equal exactly when their paths are.
public struct SourcePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    private let id: UInt32

    /// The handle of `path` (made on first use).
    public init(_ path: String) {
        id = Self.table.withLock { t in
            if let id = t.ids[path] { return id }
            let id = UInt32(truncatingIfNeeded: t.paths.count)
            t.paths.append(path)
            t.ids[path] = id
            return id
        }
    }

    /// The path as written.
    public var string: String { Self.table.withLock { $0.paths[Int(id)] } }
    public var description: String { string }
    /// Orders by path text, as output is sorted.
    public static func < (a: Self, b: Self) -> Bool { a != b && a.string < b.string }

    /// The empty path, for spans that name no file.
    public static let none = SourcePath("")

    private struct Table: ~Copyable {
        var paths: [String] = []
        var ids: [String: UInt32] = [:]
    }

    /// Paths are never removed: a process reads a bounded number of files, and a handle must
    /// stay valid as long as any diagnostic holds it.
    private static let table = Mutex(Table())
}

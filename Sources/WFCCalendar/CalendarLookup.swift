import Foundation
import WFCDiagnostics
import WFCIR

/// Why a calendar named by a workflow could not be used.
public enum CalendarLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither built in nor a file `calendars/<id>.json` in the repository. `searched` is the
    /// path looked at, nil when the workflow is in no repository (no `.git` or `.wfc.yaml` above it).
    case notFound(id: String, searched: String?)
    /// The file exists but is refused before reading: outside the repository (through a
    /// symlink), not a regular file, or too large.
    case refused(path: String, reason: String)
    /// The file (or a calendar it extends) is not a valid calendar file.
    case invalid(path: String, error: CalendarError)

    public var description: String {
        switch self {
        case .notFound(let id, let searched?):
            return "no calendar `\(id)`: it is not built in (\(WorkingCalendar.builtinIDs.joined(separator: ", "))) and \(searched) does not exist"
        case .notFound(let id, nil):
            return "no calendar `\(id)`: it is not built in (\(WorkingCalendar.builtinIDs.joined(separator: ", "))), and the workflow is in no repository (no .git or .wfc.yaml above it) whose calendars/ folder could hold it"
        case .refused(let path, let reason):
            return "calendar file \(path) is not read: \(reason)"
        case .invalid(let path, let error):
            return "\(path): \(error.description)"
        }
    }
}

/// Finds the calendar a workflow names: a built-in one (`cn-mainland`), or a company's own
/// file `calendars/<id>.json` at the root of the repository that holds the workflow.
///
/// The repository root is the nearest folder above the workflow holding `.git` or `.wfc.yaml`.
/// A calendar file is read only when it is a regular file inside that root (a symlink is
/// followed only when its target stays inside) and at most ``maxFileBytes`` long. A file may
/// extend a built-in calendar or another file in the same folder.
public struct CalendarLookup: Sendable {
    /// The largest calendar file read (a century of holidays is about 200 KB).
    public static let maxFileBytes = 1 << 20
    /// The folder, under the repository root, that holds the company calendars.
    public static let folder = "calendars"

    /// `--root`: the folder calendar files must stay inside; nil: the repository holding the
    /// workflow (the same root as imports, ``FileAccess/root(for:explicit:)``).
    public var root: String?

    public init(root: String? = nil) { self.root = root }

    /// The calendar `id` as seen from the workflow at `workflowPath`, with a provisional year
    /// from the law added when `provisional` is true (the workflow opted in) or the calendar
    /// file asks for it.
    public func resolve(_ id: String, workflowPath: String, provisional: Bool) -> Result<WorkingCalendar, CalendarLookupError> {
        let found: Result<WorkingCalendar, CalendarLookupError>
        if let builtin = WorkingCalendar.builtin(id) {
            guard provisional else { return .success(builtin) }
            // Computed once per process: every workflow of a `wfc check` run shares it.
            if let hit = Self.cache.get("builtin:" + id, Data()) { return .success(hit) }
            let cal = builtin.withProvisionalYear()
            Self.cache.put("builtin:" + id, Data(), cal)
            return .success(cal)
        } else {
            found = Self.load(id, root: Self.root(for: workflowPath, explicit: root), visiting: [])
        }
        return found.map { provisional ? $0.withProvisionalYear() : $0 }
    }

    /// The root calendar files of the workflow at `workflowPath` must stay inside: `explicit`
    /// (`--root`), else its repository (found upwards by `.git` or `.wfc.yaml`); nil outside a
    /// repository, where there are no company calendars.
    public static func root(for workflowPath: String, explicit: String?) -> String? {
        if let explicit { return FileAccess.root(for: directory(of: workflowPath), explicit: explicit) }
        let dir = directory(of: workflowPath)
        return FileAccess.repositoryRoot(containing: dir.isEmpty ? "." : dir)
    }

    /// The folder part of `path` ("" for a bare file name, or for standard input's "-").
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Cache of parsed files by path and content, shared by every compile of a `wfc check` run.
    private static let cache = LockedCache()

    private static func load(_ id: String, root: String?, visiting: Set<String>) -> Result<WorkingCalendar, CalendarLookupError> {
        // An id is a file name, never a path: letters, digits, -, _ and a dot not in front.
        guard !id.isEmpty, id.count <= 100, !id.hasPrefix("."),
              id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) })
        else { return .failure(.notFound(id: id, searched: nil)) }
        guard let root else { return .failure(.notFound(id: id, searched: nil)) }
        let path = "\(root)/\(folder)/\(id).json"
        let display = "\(folder)/\(id).json"
        let bytes: Data
        switch readConfined(path, root: root) {
        case .missing: return .failure(.notFound(id: id, searched: path))
        case .refused(let why): return .failure(.refused(path: display, reason: why))
        case .read(let data): bytes = data
        }
        if let hit = cache.get(path, bytes) { return .success(hit) }
        var baseFailure: CalendarLookupError?
        do throws(CalendarError) {
            let cal = try WorkingCalendar(json: bytes, base: { baseID in
                if let b = WorkingCalendar.builtin(baseID) { return b }
                guard !visiting.contains(baseID), baseID != id, visiting.count < 8 else {
                    baseFailure = .invalid(path: display, error: .invalid(path: "extends", message: "\"\(baseID)\" extends, directly or not, \"\(id)\": calendars cannot extend each other in a circle"))
                    return nil
                }
                switch load(baseID, root: root, visiting: visiting.union([id])) {
                case .success(let b): return b
                case .failure(let e):
                    if case .notFound = e {} else { baseFailure = e }
                    return nil
                }
            })
            guard cal.id == id else {
                return .failure(.invalid(path: display, error: .invalid(path: "id", message: "is \"\(cal.id)\", but the file is named \(id).json; a workflow names a calendar by its file name, so the two must agree")))
            }
            cache.put(path, bytes, cal)
            return .success(cal)
        } catch {
            return .failure(baseFailure ?? .invalid(path: display, error: error))
        }
    }

    private enum Read { case missing, refused(String), read(Data) }

    /// Reads `path` only if it is a regular file whose real location is inside `root`, under
    /// the size limit (through ``FileAccess``, as every input).
    private static func readConfined(_ path: String, root: String) -> Read {
        guard FileAccess.realPath(path) != nil || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil else { return .missing }
        guard FileAccess.resolvesInside(path, root: FileAccess.realPath(root) ?? root) else {
            return .refused("it leads outside the repository (\(root))")
        }
        switch FileAccess.read(path, maxBytes: maxFileBytes, regularOnly: true) {
        case .success(let file):
            if file.overLimit != nil { return .refused("it is larger than the limit; the limit is \(maxFileBytes) bytes") }
            return .read(Data(file.bytes))
        case .failure(.notFound): return .missing
        case .failure(.notRegularFile(let kind)): return .refused("it is not a regular file (\(kind))")
        case .failure(.outsideRoot): return .refused("it leads outside the repository (\(root))")
        case .failure(.unreadable(let why)): return .refused("it cannot be read: \(why)")
        }
    }
}

/// Parsed calendar files by path, kept with the bytes they were parsed from.
private final class LockedCache: @unchecked Sendable {
    private var entries: [String: (Data, WorkingCalendar)] = [:]
    private let lock = NSLock()

    func get(_ path: String, _ bytes: Data) -> WorkingCalendar? {
        lock.lock()
        defer { lock.unlock() }
        guard let (b, cal) = entries[path], b == bytes else { return nil }
        return cal
    }

    func put(_ path: String, _ bytes: Data, _ cal: WorkingCalendar) {
        lock.lock()
        defer { lock.unlock() }
        entries[path] = (bytes, cal)
    }
}

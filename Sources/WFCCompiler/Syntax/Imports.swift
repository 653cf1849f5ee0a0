import Foundation
import WFCDiagnostics
import WFCYAML

/// Why an imported file was not read.
public enum ImportProblem: Error, Sendable, Equatable {
    case notFound
    /// The path is absolute; imports are relative to the workflow file.
    case absolute
    /// `..` leads out of the root.
    case leavesRoot(root: String)
    /// A symbolic link on the way leads out of the root.
    case linksOutOfRoot(root: String)
    /// A directory, device, pipe…: only regular files are read.
    case notRegularFile(kind: String)
    case unreadable(String)
}

/// Reads imported fragment files from disk, confined to a root folder: an import must not
/// reach, by `..`, an absolute path or a symbolic link, any file outside it (a CI job
/// checking an untrusted change would print the runner's files otherwise).
public struct ImportReader: Sendable {
    /// The root given with `--root`; nil: the repository holding the workflow (the nearest
    /// folder upwards with `.git` or `.wfc.yaml`), else the workflow's own folder.
    public var root: String?
    /// Largest file read.
    public var maxBytes: Int

    public init(root: String? = nil, maxBytes: Int = YAMLLimits.defaultMaxFileBytes) {
        self.root = root
        self.maxBytes = maxBytes
    }

    /// The folder `workflowPath`'s imports are relative to, links resolved (the current
    /// directory for standard input).
    static func baseDirectory(of workflowPath: String) -> String {
        let cwd = FileAccess.currentDirectory
        guard workflowPath != "<stdin>" else { return FileAccess.realPath(cwd) ?? cwd }
        let dir = PathText.directory(workflowPath)
        let absolute = FileAccess.absolute(dir.isEmpty ? "." : dir)
        return FileAccess.realPath(absolute) ?? absolute
    }

    /// The root the imports of `workflowPath` must stay inside (a real path).
    public func root(for workflowPath: String) -> String {
        FileAccess.root(for: Self.baseDirectory(of: workflowPath), explicit: root)
    }

    /// Reads `importPath` (as written under `import:`) for the workflow at `workflowPath`;
    /// the file is shown as `displayPath`.
    public func read(_ importPath: String, displayPath: String, workflowPath: String, root: String) -> Result<SourceFile, ImportProblem> {
        if importPath.hasPrefix("/") { return .failure(.absolute) }
        // By the text first: `..` that climbs out is refused even when the target is missing.
        let lexical = FileAccess.absolute(importPath, from: Self.baseDirectory(of: workflowPath))
        guard FileAccess.isInside(lexical, root: root) else { return .failure(.leavesRoot(root: root)) }
        guard let real = FileAccess.realPath(lexical) else { return .failure(.notFound) }
        guard FileAccess.isInside(real, root: root) else { return .failure(.linksOutOfRoot(root: root)) }
        switch FileAccess.read(real, displayPath: displayPath, maxBytes: maxBytes, regularOnly: true) {
        case .success(let file): return .success(file)
        case .failure(.notFound): return .failure(.notFound)
        case .failure(.notRegularFile(let kind)): return .failure(.notRegularFile(kind: kind))
        case .failure(.outsideRoot): return .failure(.linksOutOfRoot(root: root))
        case .failure(.unreadable(let why)): return .failure(.unreadable(why))
        }
    }
}

extension ImportProblem {
    /// The problem as a diagnostic at the import entry.
    func diagnostic(importPath: String, target: String, at span: SourceSpan) -> Diagnostic {
        switch self {
        case .notFound:
            return Diagnostic(ImportNotFound(path: importPath), at: span, label: "cannot read \(target)")
        case .unreadable(let why):
            return Diagnostic(ImportNotFound(path: importPath), at: span, label: "cannot read \(target): \(why)")
        case .absolute:
            return Diagnostic(ImportOutsideRoot(path: importPath, why: "is an absolute path; imports are relative to the workflow file"), at: span,
                              label: "an absolute path",
                              help: "copy the fragment into the repository and import it by a relative path")
        case .leavesRoot(let root):
            return Diagnostic(ImportOutsideRoot(path: importPath, why: "leads out of the root \(root)"), at: span,
                              label: "leaves the root",
                              help: "import a fragment inside \(root), or give the folder that holds both with --root")
        case .linksOutOfRoot(let root):
            return Diagnostic(ImportOutsideRoot(path: importPath, why: "is a symbolic link to a file outside the root \(root)"), at: span,
                              label: "links out of the root",
                              help: "replace the link with the fragment itself, or give the folder that holds both with --root")
        case .notRegularFile(let kind):
            return Diagnostic(ImportNotAFile(path: importPath, kind: kind), at: span, label: "not a regular file",
                              help: "import a fragment file (`*.yaml` with `fragment: ID`)")
        }
    }
}

struct ImportNotFound: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3014", name: "import-not-found", summary: "An imported fragment file cannot be read.",
        explanation: "Paths under `import:` are relative to the workflow file. The file must exist and be a fragment (`fragment: ID`).",
        example: "import: [fragment/three-party-signoff.yaml]\n",
        fix: "import: [fragments/three-party-signoff.yaml]\n")
    var path: String
    var message: String { "cannot import `\(path)`" }
}

struct ImportOutsideRoot: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3015", name: "import-outside-root", summary: "An import leads outside the repository.",
        explanation: """
            Imports must stay inside a root folder: the repository that holds the workflow (the \
            nearest folder upwards with `.git` or `.wfc.yaml`; outside a repository, the \
            workflow's own folder), or the folder given with `--root`. An absolute path, `..` \
            that climbs out of the root, and a symbolic link whose target is outside it are \
            refused without reading the file, so that checking an untrusted workflow cannot \
            show the contents of other files on the machine.
            """,
        example: "import: [/etc/passwd, ../../../../etc/shadow]\n",
        fix: "import: [fragments/three-party-signoff.yaml]\n")
    var path: String
    var why: String
    var message: String { "the import `\(path)` \(why)" }
}

struct ImportNotAFile: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3016", name: "import-not-a-file", summary: "An import names a directory, a device or a pipe.",
        explanation: "Only regular files are imported; a directory, a device (such as /dev/zero) or a named pipe is refused without reading it.",
        example: "import: [fragments]\n",
        fix: "import: [fragments/three-party-signoff.yaml]\n")
    var path: String
    var kind: String
    var message: String { "the import `\(path)` is \(kind), not a file" }
}

struct ImportNotAFragment: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC3017", name: "import-not-a-fragment", summary: "An imported file is not a fragment.",
        explanation: """
            An imported file must be a fragment: a YAML mapping with `fragment: ID`. Nothing of a \
            file that is not one is shown (no line, no key name, no count), only this one \
            diagnostic at the import, so that an import cannot be used to print another file. \
            Check the file on its own with `wfc check FILE` to see what is wrong with it.
            """,
        example: "import: [README.md]\n",
        fix: "import: [fragments/three-party-signoff.yaml]\n")
    var path: String
    var message: String { "`\(path)` is not a fragment file" }
}

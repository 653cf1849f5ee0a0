import Foundation
import WFCDiagnostics
import WFCYAML

/// A loaded `.wfc.yaml`: severities per code, ignores per path, and the language.
public struct WFCConfiguration: Sendable {
    /// What `severity:` sets a code to.
    public enum Level: String, Sendable, CaseIterable {
        case off, warning, error
    }

    /// One entry of `ignore:`.
    public struct PathIgnore: Sendable {
        public var glob: PathGlob
        /// Nil: every code.
        public var codes: Set<DiagnosticCode>?
        public var reason: String
        /// The entry in the configuration file.
        public var span: SourceSpan
    }

    /// The languages `lang:` accepts.
    public static let languages = ["zh-CN", "en"]

    /// The file as read (for showing its diagnostics).
    public var file: SourceFile
    /// The folder path patterns are relative to (absolute).
    public var directory: String
    public var severities: [DiagnosticCode: (level: Level, span: SourceSpan)] = [:]
    public var ignores: [PathIgnore] = []
    /// `lang:`; nil when not given.
    public var language: String?
    /// Problems in the file itself.
    public var diagnostics: [Diagnostic] = []

    /// Reads and validates `path` (shown as `displayPath`) under `limits`.
    public static func load(path: String, displayPath: String, limits: YAMLLimits) -> WFCConfiguration {
        let directory = FileAccess.absolute(path + "/..")
        switch FileAccess.read(path, displayPath: displayPath, maxBytes: limits.maxFileBytes, regularOnly: true) {
        case .success(let file):
            return parse(file, directory: directory, loader: YAMLLoader(limits: limits))
        case .failure(let problem):
            let why: String
            switch problem {
            case .notFound: why = "no such file"
            case .notRegularFile(let kind): why = "it is \(kind), not a regular file"
            case .outsideRoot: why = "outside the root"
            case .unreadable(let reason): why = reason
            }
            let file = SourceFile(path: displayPath, text: "")
            var config = WFCConfiguration(file: file, directory: directory)
            config.diagnostics = [Diagnostic(CannotReadConfig(reason: why), at: .point(displayPath, 0))]
            return config
        }
    }

    /// Validates a configuration already read; `directory` is where its patterns start.
    public static func parse(_ file: SourceFile, directory: String, loader: YAMLLoader = YAMLLoader()) -> WFCConfiguration {
        var config = WFCConfiguration(file: file, directory: directory)
        let loaded = loader.load(file)
        // An empty `.wfc.yaml` (or one of comments only) is valid: it marks the repository root
        // and sets nothing.
        config.diagnostics = loaded.diagnostics.filter { $0.code != "WFC1010" }
        guard let root = loaded.root else { return config }
        let path = file.sourcePath
        func at(_ node: YAMLNode) -> SourceSpan { node.span.in(path) }
        // Collected apart from `config`, which the readers below modify.
        var problems: [Diagnostic] = []
        func report(_ d: Diagnostic) { problems.append(d) }
        guard let top = root.mapping else {
            // An empty file is a valid configuration that sets nothing.
            if root.scalar?.value != .null {
                config.diagnostics.append(Diagnostic(BadConfigValue(what: "the configuration", expected: "a mapping (severity, ignore, lang)"), at: at(root)))
            }
            return config
        }
        let topKeys = ["severity", "ignore", "lang"]
        for pair in top {
            let (key, value) = (pair.key, pair.value)
            switch key.textValue {
            case "severity": config.readSeverities(value, report: report, at: at)
            case "ignore": config.readIgnores(value, report: report, at: at)
            case "lang":
                guard let text = value.textValue else {
                    report(Diagnostic(BadConfigValue(what: "`lang`", expected: "zh-CN or en"), at: at(value)))
                    continue
                }
                if languages.contains(text) {
                    config.language = text
                } else {
                    let near = closestLanguage(text)
                    report(Diagnostic(UnknownLanguage(text: text), at: at(value), help: near.map { "did you mean `\($0)`?" },
                                      fixIts: near.map { [FixIt("use \($0)", replacing: at(value), with: $0)] } ?? []))
                }
            default:
                report(unknownKey(key, among: topKeys, place: "the configuration", at: at(key)))
            }
        }
        config.diagnostics = (config.diagnostics + problems).sortedForOutput()
        return config
    }

    private static func closestLanguage(_ text: String) -> String? {
        let normal = text.replacingOccurrences(of: "_", with: "-").lowercased()
        if let exact = languages.first(where: { $0.lowercased() == normal || normal.hasPrefix($0.lowercased() + "-") || normal.hasPrefix($0.lowercased() + ".") }) { return exact }
        if normal == "zh" || normal.hasPrefix("zh-hans") { return "zh-CN" }
        return Suggestions.closest(to: text, among: languages)
    }

    private static func unknownKey(_ key: YAMLNode, among known: [String], place: String, at span: SourceSpan) -> Diagnostic {
        let text = key.textValue ?? "?"
        let near = Suggestions.closest(to: text, among: known)
        return Diagnostic(UnknownConfigKey(key: text, place: place), at: span,
                          help: near.map { "did you mean `\($0)`?" } ?? "known keys: \(known.joined(separator: ", "))",
                          fixIts: near.map { [FixIt("rename to \($0)", replacing: span, with: $0)] } ?? [])
    }

    private mutating func readSeverities(_ node: YAMLNode, report: (Diagnostic) -> Void, at: (YAMLNode) -> SourceSpan) {
        guard let map = node.mapping else {
            report(Diagnostic(BadConfigValue(what: "`severity`", expected: "a mapping from codes or names to off, warning or error"), at: at(node)))
            return
        }
        for pair in map {
            let (key, value) = (pair.key, pair.value)
            guard let code = Self.resolve(key, report: report, at: at) else { continue }
            if !Self.isConfigurable(code) {
                report(Diagnostic(SeverityNotConfigurable(code: code.rawValue), at: at(key)))
                continue
            }
            let text = value.textValue ?? value.scalar.map { "\($0.text)" } ?? ""
            guard let level = Level(rawValue: text) else {
                let near = Suggestions.closest(to: text, among: Level.allCases.map(\.rawValue))
                    ?? (text.lowercased().hasPrefix("warn") ? "warning" : nil)
                report(Diagnostic(BadSeverity(text: text), at: at(value), help: near.map { "did you mean `\($0)`?" },
                                  fixIts: near.map { [FixIt("use \($0)", replacing: at(value), with: $0)] } ?? []))
                continue
            }
            severities[code] = (level, at(key))
        }
    }

    private mutating func readIgnores(_ node: YAMLNode, report: (Diagnostic) -> Void, at: (YAMLNode) -> SourceSpan) {
        guard let list = node.sequence else {
            report(Diagnostic(BadConfigValue(what: "`ignore`", expected: "a list of entries with path, codes and reason"), at: at(node)))
            return
        }
        let entryKeys = ["path", "codes", "reason"]
        for entry in list {
            guard let map = entry.mapping else {
                report(Diagnostic(BadConfigValue(what: "an ignore entry", expected: "a mapping with path, codes and reason"), at: at(entry)))
                continue
            }
            var glob: PathGlob?
            var codes: Set<DiagnosticCode>?
            var reason: String?
            var valid = true
            for pair in map {
            let (key, value) = (pair.key, pair.value)
                switch key.textValue {
                case "path":
                    guard let text = value.textValue else {
                        report(Diagnostic(BadConfigValue(what: "`path`", expected: "a path pattern"), at: at(value)))
                        valid = false
                        continue
                    }
                    if let problem = PathGlob.problem(text) {
                        report(Diagnostic(BadGlob(pattern: text, problem: problem), at: at(value)))
                        valid = false
                    } else {
                        glob = PathGlob(text)
                    }
                case "codes":
                    let items = value.sequence.map(Array.init) ?? [value]
                    var set = Set<DiagnosticCode>()
                    for item in items {
                        guard let code = Self.resolve(item, report: report, at: at) else { valid = false; continue }
                        if !Self.isConfigurable(code) {
                            report(Diagnostic(SeverityNotConfigurable(code: code.rawValue), at: at(item)))
                            valid = false
                            continue
                        }
                        set.insert(code)
                    }
                    codes = set
                case "reason":
                    let text = value.textValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    if !text.isEmpty { reason = text }
                default:
                    report(Self.unknownKey(key, among: entryKeys, place: "an ignore entry", at: at(key)))
                }
            }
            if entry["path"] == nil {
                report(Diagnostic(BadConfigValue(what: "an ignore entry", expected: "given a `path`"), at: at(entry)))
                valid = false
            }
            guard let reason else {
                report(Diagnostic(IgnoreWithoutReason(), at: at(entry), help: "add `reason:` saying why these diagnostics do not apply"))
                continue
            }
            if valid, let glob {
                ignores.append(PathIgnore(glob: glob, codes: codes, reason: reason, span: at(entry)))
            }
        }
    }

    /// A code from its code or name; reports an unknown one with the nearest known.
    static func resolve(_ node: YAMLNode, report: (Diagnostic) -> Void, at: (YAMLNode) -> SourceSpan) -> DiagnosticCode? {
        let text = node.textValue ?? ""
        if let code = DiagnosticNames.code(for: text) { return code }
        report(DiagnosticNames.unknown(text, at: at(node)))
        return nil
    }

    /// Driver and YAML codes mean a file could not be read or loaded: they are never
    /// configured or ignored (WFC0020).
    public static func isConfigurable(_ code: DiagnosticCode) -> Bool {
        guard let phase = DiagnosticPhase.of(code) else { return false }
        return phase != .driver && phase != .yaml
    }

    /// The path of `file` relative to this configuration's folder, or nil when outside it.
    func relativePath(_ file: String) -> String? {
        let abs = FileAccess.absolute(file)
        guard FileAccess.isInside(abs, root: directory), abs != directory else { return nil }
        return directory == "/" ? String(abs.dropFirst()) : String(abs.dropFirst(directory.count + 1))
    }
}

/// Codes by code or name, and "did you mean" for the rest.
enum DiagnosticNames {
    static let byName: [String: DiagnosticCode] = {
        var map: [String: DiagnosticCode] = [:]
        for d in WFCRegistry.shared.all { map[d.name] = d.code }
        return map
    }()

    static func code(for text: String) -> DiagnosticCode? {
        if text.uppercased().hasPrefix("WFC"), let d = WFCRegistry.shared[DiagnosticCode(text.uppercased())] { return d.code }
        return byName[text]
    }

    static func nearest(_ text: String) -> String? {
        let all = WFCRegistry.shared.all
        if text.uppercased().hasPrefix("WFC") {
            return Suggestions.closest(to: text.uppercased(), among: all.map(\.code.rawValue))
        }
        return Suggestions.closest(to: text, among: all.map(\.name))
    }

    static func unknown(_ text: String, at span: SourceSpan) -> Diagnostic {
        let near = nearest(text)
        return Diagnostic(UnknownDiagnosticCode(text: text), at: span,
                          help: near.map { "did you mean `\($0)`?" } ?? "`wfc explain --list` lists every code",
                          fixIts: near.map { [FixIt("use \($0)", replacing: span, with: $0)] } ?? [])
    }
}

/// Where `wfc check` takes its configuration from.
public enum ConfigurationChoice: Sendable {
    /// `.wfc.yaml` found from each checked file upwards (the default).
    case discover
    /// `--config FILE`, for every file.
    case file(String)
    /// `--no-config`.
    case none
}

/// Finds and caches the configuration of each checked file.
public final class ConfigurationFinder: @unchecked Sendable {
    public let choice: ConfigurationChoice
    public let limits: YAMLLimits
    private var byDirectory: [String: WFCConfiguration?] = [:]
    private var loaded: [String: WFCConfiguration] = [:]
    private let lock = NSLock()

    public init(_ choice: ConfigurationChoice, limits: YAMLLimits = YAMLLimits()) {
        self.choice = choice
        self.limits = limits
    }

    /// The file name searched for.
    public static let fileName = ".wfc.yaml"

    /// The configuration for a checked file (`-`: the current folder): the nearest
    /// `.wfc.yaml` at or above its folder, stopping at the repository root (the folder
    /// holding `.git`) or the filesystem root.
    public func configuration(for path: String) -> WFCConfiguration? {
        switch choice {
        case .none: return nil
        case .file(let file): return load(file)
        case .discover:
            let start = path == FileDiscovery.stdinPath ? FileAccess.currentDirectory : FileAccess.absolute(path + "/..")
            return lookUp(start)
        }
    }

    /// Every configuration used so far, by display path, for reporting their problems.
    public var used: [WFCConfiguration] {
        lock.lock()
        defer { lock.unlock() }
        return loaded.keys.sorted().compactMap { loaded[$0] }
    }

    private func lookUp(_ directory: String) -> WFCConfiguration? {
        lock.lock()
        if let hit = byDirectory[directory] { lock.unlock(); return hit }
        lock.unlock()
        let candidate = directory == "/" ? "/" + Self.fileName : directory + "/" + Self.fileName
        let result: WFCConfiguration?
        if access(candidate, F_OK) == 0 {
            // A discovered `.wfc.yaml` that links out of its folder is not read: its text
            // would be echoed in diagnostics (as imports outside the root are not).
            let folder = FileAccess.realPath(directory) ?? directory
            result = FileAccess.resolvesInside(candidate, root: folder) ? load(candidate) : outside(candidate)
        } else if directory == "/" || access(directory + "/.git", F_OK) == 0 {
            result = nil
        } else {
            result = lookUp(FileAccess.absolute(directory + "/.."))
        }
        lock.lock()
        byDirectory[directory] = result
        lock.unlock()
        return result
    }

    private func load(_ path: String) -> WFCConfiguration {
        let abs = FileAccess.absolute(path)
        lock.lock()
        if let hit = loaded[abs] { lock.unlock(); return hit }
        lock.unlock()
        let config = WFCConfiguration.load(path: abs, displayPath: Self.display(abs), limits: limits)
        lock.lock()
        defer { lock.unlock() }
        if let hit = loaded[abs] { return hit }
        loaded[abs] = config
        return config
    }

    private func outside(_ path: String) -> WFCConfiguration {
        let display = Self.display(path)
        var config = WFCConfiguration(file: SourceFile(path: display, text: ""), directory: FileAccess.absolute(path + "/.."))
        config.diagnostics = [Diagnostic(CannotReadConfig(reason: "it links outside its folder"), at: .point(display, 0))]
        lock.lock()
        defer { lock.unlock() }
        loaded[path] = config
        return config
    }

    /// A path relative to the current folder when inside it, else absolute.
    static func display(_ abs: String) -> String {
        let cwd = FileAccess.absolute(FileAccess.currentDirectory)
        if cwd != "/", abs.hasPrefix(cwd + "/") { return String(abs.dropFirst(cwd.count + 1)) }
        return abs
    }
}

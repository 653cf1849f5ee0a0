import Foundation
import WFCDiagnostics
import WFCYAML

/// A `# wfc-ignore: CODES reason` comment.
struct InlineIgnore {
    var comment: YAMLComment
    /// The 0-based line it applies to: its own, or the next for a comment alone on its line.
    var line: Int
    var codes: [(code: DiagnosticCode, span: SourceSpan)]
    var reason: String
    var used: Set<DiagnosticCode> = []
}

/// Applies `.wfc.yaml` and `# wfc-ignore:` comments to one file's diagnostics.
public enum Suppressor {
    /// The word that starts an inline ignore.
    public static let marker = "wfc-ignore"

    /// Splits `diagnostics` (of the checked file `file`, whose loaded tree is `root`) into
    /// those still reported (with severities from the configuration, and the ignores' own
    /// problems) and those suppressed (``Diagnostic/suppression`` set).
    public static func apply(_ diagnostics: [Diagnostic], file: SourceFile, root: YAMLNode?,
                             configuration: WFCConfiguration?) -> (active: [Diagnostic], suppressed: [Diagnostic]) {
        var (ignores, own) = inlineIgnores(file, root: root)
        if ignores.isEmpty && configuration == nil { return (diagnostics + own, []) }
        var active: [Diagnostic] = []
        var suppressed: [Diagnostic] = []
        for var d in diagnostics {
            guard WFCConfiguration.isConfigurable(d.code) else { active.append(d); continue }
            if !ignores.isEmpty, d.file == file.path {
                let line = file.lineIndex(of: d.primary.span.start)
                if let i = ignores.firstIndex(where: { $0.line == line && $0.codes.contains { $0.code == d.code } }) {
                    ignores[i].used.insert(d.code)
                    d.suppression = Suppression(kind: .inSource, justification: ignores[i].reason,
                                                location: SourceSpan(path: file.sourcePath, start: ignores[i].comment.start, end: ignores[i].comment.end))
                    suppressed.append(d)
                    continue
                }
            }
            if let config = configuration {
                if let rel = config.relativePath(d.file),
                   let ignore = config.ignores.first(where: { ($0.codes?.contains(d.code) ?? true) && $0.glob.matches(rel) }) {
                    d.suppression = Suppression(kind: .external, justification: ignore.reason, location: ignore.span)
                    suppressed.append(d)
                    continue
                }
                if let (level, span) = config.severities[d.code] {
                    switch level {
                    case .off:
                        d.suppression = Suppression(kind: .external, justification: "\(d.code) is off in \(config.file.path)", location: span)
                        suppressed.append(d)
                        continue
                    case .warning: d.severity = .warning
                    case .error: d.severity = .error
                    }
                }
            }
            active.append(d)
        }
        for ignore in ignores {
            let unused = ignore.codes.filter { !ignore.used.contains($0.code) }
            for (code, span) in unused {
                // Removing the comment is right only when none of its codes is used.
                let fix = unused.count == ignore.codes.count ? [removal(of: ignore.comment, in: file)] : []
                own.append(Diagnostic(UnusedIgnore(code: code.rawValue), at: span, fixIts: fix))
            }
        }
        return ((active + own).sortedForOutput(), suppressed.sortedForOutput())
    }

    /// The fix-it that deletes a comment: its whole line when alone on it, else the comment
    /// and the blanks before it.
    static func removal(of comment: YAMLComment, in file: SourceFile) -> FixIt {
        let bytes = file.bytes
        var start = comment.start
        var end = comment.end
        if comment.ownLine {
            start = file.lineStarts[file.lineIndex(of: comment.start)]
            if start > 0 {
                // The line break before the line goes with it (so the fix shows no line break at its end).
                start -= 1
                if start > 0 && bytes[start] == UInt8(ascii: "\n") && bytes[start - 1] == UInt8(ascii: "\r") { start -= 1 }
            } else {
                if end < bytes.count && bytes[end] == UInt8(ascii: "\r") { end += 1 }
                if end < bytes.count && bytes[end] == UInt8(ascii: "\n") { end += 1 }
            }
        } else {
            while start > 0 && (bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t")) { start -= 1 }
        }
        return FixIt("remove the unused ignore", replacing: SourceSpan(path: file.sourcePath, start: start, end: end), with: "")
    }

    /// The file's valid inline ignores, and the problems of the rest.
    static func inlineIgnores(_ file: SourceFile, root: YAMLNode?) -> ([InlineIgnore], [Diagnostic]) {
        var ignores: [InlineIgnore] = []
        var problems: [Diagnostic] = []
        let bytes = file.bytes
        let path = file.sourcePath
        func span(_ s: Int, _ e: Int) -> SourceSpan { SourceSpan(path: path, start: s, end: e) }
        func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        func isWord(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        }
        let word = Array(marker.utf8)
        for comment in YAMLComments.find(in: file, containing: marker, root: root) {
            var i = comment.start + 1
            let end = comment.end
            while i < end && isBlank(bytes[i]) { i += 1 }
            // Only a comment that starts with the marker is an ignore; one that mentions it is prose.
            guard end - i >= word.count, Array(bytes[i..<(i + word.count)]) == word else { continue }
            i += word.count
            if i < end && bytes[i] != UInt8(ascii: ":") {
                guard isBlank(bytes[i]) else { continue }  // `wfc-ignored`, `wfc-ignore-all`: not ours
                problems.append(Diagnostic(MalformedIgnore(problem: "a colon must follow wfc-ignore"), at: span(comment.start, end),
                                           fixIts: [FixIt("add the colon", replacing: span(i, i), with: ":")]))
                continue
            }
            if i >= end {
                problems.append(Diagnostic(MalformedIgnore(problem: "name the codes to ignore and say why"), at: span(comment.start, end)))
                continue
            }
            i += 1  // the colon
            var codes: [(DiagnosticCode, SourceSpan)] = []
            var sound = true
            while true {
                while i < end && isBlank(bytes[i]) { i += 1 }
                let s = i
                while i < end && isWord(bytes[i]) { i += 1 }
                if s == i {
                    problems.append(Diagnostic(MalformedIgnore(problem: codes.isEmpty ? "name the codes to ignore, e.g. `# wfc-ignore: WFC5010 reason`" : "a code must follow the comma"),
                                               at: span(comment.start, end)))
                    sound = false
                    break
                }
                let text = String(decoding: bytes[s..<i], as: UTF8.self)
                if let code = DiagnosticNames.code(for: text) {
                    if WFCConfiguration.isConfigurable(code) {
                        codes.append((code, span(s, i)))
                    } else {
                        problems.append(Diagnostic(SeverityNotConfigurable(code: code.rawValue), at: span(s, i)))
                    }
                } else {
                    problems.append(DiagnosticNames.unknown(text, at: span(s, i)))
                }
                var j = i
                while j < end && isBlank(bytes[j]) { j += 1 }
                guard j < end && bytes[j] == UInt8(ascii: ",") else { break }
                i = j + 1
            }
            guard sound else { continue }
            let reason = String(decoding: bytes[i..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if reason.isEmpty {
                problems.append(Diagnostic(IgnoreWithoutReason(), at: span(comment.start, end),
                                           help: "write why after the codes: `# wfc-ignore: \(codes.first?.0.rawValue ?? "WFC5010") 该角色由集团统一配置`"))
                continue
            }
            guard !codes.isEmpty else { continue }
            let line = file.lineIndex(of: comment.start) + (comment.ownLine ? 1 : 0)
            ignores.append(InlineIgnore(comment: comment, line: line, codes: codes, reason: reason))
        }
        return (ignores, problems)
    }
}

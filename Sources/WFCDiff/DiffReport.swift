import Foundation
import WFCDiagnostics
import WFCIR

/// `wfc diff`'s result for two versions of one policy, with its JSON and Markdown forms (the
/// text form is the changes' diagnostics, rendered by the front end).
public struct DiffReport: Sendable {
    /// The files as given on the command line.
    public var oldPath: String
    public var newPath: String
    public var old: WorkflowIR
    public var new: WorkflowIR
    public var changes: [PolicyChange]

    public init(oldPath: String, newPath: String, old: WorkflowIR, new: WorkflowIR) {
        self.oldPath = oldPath
        self.newPath = newPath
        self.old = old
        self.new = new
        self.changes = PolicyDiff(old: old, new: new).changes()
    }

    /// The strongest impact on running cases.
    public var impact: ChangeImpact { PolicyDiff.impact(of: changes) }

    /// True when some change needs a mapping or is unsafe: `wfc diff` then exits 1.
    public var affectsCases: Bool { impact != .none }

    /// How many changes have each impact.
    public var counts: [ChangeImpact: Int] {
        var c: [ChangeImpact: Int] = [:]
        for change in changes { c[change.impact, default: 0] += 1 }
        return c
    }

    /// One line for people: how many changes and the strongest impact.
    public var summary: String { summary(in: .en) }

    /// The summary line in `language`.
    public func summary(in language: DiagnosticLanguage) -> String {
        let zh = language == .zhCN
        if changes.isEmpty { return zh ? "制度的含义没有改变" : "no changes to the policy's meaning" }
        let c = counts
        if zh {
            let parts = ChangeImpact.allCases.reversed().compactMap { i in c[i].map { "\(i.phrase(in: language)) \($0)" } }
            return "\(changes.count) 处改动（\(parts.joined(separator: "，"))）；对进行中案件的影响：\(impact.phrase(in: language))"
        }
        let parts = ChangeImpact.allCases.reversed().compactMap { i in c[i].map { "\($0) \(i.phrase)" } }
        return "\(changes.count) change\(changes.count == 1 ? "" : "s") (\(parts.joined(separator: ", "))); impact on running cases: \(impact.phrase)"
    }

    // MARK: JSON

    struct JSONChange: Encodable {
        var code: String
        var kind: String
        var impact: String
        var message: String
        var reason: String
        var before: String?
        var after: String?
        var old: JSONPlace?
        var new: JSONPlace?
    }

    struct JSONPlace: Encodable {
        var file: String
        var line: Int
        var column: Int
        var start: Int
        var end: Int
    }

    struct JSONVersion: Encodable {
        var path: String
        var workflow: String
        var version: Int
        var hash: String?
    }

    struct JSONReport: Encodable {
        var old: JSONVersion
        var new: JSONVersion
        var impact: String
        var counts: [String: Int]
        var changes: [JSONChange]
    }

    /// The report as one JSON document (keys sorted; places as line:column and UTF-8 byte
    /// offsets in the file each version was read from). `message`, `reason`, `before` and
    /// `after` are in `language`; keys, codes, kinds and impacts are the same in every language.
    public func json(file: (_ irFile: String, _ old: Bool) -> String, language: DiagnosticLanguage = .en) -> String {
        func place(_ s: SpanIR?, old: Bool) -> JSONPlace? {
            s.map { JSONPlace(file: file($0.file, old), line: $0.line, column: $0.column, start: $0.start, end: $0.end) }
        }
        let report = JSONReport(
            old: JSONVersion(path: oldPath, workflow: old.id, version: old.version, hash: old.contentHash),
            new: JSONVersion(path: newPath, workflow: new.id, version: new.version, hash: new.contentHash),
            impact: impact.rawValue,
            counts: Dictionary(uniqueKeysWithValues: ChangeImpact.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
            changes: changes.map {
                let text = $0.texts(in: language)
                return JSONChange(code: $0.code.rawValue, kind: $0.kind.name, impact: $0.impact.rawValue, message: text.message,
                                  reason: text.reason, before: text.before, after: text.after,
                                  old: place($0.old, old: true), new: place($0.new, old: false))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: Markdown

    /// A review comment for a pull request: the impact first, then a table of the changes, in
    /// `language` (codes, ids, titles and places as they are).
    public func markdown(file: (_ irFile: String, _ old: Bool) -> String, language: DiagnosticLanguage = .en) -> String {
        let zh = language == .zhCN
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "&lt;")
        }
        func place(_ c: PolicyChange) -> String {
            if let n = c.new { return "`\(cell(file(n.file, false))):\(n.line)`" }
            if let o = c.old { return "`\(cell(file(o.file, true))):\(o.line)`" + (zh ? "（旧版本）" : " (old)") }
            return ""
        }
        let title = old.id == new.id ? "`\(cell(new.id))`" : "`\(cell(old.id))` → `\(cell(new.id))`"
        var s = (zh ? "## 制度变更：" : "## Policy change: ") + "\(title) \(cell(new.title))\n\n"
        s += (zh ? "版本 " : "Version ") + "\(old.version) → \(new.version)"
        func short(_ hash: String) -> String { String(hash.split(separator: ":").last ?? "").prefix(12).description }
        if let a = old.contentHash, let b = new.contentHash { s += zh ? "（`\(short(a))` → `\(short(b))`）" : " (`\(short(a))` → `\(short(b))`)" }
        s += zh ? "。\n\n**对进行中案件的影响：\(impact.phrase(in: language))。** " : ".\n\n**Impact on running cases: \(impact.phrase).** "
        if changes.isEmpty {
            s += zh ? "制度的含义没有改变。\n" : "No changes to the policy's meaning.\n"
        } else {
            let c = counts
            if zh {
                let parts = ChangeImpact.allCases.reversed().compactMap { i in c[i].map { "\(i.phrase(in: language)) \($0)" } }
                s += "共 \(changes.count) 处改动：\(parts.joined(separator: "，"))。\n"
            } else {
                let parts = ChangeImpact.allCases.reversed().compactMap { i in c[i].map { "\($0) \(i.phrase)" } }
                s += "\(changes.count) change\(changes.count == 1 ? "" : "s"): \(parts.joined(separator: ", ")).\n"
            }
        }
        guard !changes.isEmpty else { return s }
        s += zh ? "\n| 影响 | 改动 | 修改前 | 修改后 | 位置 | 代码 |\n" : "\n| impact | change | before | after | where | code |\n"
        s += "| --- | --- | --- | --- | --- | --- |\n"
        for c in changes {
            let phrase = c.impact.phrase(in: language)
            let mark = c.impact == .none ? phrase : "**\(phrase)**"
            let text = c.texts(in: language)
            s += "| \(mark) | \(cell(text.message)) — \(cell(text.reason)) | \(cell(text.before ?? "")) | \(cell(text.after ?? "")) | \(place(c)) | \(c.code) |\n"
        }
        return s
    }
}

extension DiffReport {
    /// Maps an IR file name (as spans give it) to the path each version was read from: the
    /// compiled sources of the old and the new version, which may share names.
    public static func displayPaths(old: [String], new: [String]) -> @Sendable (_ irFile: String, _ old: Bool) -> String {
        { irFile, isOld in
            let paths = isOld ? old : new
            return paths.first { $0 == irFile } ?? paths.first { $0.hasSuffix("/" + irFile) } ?? irFile
        }
    }
}

import Foundation
import WFCDiagnostics
import WFCDriver

/// ArgumentParser's usage errors and help in the user's language: `--lang` on the command
/// line, else the locale (LC_ALL, LC_MESSAGES, LANG). Only the library's fixed phrases are
/// translated here (wfc's own texts come from ``CLIText``); the names of options and arguments
/// stay as typed.
enum UsageText {
    /// The language usage errors and help are shown in (``CLIText/language`` of this process).
    static func language(_ arguments: [String], _ environment: [String: String]) -> DiagnosticLanguage {
        for (i, a) in arguments.enumerated() {
            if a == "--lang", i + 1 < arguments.count, let l = DiagnosticLanguage(tag: arguments[i + 1]) { return l }
            if a.hasPrefix("--lang="), let l = DiagnosticLanguage(tag: String(a.dropFirst(7))) { return l }
        }
        return .fromEnvironment(environment)
    }

    /// `(English pattern, Chinese template)`: `$1`, `$2` are the pattern's groups.
    static let zhCN: [(NSRegularExpression, String)] = [
        (#"^Error: Missing expected argument '(.*)'$"#, "错误：缺少参数 '$1'"),
        (#"^Error: Unknown option '(.*)'$"#, "错误：未知选项 '$1'"),
        (#"^Error: Unexpected argument '(.*)'$"#, "错误：多余的参数 '$1'"),
        (#"^Error: The value '(.*)' is invalid for '(.*)'$"#, "错误：'$1' 不是 '$2' 的有效值"),
        (#"^Error: Missing value for '(.*)'$"#, "错误：'$1' 缺少值"),
        (#"^Error: (.*)$"#, "错误：$1"),
        (#"^Help:  (.*)$"#, "说明：$1"),
        (#"^Usage: (.*)$"#, "用法：$1"),
        (#"^  See '(.*)' for more information\.$"#, "  运行 '$1' 查看说明。"),
    ].compactMap { pattern, template in (try? NSRegularExpression(pattern: pattern)).map { ($0, template) } }

    /// ArgumentParser's help words, whole lines or a line's fixed start or end: `(pattern,
    /// Chinese template)`. The texts between them (abstracts, discussions, option help) come
    /// from ``CLIText`` in the chosen language already.
    static let helpZhCN: [(NSRegularExpression, String)] = [
        (#"^OVERVIEW: "#, "概述："),
        (#"^USAGE: "#, "用法："),
        (#"^ARGUMENTS:$"#, "参数："),
        (#"^OPTIONS:$"#, "选项："),
        (#"^SUBCOMMANDS:$"#, "子命令："),
        (#"^  See '(.*)' for detailed help\.$"#, "  运行 '$1' 查看子命令的详细说明。"),
        (#"Show help information\.$"#, "显示帮助信息。"),
        (#"Show subcommand help information\.$"#, "显示子命令的帮助信息。"),
        (#"Show the version\.$"#, "显示版本号。"),
    ].compactMap { pattern, template in
        (try? NSRegularExpression(pattern: pattern, options: .anchorsMatchLines)).map { ($0, template) }
    }

    /// The library's `(values: …; default: …)` after an option's help, which it may have
    /// wrapped after any word.
    static let valuesAndDefault = try? NSRegularExpression(pattern: #"\((values|default):\s+([^()]*)\)"#)

    /// The column ArgumentParser starts option help at.
    static let helpColumn = 26

    /// Help in `language`: the library's headings, its `--help` and `--version` lines, the
    /// `See 'wfc help <subcommand>'` line and the `(values: …; default: …)` notes, which are
    /// put back on one line, or on lines of their own under the help when they do not fit
    /// within `columns`.
    static func localizedHelp(_ help: String, to language: DiagnosticLanguage, columns: Int = CLIText.columns) -> String {
        guard language == .zhCN else { return help }
        var text = help
        for (regex, template) in helpZhCN {
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        guard let regex = valuesAndDefault else { return text }
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            last = NSMaxRange(m.range)
            let words = ns.substring(with: m.range(at: 2)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let note: String
            if ns.substring(with: m.range(at: 1)) == "default" {
                note = "（默认：\(words)）"
            } else if let split = words.range(of: "; default: ") {
                note = "（可选值：\(words[..<split.lowerBound])；默认：\(words[split.upperBound...])）"
            } else {
                note = "（可选值：\(words)）"
            }
            while out.hasSuffix(" ") { out.removeLast() }
            let indent = String(repeating: " ", count: helpColumn)
            if out.hasSuffix("\n") { out += indent }
            let line = out[(out.lastIndex(of: "\n").map { out.index(after: $0) } ?? out.startIndex)...]
            if CLIText.displayWidth(line) + CLIText.displayWidth(note) <= columns {
                out += note
            } else {
                out += "\n" + CLIText.wrap(indent + note, width: columns, hangingIndent: 0)
            }
        }
        return out + ns.substring(from: last)
    }

    /// `message` with each line that is one of the library's phrases in `language`.
    static func localized(_ message: String, to language: DiagnosticLanguage) -> String {
        guard language == .zhCN else { return message }
        return message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            let range = NSRange(text.startIndex..., in: text)
            for (regex, template) in zhCN where regex.firstMatch(in: text, range: range) != nil {
                return regex.stringByReplacingMatches(in: text, range: range, withTemplate: template)
            }
            return text
        }.joined(separator: "\n")
    }
}

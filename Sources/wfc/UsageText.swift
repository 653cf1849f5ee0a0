import Foundation
import WFCDiagnostics

/// ArgumentParser's usage errors in the user's language: `--lang` on the command line, else
/// the locale (LC_ALL, LC_MESSAGES, LANG). Only the library's fixed phrases are translated; the
/// names of options and arguments stay as typed.
enum UsageText {
    /// The language a usage error is shown in.
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

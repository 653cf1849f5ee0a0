import Foundation
import Testing
import WFCDiagnostics
import WFCDriver

/// `wfc --help`, every command's help and the command line's own usage errors in the chosen
/// language (`--lang`, else the locale): the catalog (CLIText) and the built binary.
@Suite struct HelpLanguageTests {
    /// Help is wrapped to the terminal; tests read it at 80 columns.
    static let columns = ["COLUMNS": "80"]

    // MARK: - The catalog

    @Test func bothLanguagesHaveTheSameKeysAndSlots() {
        #expect(Set(CLIText.en.keys) == Set(CLIText.zhCN.keys),
                "only in en: \(Set(CLIText.en.keys).subtracting(CLIText.zhCN.keys).sorted()); only in zh-CN: \(Set(CLIText.zhCN.keys).subtracting(CLIText.en.keys).sorted())")
        for (key, english) in CLIText.en {
            #expect(!english.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(key) is empty in en")
            guard let chinese = CLIText.zhCN[key] else { continue }
            #expect(!chinese.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(key) is empty in zh-CN")
            #expect(Set(MessageTemplate(english).placeholders) == Set(MessageTemplate(chinese).placeholders),
                    "\(key): the slots differ: \(MessageTemplate(english).placeholders) vs \(MessageTemplate(chinese).placeholders)")
        }
    }

    @Test func slotsAreFilledAndAnUnknownKeyShowsItself() {
        #expect(CLIText.text("usage.today", in: .zhCN, ["today": "x"]) == "--today 必须是 YYYY-MM-DD 格式的日期，不能是 'x'")
        #expect(CLIText.text("usage.today", in: .en, ["today": "x"]) == "--today must be a date written YYYY-MM-DD, not 'x'")
        #expect(CLIText.text("no.such.key", in: .zhCN) == "no.such.key")
    }

    /// The keys `Sources/wfc` looks up (`CLIText.t("…")`, `CLIText.abstract("COMMAND")`,
    /// `CLIText.discussion("COMMAND")`, `help: .text("…")`): each is in the catalog, the catalog
    /// has no key nobody uses, and no help or usage error is written as an English literal
    /// beside them any more.
    @Test func everyKeyTheCommandLineUsesIsInTheCatalog() throws {
        let folder = CLI.packageRoot.appendingPathComponent("Sources/wfc")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20)
        let lookup = try NSRegularExpression(pattern: #"(CLIText\.t|CLIText\.abstract|CLIText\.discussion|help: \.text)\("([^"]+)""#)
        let literal = try NSRegularExpression(pattern: #"(help: "|ArgumentHelp\("|abstract: "|discussion: "|ValidationError\(")"#)
        var used: Set<String> = []
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            let ns = source as NSString
            for m in lookup.matches(in: source, range: NSRange(location: 0, length: ns.length)) {
                let call = ns.substring(with: m.range(at: 1))
                let name = ns.substring(with: m.range(at: 2))
                let key = call.hasSuffix("abstract") ? name + ".abstract" : call.hasSuffix("discussion") ? name + ".discussion" : name
                #expect(CLIText.en[key] != nil, "\(file.lastPathComponent) uses `\(key)`, which the catalog lacks")
                used.insert(key)
            }
            for m in literal.matches(in: source, range: NSRange(location: 0, length: ns.length)) {
                Issue.record("\(file.lastPathComponent): `\(ns.substring(with: m.range))…` is English only; put the text in CLIText")
            }
        }
        // Failures made by the driver carry their key (`CommandFailure(_:key:_:)`).
        let driver = CLI.packageRoot.appendingPathComponent("Sources/WFCDriver")
        let failureKey = try NSRegularExpression(pattern: #"CommandFailure\([^)]*key: "([^"]+)""#)
        for case let file as URL in try #require(FileManager.default.enumerator(at: driver, includingPropertiesForKeys: nil)) where file.pathExtension == "swift" {
            let source = try String(contentsOf: file, encoding: .utf8)
            let ns = source as NSString
            for m in failureKey.matches(in: source, range: NSRange(location: 0, length: ns.length)) {
                let key = ns.substring(with: m.range(at: 1))
                #expect(CLIText.en[key] != nil, "\(file.lastPathComponent) uses `\(key)`, which the catalog lacks")
                used.insert(key)
            }
        }
        #expect(used.count > 200)
        #expect(Set(CLIText.en.keys).subtracting(used).isEmpty, "unused keys: \(Set(CLIText.en.keys).subtracting(used).sorted())")
    }

    /// A command's abstract sits beside the 26-column names of its parent's list: in Chinese
    /// it fits the rest of an 80-column line.
    @Test func chineseAbstractsFitBesideTheNames() {
        for (key, text) in CLIText.zhCN where key.hasSuffix(".abstract") {
            #expect(CLIText.displayWidth(text) <= 54, "\(key) is \(CLIText.displayWidth(text)) columns: \(text)")
        }
    }

    @Test func chineseIsWrappedByColumnsAndKeepsWordsAndPunctuation() {
        let text = "导入以及所检查文件夹中的链接都必须位于此文件夹内（默认：包含该文件的仓库，向上按 .git 或 .wfc.yaml 查找；否则为文件所在的文件夹）。"
        let lines = CLIText.wrap(text, width: 30).split(separator: "\n").map(String.init)
        #expect(lines.count > 2)
        for line in lines {
            #expect(CLIText.displayWidth(line) <= 30, "\(line)")
            #expect(!line.hasPrefix("，") && !line.hasPrefix("。") && !line.hasPrefix("；") && !line.hasPrefix("）"), "\(line)")
            #expect(!line.hasSuffix("（"), "\(line)")
        }
        #expect(lines.joined().replacingOccurrences(of: " ", with: "") == text.replacingOccurrences(of: " ", with: ""))
        #expect(lines.contains { $0.contains(".wfc.yaml") } && lines.contains { $0.contains(".git") })
        // Indented lines (examples, table rows) continue further in; short lines are left alone.
        #expect(CLIText.wrap("  wfc expr 'days > 3' --decl days=int --vars vars.json", width: 30)
                == "  wfc expr 'days > 3' --decl\n    days=int --vars vars.json")
        #expect(CLIText.wrap("short\n\n  行", width: 30) == "short\n\n  行")
    }

    // MARK: - The binary

    @Test func checkHelpInChineseWithTheFlag() throws {
        let r = try CLI.run(["check", "--help", "--lang", "zh-CN"], env: Self.columns)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("概述：检查工作流文件，报告所有问题。\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n用法：wfc check [<options>] <path> ...\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n参数：\n  <path>                  要检查的文件或目录；- 表示读取标准输入。\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n选项：\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  --strict                同时报告没有追溯到任何条款的状态和规则（WFC5040）"), "\(r.stdout)")
        #expect(r.stdout.contains("  --max-depth <max-depth> 列表和映射的最大嵌套深度。（默认：256）\n"), "\(r.stdout)")
        #expect(r.stdout.contains("                          （可选值：human, json, sarif, github；默认：human）\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  -h, --help              显示帮助信息。\n"), "\(r.stdout)")
        for english in ["Check workflow files and report every problem.", "OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:",
                        "Show help information.", "(default:", "(values:", "Also report states"] {
            #expect(!r.stdout.contains(english), "`\(english)` in \(r.stdout)")
        }
    }

    @Test func caseFireHelpInChineseFromTheLocale() throws {
        let r = try CLI.run(["case", "fire", "--help"], env: Self.columns.merging(["LANG": "zh_CN.UTF-8"]) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("概述：向案件发送一个事件。\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n用法：wfc case fire [<options>] <id> <event> --as <person>\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\n选项：\n  --as <person>           发送事件的人。\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  <event>                 事件名（会签用 sign 和 unsign）。\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("Send an event to a case.") && !r.stdout.contains("OVERVIEW"), "\(r.stdout)")
        // --lang wins over the locale.
        let english = try CLI.run(["case", "fire", "--help", "--lang", "en"], env: Self.columns.merging(["LANG": "zh_CN.UTF-8"]) { $1 })
        #expect(english.stdout.hasPrefix("OVERVIEW: Send an event to a case.\n"), "\(english.stdout)")
    }

    /// Without a language, help is what it always was.
    @Test func englishHelpIsUnchanged() throws {
        let r = try CLI.run(["check", "--help"], env: Self.columns.merging(["LANG": "C"]) { $1 })
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("OVERVIEW: Check workflow files and report every problem.\n\nDirectories are searched recursively for *.yaml and *.yml files. Use - to read\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\nUSAGE: wfc check [<options>] <path> ...\n\nARGUMENTS:\n  <path>                  Files or directories to check; - reads standard input.\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\nOPTIONS:\n  --format <format>       Output format: human, json (JSON Lines), sarif (SARIF\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  --strict                Also report states and rules traced to no clause\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  --max-depth <max-depth> Deepest nesting of lists and mappings. (default: 256)\n"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("  -h, --help              Show help information.\n\n"), "\(r.stdout)")
        let root = try CLI.run(["--help"], env: Self.columns)
        #expect(root.stdout.contains("\nSUBCOMMANDS:\n  check                   Check workflow files and report every problem.\n"), "\(root.stdout)")
        #expect(root.stdout.contains("\n  See 'wfc help <subcommand>' for detailed help.\n"), "\(root.stdout)")
    }

    /// Every command (each abstract in the catalog names one) in Chinese: the catalog's
    /// abstract, the library's words translated, no English left of either, and no line (but
    /// the usage line, a list of option names) wider than the terminal.
    @Test func everyCommandsHelpIsChinese() throws {
        let commands = CLIText.en.keys.filter { $0.hasSuffix(".abstract") }.sorted()
        #expect(commands.count >= 33)
        for key in commands {
            let path = key == "wfc.abstract" ? [] : key.dropLast(".abstract".count).split(separator: ".").map(String.init)
            let r = try CLI.run(path + ["--help"], env: Self.columns.merging(["LANG": "zh_CN.UTF-8"]) { $1 })
            let zh = try #require(CLIText.zhCN[key])
            #expect(r.status == 0, "\(path): \(r.stderr)")
            #expect(r.stdout.hasPrefix("概述：" + zh.prefix(8)), "\(path): \(r.stdout)")
            #expect(r.stdout.contains("\n用法：wfc"), "\(path): \(r.stdout)")
            for english in [CLIText.en[key] ?? "", "OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "Show help information.",
                            "Show the version.", "for detailed help", "(default:", "(values:", "EXIT CODES"] {
                #expect(!r.stdout.contains(english), "\(path): `\(english)` in \(r.stdout)")
            }
            for line in r.stdout.split(separator: "\n") where !line.hasPrefix("用法：") {
                #expect(CLIText.displayWidth(line) <= 80, "\(path): \(line)")
            }
        }
    }

    @Test func usageErrorsOfTheCommandLineInChinese() throws {
        // No path: the library's error, with the argument's help from the catalog.
        let missing = try CLI.run(["check", "--lang", "zh-CN"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("错误：缺少参数 '<path> ...'\n说明：<path>  要检查的文件或目录；- 表示读取标准输入。\n用法：wfc check"), "\(missing.stderr)")
        // wfc's own checks (ValidationError).
        let today = try CLI.run(["check", "--today", "31.12.2025", "--lang", "zh-CN", "workflows"])
        #expect(today.status == 2)
        #expect(today.stderr.hasPrefix("错误：--today 必须是 YYYY-MM-DD 格式的日期，不能是 '31.12.2025'\n用法：wfc check"), "\(today.stderr)")
        let verify = try CLI.run(["case", "verify"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(verify.status == 2 && verify.stderr.hasPrefix("错误：请给出案件 id，或用 --all 校验所有案件\n"), "\(verify.stderr)")
        // A failure the command reports itself (CommandFailure).
        let explain = try CLI.run(["explain", "WFC9999", "--lang", "zh-CN"])
        #expect(explain.status == 2 && explain.stderr == "wfc: 未知的诊断代码 'WFC9999'；`wfc explain --list` 会列出所有代码\n", "\(explain.stderr)")
        // A failure the driver reports (finding the files), in Chinese and in English.
        let gone = try CLI.run(["check", "--lang", "zh-CN", "no/such/dir"])
        #expect(gone.status == 2 && gone.stderr.contains("没有这个文件或目录：no/such/dir"), "\(gone.stderr)")
        let goneEnglish = try CLI.run(["check", "no/such/dir"], env: ["LANG": "C"])
        #expect(goneEnglish.status == 2 && goneEnglish.stderr.contains("no such file or directory: no/such/dir"), "\(goneEnglish.stderr)")
        // English as before.
        let english = try CLI.run(["check", "--today", "31.12.2025", "workflows"], env: ["LANG": "C"])
        #expect(english.status == 2 && english.stderr.hasPrefix("Error: --today must be a date written YYYY-MM-DD, not '31.12.2025'\nUsage: wfc check"), "\(english.stderr)")
    }
}

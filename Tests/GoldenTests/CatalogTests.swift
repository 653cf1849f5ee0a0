import Foundation
import Testing
import WFCDiagnostics
import WFCDriver

/// The codes not yet translated, from `untranslated-codes.txt`.
enum Untranslated {
    static let codes: Set<DiagnosticCode> = {
        let url = Golden.root.appendingPathComponent("untranslated-codes.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }.map { DiagnosticCode(String($0)) })
    }()
}

/// The catalogs against each other and against the registry.
@Suite struct CatalogTests {
    static let en = DiagnosticCatalogs.en
    static let zh = DiagnosticCatalogs.zhCN
    static let codes = Set(WFCRegistry.shared.all.map(\.code))

    /// `WFC1003` of `WFC1003.label.first`; `common`/`render` for shared entries.
    static func owner(_ id: String) -> String { String(id.prefix { $0 != "." }) }

    @Test func theListIsReadAndNamesOnlyRealCodes() {
        #expect(!Untranslated.codes.isEmpty || Self.codes.allSatisfy { Self.zh["\($0).summary"] != nil })
        let unknown = Untranslated.codes.subtracting(Self.codes)
        #expect(unknown.isEmpty, "untranslated-codes.txt names codes that do not exist: \(unknown.map(\.rawValue).sorted())")
    }

    @Test func everyIdBelongsToACodeOrIsShared() {
        for id in Array(Self.en.keys) + Array(Self.zh.keys) {
            let o = Self.owner(id)
            #expect(o == "common" || o == "render" || Self.codes.contains(DiagnosticCode(o)), "\(id): no such code")
            let part = id.split(separator: ".").dropFirst().first.map(String.init) ?? ""
            let parts = DiagnosticLocalizer.Part.allCases.map(\.rawValue) + ["summary", "explanation", "phrase", "fix", "suppressed"]
            #expect(parts.contains(part), "\(id): unknown part `\(part)`")
        }
    }

    /// A catalog that misses an entry, or has an extra one, fails here.
    @Test func theChineseCatalogHasExactlyTheEnglishIds() {
        for id in Self.en.keys {
            let o = Self.owner(id)
            if Untranslated.codes.contains(DiagnosticCode(o)) { continue }
            #expect(Self.zh[id] != nil, "zh-CN misses \(id)")
        }
        for id in Self.zh.keys where !id.hasSuffix(".summary") && !id.hasSuffix(".explanation") {
            #expect(Self.en[id] != nil, "zh-CN has \(id), which the English catalog does not")
        }
    }

    @Test func everyTranslatedCodeIsCoveredAndEveryListedCodeIsMissing() {
        for code in Self.codes.sorted() {
            let ids = Set(Self.en.keys.filter { Self.owner($0) == code.rawValue } + Self.zh.keys.filter { Self.owner($0) == code.rawValue })
            if Untranslated.codes.contains(code) {
                // So the list can only shrink: a code that gets translated must leave it.
                #expect(ids.isEmpty, "\(code) is translated (\(ids.sorted().prefix(3))…): remove it from untranslated-codes.txt")
            } else {
                #expect(Self.en["\(code).message"] != nil || Self.en.keys.contains { $0.hasPrefix("\(code).message.") },
                        "\(code) has no message template")
                #expect(Self.zh["\(code).summary"] != nil && Self.zh["\(code).explanation"] != nil,
                        "\(code) has no Chinese summary and explanation for `wfc explain`")
            }
        }
    }

    @Test func placeholdersAgreeAndMatchUnambiguously() {
        for (id, english) in Self.en {
            let e = MessageTemplate(english)
            #expect(!e.isAmbiguous, "\(id): two placeholders with no text between them")
            guard let chinese = Self.zh[id] else { continue }
            #expect(Set(MessageTemplate(chinese).placeholders) == Set(e.placeholders), "\(id): placeholders differ")
        }
        for (id, text) in Self.zh where id.hasSuffix(".summary") || id.hasSuffix(".explanation") {
            #expect(!text.isEmpty && text != Self.en[id], "\(id) is empty")
        }
    }

    /// Each translated code appears, rendered in Chinese, in a zh-CN golden file (or is
    /// exempt from goldens: it cannot come from a YAML file).
    @Test func everyTranslatedCodeHasAChineseGolden() throws {
        var seen = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: Golden.root.path)
        while let rel = enumerator?.nextObject() as? String {
            guard rel.hasSuffix(".zh-CN.expected") else { continue }
            let text = try String(contentsOf: Golden.root.appendingPathComponent(rel), encoding: .utf8)
            for code in Self.codes where text.contains("[\(code)]") { seen.insert(code.rawValue) }
        }
        let missing = Self.codes.filter {
            !Untranslated.codes.contains($0) && !seen.contains($0.rawValue) && GoldenCoverage.exempt[$0] == nil
        }
        #expect(missing.isEmpty, "translated codes without a zh-CN golden: \(missing.map(\.rawValue).sorted())")
    }
}

/// Matching English texts and rendering them in Chinese.
@Suite struct LocalizerTests {
    @Test func aMessageIsMatchedWithItsArguments() {
        let found = DiagnosticLocalizer.identify("duplicate key \"title\" in this mapping", part: .message, code: "WFC1003")
        #expect(found?.id == "WFC1003.message")
        #expect(found?.arguments == ["key": "title"])
        #expect(DiagnosticLocalizer.translate("duplicate key \"title\" in this mapping", part: .message, code: "WFC1003", to: .zhCN)
                == "此映射中的键 \"title\" 重复")
    }

    @Test func proseArgumentsAreTranslatedButNamesAreNot() {
        let zh = DiagnosticLocalizer.translate("unknown key `titel` in state `review`", part: .message, code: "WFC2001", to: .zhCN)
        #expect(zh == "状态 `review`中有未知的键 `titel`")
        // A state called `signoff` stays `signoff`: only prose placeholders are translated.
        let name = DiagnosticLocalizer.translate("state `signoff` is unreachable from the start", part: .message, code: "WFC5002", to: .zhCN)
        #expect(name == "从开始无法到达状态 `signoff`")
    }

    /// Codes with no golden file (web forms, an unreadable plan version) and a message quoted
    /// in another one, translated by the quoted code's own entry.
    @Test func webFormsAndUnusableVersionsAreTranslated() {
        func zh(_ text: String, _ part: DiagnosticLocalizer.Part, _ code: DiagnosticCode) -> String? {
            DiagnosticLocalizer.translate(text, part: part, code: code, to: .zhCN)
        }
        #expect(zh("天数: `三` is not a whole number", .message, "WFC9022") == "天数：`三` 不是整数")
        #expect(zh("天数: `三` is not a number", .message, "WFC9022") == "天数：`三` 不是数字")
        #expect(zh("the form's CSRF token is not this session's", .message, "WFC9020") == "表单的 CSRF 令牌不属于此会话")
        #expect(zh("the old version `old/a.yaml` does not compile (1 error; `wfc check old/a.yaml`)", .message, "WFC8131")
                == "旧版本 `old/a.yaml` 编译不通过（1 个错误；`wfc check old/a.yaml`）")
        #expect(zh("WFC4002: Case has no field named 'x'.", .note, "WFC8131") == "WFC4002：案件没有名为 'x' 的字段。")
        #expect(zh("the plan does not say whether collected signatures still count (the sign-off of state `confirm` changed)", .message, "WFC8141")
                == "迁移计划没有说明已收集的签字是否仍然有效（状态 `confirm` 的会签已改变）")
    }

    @Test func anUnknownTextStaysEnglishAndIsReported() {
        let d = Diagnostic(severity: .error, code: "WFC5002", message: "something new", primary: Label(.unlocated, "never entered"))
        let zh = DiagnosticLocalizer.localize(d, to: .zhCN)
        #expect(zh.message == "something new")
        #expect(zh.primary.message == "永远不会进入")
        #expect(zh.code == d.code && zh.primary.span == d.primary.span)
        #expect(DiagnosticLocalizer.uncovered(d, in: .zhCN) == ["message: something new"])
    }

    @Test func englishIsTheSourceTextUnchanged() {
        let d = Diagnostic(severity: .error, code: "WFC5002", message: "anything", primary: Label(.unlocated, "x"))
        #expect(DiagnosticLocalizer.localize(d, to: .en) == d)
    }

    @Test(arguments: [
        (["LANG": "zh_CN.UTF-8"], DiagnosticLanguage.zhCN),
        (["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"], .zhCN),
        (["LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"], .en),
        (["LANG": "zh_TW.UTF-8"], .en),
        (["LC_ALL": "", "LANG": "zh_CN.GB18030"], .zhCN),
        ([:], .en),
    ])
    func theLocaleChoosesTheLanguage(_ env: [String: String], _ expected: DiagnosticLanguage) {
        #expect(DiagnosticLanguage.fromEnvironment(env) == expected)
    }

    @Test func theFlagWinsThenTheConfigurationThenTheLocale() throws {
        let zh = ["LANG": "zh_CN.UTF-8"]
        #expect(try LanguageSelection.resolve(flag: "en", configured: "zh-CN", environment: zh).get() == .en)
        #expect(try LanguageSelection.resolve(flag: nil, configured: "en", environment: zh).get() == .en)
        #expect(try LanguageSelection.resolve(flag: nil, configured: nil, environment: zh).get() == .zhCN)
        #expect(try LanguageSelection.resolve(flag: "zh_CN", environment: [:]).get() == .zhCN)
        guard case .failure(let unknown) = LanguageSelection.resolve(flag: "cn", environment: [:]) else {
            Issue.record("`cn` was accepted")
            return
        }
        #expect(unknown.diagnostic.code == "WFC0030")
    }
}

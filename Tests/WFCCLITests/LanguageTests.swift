import Foundation
import Testing

/// `--lang`, the locale and `lang:` in `.wfc.yaml`, through the real binary.
@Suite struct LanguageTests {
    /// A policy with a misspelt role (WFC3001, with a fix-it) under a Chinese title.
    static let policy = """
        workflow: demo
        version: 1
        title: 离职交接
        roles:
          handover: {title: 交接人}
          manager: {title: 部门负责人}
          witness: {title: 监交人}
        start: apply
        states:
          apply:
            title: 提交交接清单
            on: {submit: {by: handover, to: review}}
          review:
            title: 部门负责人审批
            on: {approve: {by: manger, to: done}}
          done: {final: completed}

        """

    static func repo(_ files: [String: String]) throws -> URL {
        try SuppressionTests.repo(files)
    }

    @Test func checkInChineseKeepsCodesAndCarets() throws {
        let dir = try Self.repo(["a.yaml": Self.policy])
        let r = try CLI.run(["check", "--lang", "zh-CN", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("a.yaml:15:24: error[WFC3001]: 未知的角色 `manger`"), "\(r.stdout)")
        // The caret sits under `manger`; the label after it is Chinese.
        #expect(r.stdout.contains("   |                        ^~~~~~ 不是已声明的角色"), "\(r.stdout)")
        #expect(r.stdout.contains("= help: 是不是要写 `manager`？"), "\(r.stdout)")
        #expect(r.stdout.contains("= fix: 改用已声明的角色: 把 `manger` 替换为 `manager`"), "\(r.stdout)")
        let english = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(english.stdout.contains("error[WFC3001]: unknown role `manger`"))
        #expect(english.status == r.status)
    }

    @Test func theLocaleChoosesWithoutAFlagAndTheFlagWins() throws {
        let dir = try Self.repo(["a.yaml": Self.policy])
        let zh = try CLI.run(["check", "a.yaml"], cwd: dir, env: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.stdout.contains("未知的角色 `manger`"), "\(zh.stdout)")
        let lcAll = try CLI.run(["check", "a.yaml"], cwd: dir, env: ["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
        #expect(lcAll.stdout.contains("未知的角色 `manger`"))
        let flag = try CLI.run(["check", "--lang", "en", "a.yaml"], cwd: dir, env: ["LC_ALL": "zh_CN.UTF-8"])
        #expect(flag.stdout.contains("unknown role `manger`"))
        let other = try CLI.run(["check", "a.yaml"], cwd: dir, env: ["LANG": "fr_FR.UTF-8"])
        #expect(other.stdout.contains("unknown role `manger`"))
    }

    @Test func theConfigurationsLangIsUsedBelowTheFlag() throws {
        let dir = try Self.repo(["a.yaml": Self.policy, ".wfc.yaml": "lang: zh-CN\n"])
        let r = try CLI.run(["check", "a.yaml"], cwd: dir)
        #expect(r.stdout.contains("未知的角色 `manger`"), "\(r.stdout)")
        let flag = try CLI.run(["check", "--lang", "en", "a.yaml"], cwd: dir)
        #expect(flag.stdout.contains("unknown role `manger`"))
    }

    @Test func jsonAndSarifCarryChineseMessagesWithTheSameCodes() throws {
        let dir = try Self.repo(["a.yaml": Self.policy])
        let en = try SuppressionTests.jsonLines(try CLI.run(["check", "--format", "json", "a.yaml"], cwd: dir).stdout)
        let zh = try SuppressionTests.jsonLines(try CLI.run(["check", "--format", "json", "--lang", "zh-CN", "a.yaml"], cwd: dir).stdout)
        #expect(en.map { $0["code"] as? String } == zh.map { $0["code"] as? String })
        #expect(en.map { ($0["start"] as? [String: Any])?["offset"] as? Int } == zh.map { ($0["start"] as? [String: Any])?["offset"] as? Int })
        #expect(zh.first?["message"] as? String == "未知的角色 `manger`")
        #expect((zh.first?["label"] as? String) == "不是已声明的角色")
        let fixes = zh.first?["fixes"] as? [[String: Any]]
        #expect(fixes?.first?["message"] as? String == "改用已声明的角色")

        let sarif = try CLI.run(["check", "--format", "sarif", "--lang", "zh-CN", "a.yaml"], cwd: dir)
        let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        let run = (log?["runs"] as? [[String: Any]])?.first
        let results = run?["results"] as? [[String: Any]] ?? []
        #expect(results.compactMap { $0["ruleId"] as? String }.sorted() == ["WFC3001"])
        let text = (results.first { $0["ruleId"] as? String == "WFC3001" }?["message"] as? [String: Any])?["text"] as? String
        #expect(text?.hasPrefix("未知的角色 `manger`") == true, "\(text ?? "")")
        let rules = ((run?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        let rule = rules.first { $0["id"] as? String == "WFC3001" }
        #expect((rule?["shortDescription"] as? [String: Any])?["text"] as? String == "使用了未声明的角色。")
    }

    @Test func explainInChinese() throws {
        let r = try CLI.run(["explain", "WFC5009", "--lang", "zh-CN"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("WFC5009 (unbounded-review-loop, warning): 审核循环没有上限，除了批准之外没有出路。"), "\(r.stdout)")
        #expect(r.stdout.contains("原文未规定退回次数上限"))
        let list = try CLI.run(["explain", "--list"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(list.stdout.contains("文件不是合法的 YAML。"))
        // Every code is translated, the store's and the service's too.
        let store = try CLI.run(["explain", "WFC7001", "--lang", "zh-CN"])
        #expect(store.stdout.hasPrefix("WFC7001 (unknown-case, error): 存储中没有这个 id 的案件。"), "\(store.stdout)")
        let service = try CLI.run(["explain", "WFC9003", "--lang", "zh-CN"])
        #expect(service.stdout.contains("没有 bearer 令牌，或令牌验证不通过。"), "\(service.stdout)")
    }

    @Test func anUnknownLangIsACodedUsageError() throws {
        let r = try CLI.run(["check", "--lang", "cn", "workflows/company-handover.yaml"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error[WFC0030]: `cn` is not a language of wfc's messages: write zh-CN or en"), "\(r.stderr)")
        let explain = try CLI.run(["explain", "WFC1003", "--lang", "fr"])
        #expect(explain.status == 2)
        #expect(explain.stderr.contains("[WFC0030]"))
        // The locale is no error: an unknown one is English.
        let locale = try CLI.run(["explain", "WFC1003"], env: ["LANG": "fr_FR.UTF-8"])
        #expect(locale.status == 0 && locale.stdout.contains("A mapping has the same key twice."))
    }
}

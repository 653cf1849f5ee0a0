/// Generates valid workflow files: Chinese titles, nested states, flow and block styles,
/// quoted guards, about 170 lines per file. Deterministic for a given number. The files are
/// live (the liveness proof has work to do, and passes): every reviewer may correct the data
/// its guards read, and a used-up round limit goes to HR.
enum Corpus {
    static let titles = ["提前申请", "交接准备", "交接审核", "交接执行", "监交确认", "人力资源部备案", "账号注销", "资产归还", "客户走访", "经理审批"]
    static let roles = ["handover", "receiver", "manager", "witness", "hr"]

    static func file(_ n: Int, states: Int = 14) -> String {
        var s = """
            # 工作交接管理制度 (generated #\(n))
            workflow: generated-\(n)
            version: 1
            title: 工作交接管理制度 \(n)
            source: 工作交接管理制度模板
            calendar: {id: cn-mainland, provisional: law}
            roles:
              handover: {title: 交接人}
              receiver: {title: 接交人}
              manager:  {title: 直接上级}
              witness:  {title: 监交人}
              hr:       {title: 人力资源部}
            separate: [[handover, receiver, witness, manager, hr]]
            case:
              reason:   {enum: [resignation, transfer, sick_leave, maternity_leave]}
              key_post: {type: bool, default: false}
              last_day: date
              notice_days: {type: int, default: 30}
              items:
                optional: true
                checklist:
                  name: string
                  kind: {enum: [document, progress, permission, equipment]}
            start: s0
            states:

            """
        for i in 0..<states {
            let title = titles[(i + n) % titles.count]
            let role = roles[(i + n) % roles.count]
            let next = i + 1 < states ? "s\(i + 1)" : "done"
            s += """
                  s\(i):
                    title: \(title)
                    clause: 四.\(i + 1)
                    max_rounds: {limit: 3, then: escalated, escalate: hr}
                    due: {within: \(i % 5 + 1) working days, overdue: {escalate: hr}}
                    fills: [notice_days, items]
                    requires: \(i + 1 == states ? "{all_done: items}" : "\"case.notice_days >= 0\"")
                    on:
                      approve:
                        by: \(role)
                        to: \(next)
                        when: "case.notice_days >= \(i + 3) && size(case.items) > 0"
                      reject: {by: manager, to: \(i == 0 ? "cancelled" : "s\(i - 1)"), title: '退回重新准备'}

                """
        }
        s += "  escalated:\n    title: 人力资源部决定\n    on:\n      resume: {by: hr, to: s\(states - 1)}\n      cancel: {by: hr, to: cancelled}\n"
        s += "  cancelled: {final: cancelled}\n  done: {final: completed}\n"
        return s
    }

    /// One workflow with `count` states in a chain, each with a guarded forward event and a
    /// reject back, for scaling measurements.
    static func big(_ count: Int) -> String {
        var s = """
            workflow: big-\(count)
            version: 1
            title: 大型流程 \(count)
            roles: {a: {title: 甲}, b: {title: 乙}}
            separate: [[a, b]]
            case: {n: {type: int, default: 0}}
            start: s0
            states:

            """
        s.reserveCapacity(count * 110)
        for i in 0..<count {
            let next = i + 1 < count ? "s\(i + 1)" : "done"
            let back = i == 0 ? "stop" : "s\(i - 1)"
            s += "  s\(i): {title: 步骤\(i), max_rounds: {limit: 2, then: stop}, fills: [n], on: {ok: {by: a, to: \(next), when: \"case.n > \(i % 97)\"}, back: {by: b, to: \(back)}}}\n"
        }
        s += "  stop: {final: cancelled}\n  done: {final: completed}\n"
        return s
    }
}

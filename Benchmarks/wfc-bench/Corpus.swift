/// Generates workflow-shaped YAML: Chinese titles, nested states, flow and block styles,
/// quoted guards, about 160 lines per file. Deterministic for a given seed.
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
            calendar: cn-mainland
            roles:
              handover: {title: 交接人}
              receiver: {title: 接交人}
              manager:  {title: 直接上级}
              witness:  {title: 监交人}
              hr:       {title: 人力资源部}
            separate: [[handover, receiver], [handover, witness]]
            case:
              reason:   {enum: [resignation, transfer, sick_leave, maternity_leave]}
              key_post: {type: bool, default: false}
              last_day: date
              notice_days: int
              items:
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
                    due: {within: \(i % 5 + 1) working days, overdue: {escalate: hr}}
                    on:
                      approve:
                        by: \(role)
                        to: \(next)
                        when: "case.notice_days >= \(i + 3) && size(case.items) > 0"
                      reject: {by: manager, to: s\(max(0, i - 1)), note: '退回重新准备'}

                """
        }
        s += "  done: {final: completed}\n"
        return s
    }
}

/// The inbox's own words in Chinese (the default) and English; a policy's titles and
/// messages are shown as written.
enum WebLanguage: String, Sendable {
    case zh = "zh-CN", en

    /// English when the browser prefers it to Chinese (`Accept-Language` with q-values);
    /// Chinese otherwise.
    static func from(acceptLanguage header: String?) -> WebLanguage {
        guard let header else { return .zh }
        var best: (WebLanguage, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = pieces.first else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            let lang: WebLanguage? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            if let lang, q > (best?.1 ?? 0) { best = (lang, q) }
        }
        return best?.0 ?? .zh
    }

    var text: [String: String] { self == .zh ? WebText.zh : WebText.en }

    /// The deadline as working days left: 还剩 2 个工作日 / 2 working days left.
    func daysLeft(_ n: Int?, overdue: Bool, dueLocal: String) -> String {
        guard let n else { return (self == .zh ? "截止 " : "due ") + dueLocal }
        if overdue || n < 0 {
            let late = max(-n, 0)
            if late == 0 { return self == .zh ? "已逾期" : "overdue" }
            return self == .zh ? "已逾期 \(late) 个工作日" : "overdue by \(late) working day\(late == 1 ? "" : "s")"
        }
        if n == 0 { return self == .zh ? "今天到期" : "due today" }
        return self == .zh ? "还剩 \(n) 个工作日" : "\(n) working day\(n == 1 ? "" : "s") left"
    }

    /// A task open to the visitor as a substitute (代理): 代 X 处理 / acting for X.
    func actingFor(_ person: String) -> String {
        self == .zh ? "代 \(person) 处理" : "acting for \(person)"
    }
}

enum WebText {
    static let zh: [String: String] = [
        "app": "工作流待办", "tasks": "我的待办", "sign_in": "登录", "sign_out": "退出登录", "token": "令牌（wfc token issue 或公司 JWT）",
        "dev_banner": "开发登录已开启（--dev-sign-in）：任何人都可以冒充任何人。只能在可信的电脑上使用。",
        "dev_sign_in": "开发登录：选择一个人", "person": "人员 ID", "as_admin": "管理员（admin 权限）",
        "test_clock": "测试时钟", "test_clock_now": "测试时钟当前时间", "advance_days": "向后拨（天）", "advance": "拨动时钟",
        "policy": "制度", "case": "案件", "step": "步骤", "may_do": "可以做", "deadline": "期限", "clause": "条款",
        "all_policies": "全部制度", "filter": "筛选", "no_tasks": "没有待办。", "signed_in_as": "当前用户",
        "open_tasks": "待办任务", "no_open_tasks": "这个案件没有你的待办。", "flow": "流程图", "active": "当前",
        "history": "历史记录", "verify": "校验记录", "verify_ok": "记录完整：哈希链和重放都一致", "verify_bad": "记录有问题",
        "events": "条事件", "sign": "签字", "unsign": "撤回签字", "signed": "已签", "missing": "待签",
        "signoff_mode_in_order": "依次签字", "signoff_mode_any": "或签（任一人签字即可）", "turn": "轮到", "added_signers": "加签",
        "position_before": "前加签", "position_after": "后加签", "position_parallel": "并加签",
        "add_row": "添加一行", "remove_row": "删除此行", "done": "完成", "refused": "被拒绝", "accepted": "已接受",
        "violation": "违规", "escalation": "升级", "who": "谁", "what": "做了什么", "when": "时间", "status": "状态",
        "people": "人员", "data": "数据", "error": "出错了", "back": "返回待办", "waiting_for": "等待",
        "language": "语言", "item": "项", "started": "发起", "tick": "计时器", "migrated": "迁移到新版本", "no_graphviz": "未安装 Graphviz：以列表显示各步骤",
        "skip": "跳到正文", "fields": "填写", "row": "行", "yes": "是",
        "overview": "人事总览", "cases_counted": "个案件", "partial": "只统计了最新的案件", "csv": "导出 CSV", "by_policy": "各制度的案件与步骤",
        "case_count": "案件数", "overdue_steps": "逾期的步骤", "none": "没有。", "overdue_since": "逾期自", "violations_by_clause": "各条款的违规（按月）",
        "total": "合计", "median_days": "各步骤用时中位数（工作日）", "median_note": "根据最新案件的历史记录计算", "median": "中位数", "times": "次数",
        "source": "原文", "rules": "规则（按条款）、假设与省略的条款", "rules_by_clause": "按条款的规则", "assumptions": "假设（原文未规定，请确认或删除）", "assumption": "假设", "untraced": "未注明条款或假设的规则", "omitted": "有意省略的条款", "reason": "原因", "policy_page": "制度说明",
        "draft": "制度草稿", "file_name": "文件名", "draft_yaml": "制度 YAML（粘贴）", "draft_upload": "或上传 YAML 文件", "check": "检查", "deploy": "部署",
        "diagnostics": "诊断", "draft_clean": "没有错误：可以部署。",
        "status_running": "进行中", "status_completed": "已完成", "status_rejected": "已驳回", "status_cancelled": "已取消", "status_withdrawn": "已撤回",
        "reassign": "转交", "reassign_role": "转交的角色", "reassign_to": "接手人（人员编号）", "reassign_reason": "原因（记入审计日志）",
        "reassign_whole": "余下流程都由接手人担任此角色", "reassign_submit": "转交", "act_as": "以此角色办理",
    ]
    static let en: [String: String] = [
        "app": "Workflow inbox", "tasks": "My tasks", "sign_in": "Sign in", "sign_out": "Sign out", "token": "Token (wfc token issue or the company JWT)",
        "dev_banner": "Development sign-in is on (--dev-sign-in): anyone can act as anyone. Use it only on a trusted laptop.",
        "dev_sign_in": "Development sign-in: pick a person", "person": "Person id", "as_admin": "Administrator (admin scope)",
        "test_clock": "Test clock", "test_clock_now": "Test clock time", "advance_days": "Move forward (days)", "advance": "Move the clock",
        "policy": "Policy", "case": "Case", "step": "Step", "may_do": "You may", "deadline": "Deadline", "clause": "Clause",
        "all_policies": "All policies", "filter": "Filter", "no_tasks": "No tasks.", "signed_in_as": "Signed in as",
        "open_tasks": "Open tasks", "no_open_tasks": "You have no task in this case.", "flow": "Flow", "active": "active",
        "history": "History", "verify": "Verify the record", "verify_ok": "The record is intact: the hash chain and the replay agree", "verify_bad": "The record has problems",
        "events": "events", "sign": "Sign", "unsign": "Withdraw signature", "signed": "Signed", "missing": "Waiting for",
        "signoff_mode_in_order": "In order", "signoff_mode_any": "Any one signs", "turn": "Turn of", "added_signers": "Added signers",
        "position_before": "before", "position_after": "after", "position_parallel": "alongside",
        "add_row": "Add a row", "remove_row": "Remove this row", "done": "Done", "refused": "refused", "accepted": "accepted",
        "violation": "Violation", "escalation": "Escalation", "who": "Who", "what": "What", "when": "When", "status": "Status",
        "people": "People", "data": "Data", "error": "Something went wrong", "back": "Back to my tasks", "waiting_for": "Waiting for",
        "language": "Language", "item": "item", "started": "started", "tick": "timers", "migrated": "migrated to a new version", "no_graphviz": "Graphviz is not installed: the steps as a list",
        "skip": "Skip to the content", "fields": "Fill in", "row": "Row", "yes": "yes",
        "overview": "HR overview", "cases_counted": "cases", "partial": "only the newest cases are counted", "csv": "Export CSV", "by_policy": "Cases by policy and step",
        "case_count": "Cases", "overdue_steps": "Overdue steps", "none": "None.", "overdue_since": "overdue since", "violations_by_clause": "Violations by clause (per month)",
        "total": "Total", "median_days": "Median working days per step", "median_note": "From the history of the newest cases", "median": "Median", "times": "Times",
        "source": "Source", "rules": "Rules by clause, assumptions and omitted clauses", "rules_by_clause": "Rules by clause", "assumptions": "Assumptions (not stated by the source: confirm or remove each)", "assumption": "Assumption", "untraced": "Rules with neither a clause nor an assumption", "omitted": "Clauses left out on purpose", "reason": "Reason", "policy_page": "About the policy",
        "draft": "Draft policy", "file_name": "File name", "draft_yaml": "Policy YAML (paste)", "draft_upload": "Or upload a YAML file", "check": "Check", "deploy": "Deploy",
        "diagnostics": "Diagnostics", "draft_clean": "No errors: it can be deployed.",
        "status_running": "running", "status_completed": "completed", "status_rejected": "rejected", "status_cancelled": "cancelled", "status_withdrawn": "withdrawn",
        "reassign": "Hand on (reassign)", "reassign_role": "Role handed on", "reassign_to": "Person who takes over (id)", "reassign_reason": "Reason (kept in the audit log)",
        "reassign_whole": "They hold this role for the rest of the case", "reassign_submit": "Hand on", "act_as": "Act as",
    ]
}

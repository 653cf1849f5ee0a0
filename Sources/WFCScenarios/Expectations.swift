import Foundation
import WFCIR
import WFCRuntime

/// Checking one `expect:` entry against a snapshot. Each check returns nil when the
/// expectation holds, else "expected …, got …".
extension ScenarioRunner {
    func check(_ e: Expectation, _ snap: CaseSnapshot, now: Date) -> String? {
        switch e.kind {
        case .state:
            let active = Show.activeStates(def, snap)
            let wanted = strings(e.value)
            let missing = wanted.filter { !active.contains($0) }
            return missing.isEmpty ? nil : "expected `\(missing.joined(separator: "`, `"))` to be active, got \(list(active))"
        case .states:
            let active = Show.activeStates(def, snap)
            return Set(active) == Set(strings(e.value)) ? nil : "expected active states \(list(strings(e.value).sorted())), got \(list(active.sorted()))"
        case .outcome:
            let want = ValueText.render(e.value)
            return snap.status.rawValue == want ? nil : "expected outcome `\(want)`, got `\(snap.status.rawValue)`"
        case .tasks:
            return checkTasks(e.value, Show.openTasks(def, snap, now: now))
        case .signatures:
            return checkSignatures(e.value, Show.pendingSignoffs(def, snap))
        case .escalations:
            return checkRecords(e.value, snap.escalations.map { ["state": .string($0.state), "to": .list(($0.roles + $0.people).map { .string($0) })] }, what: "escalation")
        case .reminders:
            return checkRecords(e.value, snap.reminders.map { ["state": .string($0.state), "to": .list(($0.roles + $0.people).map { .string($0) }), "count": .int($0.count)] }, what: "reminder")
        case .copies:
            return checkRecords(e.value, snap.copies.map { ["state": .string($0.state), "on": .string($0.on.rawValue), "to": .list(($0.roles + $0.people).map { .string($0) })] }, what: "copy")
        case .violations:
            return checkRecords(e.value, snap.violations.map { ["state": .string($0.state), "message": .string($0.message), "clause": .string($0.clause ?? "")] }, what: "violation")
        case .data:
            guard case .map(let want) = e.value else { return "`data` expects a mapping of fields to values" }
            var problems: [String] = []
            for (k, v) in want.sorted(by: { $0.key < $1.key }) {
                let actual = snap.data[k] ?? .null
                if !ValueText.matches(v, actual) { problems.append("`\(k)` = \(ValueText.render(v)), got \(ValueText.render(actual))") }
            }
            return problems.isEmpty ? nil : "expected " + problems.joined(separator: "; ")
        case .due:
            guard case .map(let want) = e.value else { return "`due` expects a mapping of states to times" }
            let deadlines = Show.deadlines(def, snap, now: now)
            var problems: [String] = []
            for (state, v) in want.sorted(by: { $0.key < $1.key }) {
                let text = ValueText.render(v)
                guard let d = deadlines.first(where: { $0.state == state && !$0.fired }) else {
                    problems.append("`\(state)` to have an open deadline, got none"); continue
                }
                if !dueMatches(text, d.due.date, wait: d.kind == .wait) { problems.append("`\(state)` due \(text), got \(iso(d.due.date))") }
            }
            return problems.isEmpty ? nil : "expected " + problems.joined(separator: "; ")
        case .checklists:
            guard case .map(let want) = e.value else { return "`checklists` expects a mapping such as `{items: 2/3}`" }
            let actual = Show.checklists(def, snap)
            var problems: [String] = []
            for (field, v) in want.sorted(by: { $0.key < $1.key }) {
                let got = actual.first { $0.field == field }.map { "\($0.done)/\($0.total)" } ?? "no checklist"
                if ValueText.render(v) != got { problems.append("`\(field)` \(ValueText.render(v)), got \(got)") }
            }
            return problems.isEmpty ? nil : "expected " + problems.joined(separator: "; ")
        }
    }

    /// `tasks: {review: [wang.wu]}`, `tasks: [review]` or `tasks: {review: {events: [approve], people: [wang.wu]}}`;
    /// the open tasks must be exactly those named.
    private func checkTasks(_ value: ValueIR, _ tasks: [Show.Task]) -> String? {
        var byState: [String: (events: Set<String>, people: Set<String>, roles: Set<String>)] = [:]
        for t in tasks {
            var e = byState[t.state] ?? ([], [], [])
            e.events.formUnion(t.events); e.people.formUnion(t.people); e.roles.formUnion(t.roles)
            byState[t.state] = e
        }
        let actualText = byState.keys.sorted().map { "\($0) (\(byState[$0]?.people.sorted().joined(separator: ", ") ?? ""))" }
        var want: [String: ValueIR] = [:]
        switch value {
        case .list(let names): for n in names { want[ValueText.render(n)] = .null }
        case .map(let m): want = m
        case .string(let s): want[s] = .null
        default: return "`tasks` expects a list of states or a mapping of states to people"
        }
        if Set(want.keys) != Set(byState.keys) {
            return "expected open tasks \(list(want.keys.sorted())), got \(list(actualText))"
        }
        var problems: [String] = []
        for (state, v) in want.sorted(by: { $0.key < $1.key }) {
            guard let got = byState[state] else { continue }
            var people: [String]?, events: [String]?, roles: [String]?
            switch v {
            case .null: break
            case .map(let m):
                people = m["people"].map(strings); events = m["events"].map(strings); roles = m["roles"].map(strings)
            default: people = strings(v)
            }
            if let people, Set(people) != got.people { problems.append("`\(state)` open to \(list(people.sorted())), got \(list(got.people.sorted()))") }
            if let events, Set(events) != got.events { problems.append("`\(state)` to accept \(list(events.sorted())), got \(list(got.events.sorted()))") }
            if let roles, Set(roles) != got.roles { problems.append("`\(state)` open to roles \(list(roles.sorted())), got \(list(got.roles.sorted()))") }
        }
        return problems.isEmpty ? nil : "expected " + problems.joined(separator: "; ")
    }

    /// `signatures: {execute: [zhang.san]}` (who has signed) or `{execute: {signed: […], missing: […]}}`.
    private func checkSignatures(_ value: ValueIR, _ pending: [Show.PendingSignoff]) -> String? {
        guard case .map(let want) = value else { return "`signatures` expects a mapping of sign-off states to the people who signed" }
        var problems: [String] = []
        for (state, v) in want.sorted(by: { $0.key < $1.key }) {
            guard let p = pending.first(where: { $0.state == state }) else {
                problems.append("`\(state)` to be an active sign-off, got none"); continue
            }
            let signed = p.signed.map(\.person)
            var wantSigned: [String]?, wantMissing: [String]?
            if case .map(let m) = v {
                wantSigned = m["signed"].map(strings); wantMissing = m["missing"].map(strings)
            } else {
                wantSigned = strings(v)
            }
            if let w = wantSigned, Set(w) != Set(signed) { problems.append("`\(state)` signed by \(list(w.sorted())), got \(list(signed.sorted()))") }
            if let w = wantMissing, Set(w) != Set(p.missing) { problems.append("`\(state)` still to be signed by \(list(w.sorted())), got \(list(p.missing.sorted()))") }
        }
        return problems.isEmpty ? nil : "expected " + problems.joined(separator: "; ")
    }

    /// A count, or a list of records (a text matches a record's message or state; a mapping
    /// matches the named fields, texts by substring, `to` as a subset).
    private func checkRecords(_ value: ValueIR, _ actual: [[String: ValueIR]], what: String) -> String? {
        let summary = actual.map { r in ValueText.render(r["state"] ?? .null) + (r["message"].map { ": " + ValueText.render($0) } ?? "") }
        if case .int(let n) = value {
            return n == actual.count ? nil : "expected \(n) \(what)(s), got \(actual.count) \(list(summary))"
        }
        guard case .list(let want) = value else { return "`\(what)s` expects a count or a list" }
        if want.count != actual.count { return "expected \(want.count) \(what)(s), got \(actual.count) \(list(summary))" }
        var remaining = actual
        for w in want {
            guard let i = remaining.firstIndex(where: { recordMatches(w, $0) }) else {
                return "expected \(what.first.map { "aeiou".contains($0) } == true ? "an" : "a") \(what) matching \(ValueText.render(w)), got \(list(summary))"
            }
            remaining.remove(at: i)
        }
        return nil
    }

    private func recordMatches(_ want: ValueIR, _ record: [String: ValueIR]) -> Bool {
        switch want {
        case .string(let s):
            return record.values.contains { ValueText.render($0).contains(s) }
        case .map(let m):
            return m.allSatisfy { k, v in
                guard let got = record[k] else { return false }
                if k == "to" {
                    return Set(strings(v)).isSubset(of: Set(strings(got)))
                }
                return ValueText.render(got).contains(ValueText.render(v))
            }
        default:
            return false
        }
    }

    /// A bare date matches a deadline that ends on that day (due in `(start, end]` of the day:
    /// 24:00 belongs to the day it ends) or a wait that ends on it (`[start, end)`: a wait until a
    /// date ends at its 00:00); a time must match exactly.
    private func dueMatches(_ text: String, _ due: Date, wait: Bool) -> Bool {
        if let day = CalendarDate(parsing: text) {
            var g = Calendar(identifier: .gregorian)
            g.timeZone = timeZone
            guard let start = g.date(from: DateComponents(year: day.year, month: day.month, day: day.day)),
                  let end = g.date(byAdding: .day, value: 1, to: start) else { return false }
            return wait ? due >= start && due < end : due > start && due <= end
        }
        return ClockText.parse(text, timeZone: timeZone) == due
    }

    private func strings(_ v: ValueIR) -> [String] {
        if case .list(let items) = v { return items.map(ValueText.render) }
        return [ValueText.render(v)]
    }

    private func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}

/// Values as short text for messages, and loose comparison of expected and actual values.
public enum ValueText {
    /// Strings bare, everything else JSON-like with sorted keys.
    public static func render(_ v: ValueIR) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return s
        case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.keys.sorted().map { "\($0): \(render(m[$0] ?? .null))" }.joined(separator: ", ") + "}"
        }
    }

    /// Equal, with ints and doubles compared by value and maps compared on the expected keys
    /// (so an expected checklist item need not repeat every field).
    public static func matches(_ expected: ValueIR, _ actual: ValueIR) -> Bool {
        switch (expected, actual) {
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return a == Double(b)
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy(matches)
        case (.map(let a), .map(let b)): return a.allSatisfy { k, v in matches(v, b[k] ?? .null) }
        default: return expected == actual
        }
    }
}

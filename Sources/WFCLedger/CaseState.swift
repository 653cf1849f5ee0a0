import Foundation
import WFCIR
import WFCRuntime

/// The row form of a snapshot: what the case row, the timers and the task index hold for it.
/// Every backend stores exactly these values; verify recomputes them from the replay.
struct CaseState: Sendable {
    var version: Int
    var status: String
    var active: [String]
    var activeJSON: String
    var snapshotJSON: String
    var snapshotHash: String
    var updatedAt: String
    var nextDue: String?
    var timers: [Show.Deadline]
    var timersChanged = true

    init(_ def: Definition, _ snap: CaseSnapshot) throws(StoreError) {
        let data: [UInt8]
        do { data = try snap.canonicalJSON() } catch { throw .invalidArgument("the snapshot does not encode: \(error)") }
        version = snap.version
        status = snap.status.rawValue
        active = Show.activeStates(def, snap)
        activeJSON = try CanonicalJSON.encode(active)
        snapshotJSON = String(decoding: data, as: UTF8.self)
        snapshotHash = HashChain.sha256(data)
        updatedAt = snap.updatedAt.description
        timers = snap.status == .running ? Show.deadlines(def, snap, now: snap.updatedAt.date) : []
        // Reminders wake the case too (they have no timer row).
        let reminders = snap.status == .running ? Show.reminders(def, snap).first?.due : nil
        nextDue = (timers.filter { !$0.fired }.map(\.due) + (reminders.map { [$0] } ?? [])).min()?.description
    }

    var columns: CaseColumns {
        CaseColumns(version: version, status: status, active: activeJSON, snapshot: snapshotJSON, updatedAt: updatedAt, nextDue: nextDue)
    }

    var timerRows: [TimerRow] { timers.map(Self.row) }

    static func row(_ t: Show.Deadline) -> TimerRow {
        TimerRow(state: t.state, kind: t.kind.rawValue, due: t.due.description, fired: t.fired)
    }

    static func timerRows(_ def: Definition, _ snap: CaseSnapshot) -> [TimerRow] {
        guard snap.status == .running else { return [] }
        return Show.deadlines(def, snap, now: snap.updatedAt.date).map(row)
    }

    /// The task index rows: every person who may act on an open task, one row per role, with
    /// the state's unfired deadline. None once the case is finished.
    func taskRows(_ def: Definition, _ snap: CaseSnapshot) -> [TaskRow] {
        guard snap.status == .running else { return [] }
        var rows: [TaskRow] = []
        for t in Show.openTasks(def, snap, now: snap.updatedAt.date) {
            let due = timers.filter { $0.state == t.state && $0.kind == .deadline && !$0.fired }.map(\.due).min()?.description
            // A role assigned later (`assign:`) has nobody to list yet.
            for (role, person) in zip(t.roles, t.people) where !person.isEmpty {
                rows.append(TaskRow(person: person, role: role, state: t.state, title: t.title, item: t.item, events: t.events, due: due))
            }
        }
        return rows
    }

    func outcome(accepted: Bool) -> EventOutcome {
        EventOutcome(result: accepted ? "accepted" : "refused", version: version, status: status, active: active, snapshotHash: snapshotHash, refusal: nil)
    }
}

extension Effect {
    /// The outbox kind of the effect: its case name.
    var outboxKind: String {
        switch self {
        case .taskOpened: "taskOpened"
        case .escalation: "escalation"
        case .violation: "violation"
        case .caseFinished: "caseFinished"
        case .reminder: "reminder"
        case .copied: "copied"
        }
    }
}

/// The outbox entries of an accepted step: one per effect, with a stable unique id.
func outboxEntries(_ step: Step, _ audit: AuditEvent) throws(StoreError) -> [OutboxEntry] {
    var out: [OutboxEntry] = []
    for (i, e) in step.effects.enumerated() {
        out.append(OutboxEntry(id: "\(audit.caseID):\(audit.seq):\(i)", caseID: audit.caseID, seq: audit.seq, kind: e.outboxKind,
                               payload: try CanonicalJSON.encode(e), attempts: 0, createdAt: audit.time))
    }
    return out
}

extension Ledger {
    /// The task index rows of a snapshot, as each step writes them: for a repository migration
    /// that builds the index of cases stored before it existed.
    public static func taskIndex(_ def: Definition, _ snap: CaseSnapshot) throws(StoreError) -> [TaskRow] {
        try CaseState(def, snap).taskRows(def, snap)
    }
}

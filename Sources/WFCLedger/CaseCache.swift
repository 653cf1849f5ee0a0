import Synchronization
import WFCIR
import WFCRuntime

/// A case as the ledger last recorded it: the snapshot, its row form (snapshot JSON, active
/// states, timers, task rows) and the chain head. The next step of the case starts from it
/// instead of decoding the snapshot JSON it has just written, and does not derive the previous
/// timers and task rows again: a step that leaves them as they were does not rewrite them.
struct CachedCase: Sendable {
    var snapshot: CaseSnapshot
    var state: CaseState
    var headSeq: Int
    var headHash: String
    /// The task index rows (and so `next_due`) this ledger wrote for this head; nil when it did
    /// not write them (a refusal stepped from a case read from the store): the next accepted
    /// step writes both whatever they are.
    var taskRows: [TaskRow]?
    /// The case was found written by another ledger since this one cached it: its steps read
    /// the store first (``Ledger/fire(_:_:now:)`` otherwise trusts the entry).
    var readFirst = false
}

/// The ledger's ``CachedCase``s by case id, bounded. An entry is only a hint: ``Ledger/loadKnown(_:)``
/// uses it only when the case row still matches it exactly.
final class CaseCache: Sendable {
    private let entries = Mutex<[String: CachedCase]>([:])
    let limit: Int

    init(limit: Int = 4096) { self.limit = max(1, limit) }

    func lookup(_ caseID: String) -> CachedCase? { entries.withLock { $0[caseID] } }

    /// Keeps `c` for its case, unless it cannot stand for the decoded snapshot (see
    /// ``roundTripsExactly(_:)``) or the cache holds a later head of the case (two steps of one
    /// case committed by concurrent callers may report in either order).
    func remember(_ caseID: String, _ c: CachedCase) {
        guard Self.roundTripsExactly(c.snapshot) else {
            entries.withLock { _ = $0.removeValue(forKey: caseID) }
            return
        }
        entries.withLock { e in
            var c = c
            if let old = e[caseID] {
                if old.headSeq > c.headSeq { return }
                c.readFirst = c.readFirst || old.readFirst
            }
            if e[caseID] == nil, e.count >= limit { e.remove(at: e.startIndex) }
            e[caseID] = c
        }
    }

    /// The entry of `caseID` was stale: its steps read the store first from now on.
    func markReadFirst(_ caseID: String) {
        entries.withLock { e in e[caseID]?.readFirst = true }
    }

    /// Whether decoding the snapshot's JSON gives back this very snapshot, so that the cached value
    /// is what the next step would otherwise decode (and what verify's replay continues from).
    /// Every field of a snapshot is text, an integer, a boolean, a time in whole seconds or a
    /// structure of them, which JSON keeps exactly — except a floating-point case value: a
    /// double with an integral value is written as `2` and reads back as the integer 2. A
    /// snapshot holding any double is therefore not cached; its next step decodes, as before.
    static func roundTripsExactly(_ s: CaseSnapshot) -> Bool {
        s.data.values.allSatisfy(noDouble) && noDouble(s.root)
    }

    static func noDouble(_ r: RegionInstance) -> Bool {
        if let v = r.itemValue, !noDouble(v) { return false }
        return r.active.map { $0.children.allSatisfy(noDouble) } ?? true
    }

    static func noDouble(_ v: ValueIR) -> Bool {
        switch v {
        case .double: false
        case .null, .bool, .int, .string: true
        case .list(let l): l.allSatisfy(noDouble)
        case .map(let m): m.values.allSatisfy(noDouble)
        }
    }
}

import Synchronization
import WFCIR

/// One thing a way out of a state needs: a conjunct of a guard or of a requirement, read
/// abstractly. The liveness proof never evaluates it; it asks only who can change what it
/// reads, and whether time alone can make it true or false.
struct Condition {
    /// How the passing of time changes the condition's value when nothing else changes.
    enum Trend: Sendable {
        /// It does not read `now` or `today`.
        case timeless
        /// Once true it stays true, and time makes it true (`today >= case.last_day`).
        case eventuallyTrue
        /// Time can make it false for good (`today <= case.last_day`).
        case expiring
        /// It reads the time in a form the proof does not read.
        case unknown
    }

    /// The fact id: equal texts (blanks removed) are one fact; `all_done: F` and
    /// `case.F.all(x, x.done)` are one fact.
    var token: Int
    /// As the author wrote it.
    var text: String
    /// Case fields it reads, by id.
    var fields: [Int]
    /// It reads a foreach item, which nothing can change.
    var readsItem: Bool
    var trend: Trend
    var span: SpanIR
}

/// The conditions of a workflow, each conjunct interned once.
struct ConditionTable {
    private(set) var conditions: [Condition] = []
    /// For each fact token, the fields it reads (to forget the fact when one of them changes).
    private(set) var tokenFields: [[Int]] = []
    private var tokens: [String: Int] = [:]
    private let fieldIDs: [String: Int]

    init(_ ir: WorkflowIR) {
        var ids: [String: Int] = [:]
        for f in ir.fields where ids[f.name] == nil { ids[f.name] = f.id }
        fieldIDs = ids
    }

    /// The conditions of a requirement.
    mutating func requirement(_ r: RequirementIR, aliases: [String], fieldName: (Int) -> String) -> [Int] {
        switch r {
        case .expression(let e, _): return expression(e, aliases: aliases)
        case .allDone(let field, let span, _):
            let name = fieldName(field)
            return [add(key: "all_done:" + name, text: "all_done: \(name)", fields: [field], readsItem: false, trend: .timeless, span: span)]
        }
    }

    /// The conjuncts of an expression.
    mutating func expression(_ e: ExprIR, aliases: [String]) -> [Int] {
        let parts = Self.conjuncts(of: e.source)
        return parts.map { c in
            if let field = c.allDoneField, let id = fieldIDs[field] {
                return add(key: "all_done:" + field, text: parts.count == 1 ? e.source : c.text, fields: [id], readsItem: false, trend: .timeless, span: e.span)
            }
            let fields = c.fieldNames.compactMap { fieldIDs[$0] }
            let item = !aliases.isEmpty && aliases.contains { Self.mentions(c.text, $0) }
            return add(key: c.text, text: parts.count == 1 ? e.source : c.text, fields: fields, readsItem: item, trend: c.trend, span: e.span)
        }
    }

    /// What the proof reads off one conjunct's text; the same for every workflow.
    struct Conjunct: Sendable {
        var text: String
        var allDoneField: String?
        var fieldNames: [String]
        var trend: Condition.Trend
    }

    /// Conjuncts by expression text, shared by every file a process checks (policies repeat
    /// their guards); bounded like the expression table.
    private static let cache = Mutex<[String: [Conjunct]]>([:])
    private static let cacheLimit = 50_000

    static func conjuncts(of source: String) -> [Conjunct] {
        if let hit = cache.withLock({ $0[source] }) { return hit }
        let parts = GuardAtoms(source).conjuncts.map { c in
            Conjunct(text: c, allDoneField: allDoneField(c), fieldNames: MaybeUnfilled.reads(c), trend: trend(c))
        }
        cache.withLock { table in
            if table.count >= cacheLimit { table.removeAll(keepingCapacity: true) }
            table[source] = parts
        }
        return parts
    }

    private mutating func add(key: String, text: String, fields: [Int], readsItem: Bool, trend: Condition.Trend, span: SpanIR) -> Int {
        // Each place is its own condition; the same text elsewhere shares the fact token.
        let token: Int
        if let t = tokens[key] {
            token = t
        } else {
            token = tokenFields.count
            tokens[key] = token
            tokenFields.append(fields.sorted())
        }
        conditions.append(Condition(token: token, text: text, fields: fields.sorted(), readsItem: readsItem, trend: trend, span: span))
        return conditions.count - 1
    }

    /// `case.F.all(x, x.done)` → `F`.
    static func allDoneField(_ compact: String) -> String? {
        guard compact.hasPrefix("case."), let r = compact.range(of: ".all(") else { return nil }
        let name = String(compact[compact.index(compact.startIndex, offsetBy: 5)..<r.lowerBound])
        return GuardAtoms.isAllDone(compact, name) ? name : nil
    }

    /// Whether `text` uses the name `word` on its own (not after a `.`, not inside a longer name).
    static func mentions(_ text: String, _ word: String) -> Bool {
        let t = Array(text.utf8), w = Array(word.utf8)
        guard !w.isEmpty, t.count >= w.count else { return false }
        func isWord(_ b: UInt8) -> Bool { b >= 0x80 || b == 0x5F || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        var quote: UInt8 = 0
        var i = 0
        while i + w.count <= t.count {
            let c = t[i]
            if quote != 0 {
                if c == 0x5C { i += 2; continue }
                if c == quote { quote = 0 }
                i += 1
                continue
            }
            if c == 0x27 || c == 0x22 { quote = c; i += 1; continue }
            if t[i..<i + w.count].elementsEqual(w) {
                let before: UInt8 = i > 0 ? t[i - 1] : 0x20
                let after: UInt8 = i + w.count < t.count ? t[i + w.count] : 0x20
                if !isWord(before) && before != 0x2E && !isWord(after) { return true }
            }
            i += 1
        }
        return false
    }

    static func readsTime(_ text: String) -> Bool { mentions(text, "today") || mentions(text, "now") }

    /// How time moves a conjunct written without blanks (see ``Condition/Trend``).
    static func trend(_ c: String) -> Condition.Trend {
        guard readsTime(c) else { return .timeless }
        for op in [">=", "<=", "==", "!=", ">", "<"] {
            let parts = GuardAtoms.splitTopLevel(c, on: op)
            guard parts.count == 2 else { continue }
            guard let l = direction(parts[0]), let r = direction(parts[1]) else { return .unknown }
            let d = l - r
            if d == 0 { return .unknown }
            switch op {
            case "==": return .expiring
            case "!=": return .eventuallyTrue
            case ">=", ">": return d > 0 ? .eventuallyTrue : .expiring
            default: return d < 0 ? .eventuallyTrue : .expiring
            }
        }
        return .unknown
    }

    /// +1 when the expression grows with time, -1 when it shrinks, 0 when it does not read the
    /// time; nil when the proof cannot tell.
    static func direction(_ raw: String) -> Int? {
        var e = raw
        while e.hasPrefix("("), e.hasSuffix(")"), GuardAtoms.splitTopLevel(e, on: ",").count == 1 { e = String(e.dropFirst().dropLast()) }
        guard readsTime(e) else { return 0 }
        if e == "today" || e == "now" { return 1 }
        let plus = GuardAtoms.splitTopLevel(e, on: "+")
        if plus.count > 1 { return sum(plus.map(direction)) }
        let minus = GuardAtoms.splitTopLevel(e, on: "-")
        if minus.count > 1, !minus[0].isEmpty {
            var ds = minus.map(direction)
            for i in ds.indices.dropFirst() { ds[i] = ds[i].map { -$0 } }
            return sum(ds)
        }
        guard let open = e.firstIndex(of: "("), e.hasSuffix(")") else { return nil }
        let name = String(e[..<open])
        let args = GuardAtoms.splitTopLevel(String(e[e.index(after: open)..<e.index(before: e.endIndex)]), on: ",")
        switch name {
        case "add_working_days", "add_days", "add_months", "timestamp", "date":
            guard let first = args.first, args.dropFirst().allSatisfy({ !readsTime($0) }) else { return nil }
            return direction(first)
        case "days_between", "working_days_between":
            guard args.count == 2, let a = direction(args[0]), let b = direction(args[1]) else { return nil }
            return sum([b, -a])
        default:
            return nil
        }
    }

    private static func sum(_ ds: [Int?]) -> Int? {
        var total = 0
        for d in ds {
            guard let d else { return nil }
            total += d
        }
        // Both rising and falling parts: the proof cannot tell which wins.
        if ds.contains(where: { ($0 ?? 0) > 0 }) && ds.contains(where: { ($0 ?? 0) < 0 }) { return nil }
        return total.signum()
    }
}

import CEL
import WFCIR

extension Definition {
    /// Checks case data against the schema. Returns the data with defaults applied, and every
    /// problem found, each with its path (`items[2].name: ...`).
    ///
    /// - `partial`: missing required fields are allowed (payloads, and start data for fields
    ///   some state `fills` later).
    func validateData(_ data: [String: ValueIR], fillableLater: Set<Int>, partial: Bool) -> ([String: ValueIR], [String]) {
        var issues: [String] = []
        var out: [String: ValueIR] = [:]
        out.reserveCapacity(data.count)
        let known = storage.fieldNames
        // Sorted only when there is something to report.
        if data.keys.contains(where: { !known.contains($0) }) {
            for key in data.keys.sorted() where !known.contains(key) {
                issues.append("\(key): unknown field (fields: \(ir.fields.map(\.name).joined(separator: ", ")))")
            }
        }
        let fields = ir.fields
        // By index: binding a `FieldIR` copies its strings and types.
        func check(_ i: Int, _ given: ValueIR?) {
            let name = fields[i].name
            if let v = given, v != .null {
                if let n = validateValue(v, fields[i].type, path: { name }, issues: &issues) { out[name] = n }
            } else if given == .null, !fields[i].optional, partial {
                issues.append("\(name): a required field cannot be cleared")
            } else if !partial, let d = fields[i].defaultValue {
                out[name] = d
            } else if !partial, !fields[i].optional, !fillableLater.contains(fields[i].id) {
                issues.append("\(name): missing (type \(fields[i].type.description))")
            } else if given == .null {
                out[name] = .null
            }
        }
        if partial {
            // Absent fields need nothing here: a payload's few fields, found by name, in field order.
            var given: [(Int, ValueIR)] = []
            given.reserveCapacity(data.count)
            for (k, v) in data { if let i = fields.firstIndex(where: { $0.name == k }) { given.append((i, v)) } }
            given.sort { $0.0 < $1.0 }
            for (i, v) in given { check(i, v) }
        } else {
            for i in fields.indices { check(i, data[fields[i].name]) }
        }
        return (out, issues)
    }

    /// Validates one value against a schema type; returns it normalized (defaults applied).
    func validateValue(_ v: ValueIR, _ t: TypeIR, path: String, issues: inout [String]) -> ValueIR? {
        validateValue(v, t, path: { path }, issues: &issues)
    }

    /// `path` is only built when there is a problem to report: valid data (the common case)
    /// then costs no string building.
    private func validateValue(_ v: ValueIR, _ t: TypeIR, path: () -> String, issues: inout [String]) -> ValueIR? {
        func wrong(_ why: String? = nil) -> ValueIR? {
            issues.append("\(path()): " + (why ?? "expected \(t.description), got \(Self.describe(v))"))
            return nil
        }
        switch t {
        case .string:
            if case .string = v { return v }
            return wrong()
        case .int:
            if case .int = v { return v }
            if case .double(let d) = v, d.rounded() == d, abs(d) < 9e18 { return .int(Int(d)) }
            return wrong()
        case .decimal:
            // Infinity and NaN (`1.0 / 0.0`, YAML's `.inf`) are not amounts, and JSON cannot hold them.
            if case .double(let d) = v { return d.isFinite ? v : wrong("expected a finite decimal, got \(d)") }
            if case .int(let i) = v { return .double(Double(i)) }
            return wrong()
        case .bool:
            if case .bool = v { return v }
            return wrong()
        case .date:
            if case .string(let s) = v, Self.isDate(s) { return v }
            return wrong("expected a date YYYY-MM-DD, got \(Self.describe(v))")
        case .datetime:
            if case .string(let s) = v, s.count >= 20, s.contains("T") || s.contains("t"),
               case .timestamp(let ts)? = try? timestampParser.evaluate(["s": .string(s)]) {
                return .string(Timestamp(seconds: ts.seconds).description)
            }
            return wrong("expected an RFC 3339 datetime such as 2025-01-03T09:00:00+08:00, got \(Self.describe(v))")
        case .duration:
            if case .string(let s) = v, case .duration? = try? durationParser.evaluate(["s": .string(s)]) { return v }
            return wrong("expected a duration such as 90m or 3600s, got \(Self.describe(v))")
        case .enumeration(let members):
            if case .string(let s) = v, members.contains(s) { return v }
            return wrong("expected one of \(members.joined(separator: ", ")), got \(Self.describe(v))")
        case .record(let fields):
            if isCanonical(v, t) { return v }
            return validateRecord(v, fields, path: path, issues: &issues)
        case .checklist(let fields):
            if isCanonical(v, t) { return v }
            guard case .list(let items) = v else { return wrong() }
            let itemFields = fields + [FieldIR.doneFlag]
            var out: [ValueIR] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if let n = validateRecord(item, itemFields, path: { "\(path())[\(i)]" }, issues: &issues) { out.append(n) }
            }
            return .list(out)
        case .list(let element):
            if isCanonical(v, t) { return v }
            guard case .list(let items) = v else { return wrong() }
            var out: [ValueIR] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if let n = validateValue(item, element, path: { "\(path())[\(i)]" }, issues: &issues) { out.append(n) }
            }
            return .list(out)
        }
    }

    private func validateRecord(_ v: ValueIR, _ fields: [FieldIR], path: () -> String, issues: inout [String]) -> ValueIR? {
        guard case .map(let m) = v else {
            issues.append("\(path()): expected a record, got \(Self.describe(v))")
            return nil
        }
        var out: [String: ValueIR] = [:]
        out.reserveCapacity(fields.count)
        // Records have a handful of fields: a linear search beats building a set per record.
        if m.keys.contains(where: { k in !fields.contains { $0.name == k } }) {
            for key in m.keys.sorted() where !fields.contains(where: { $0.name == key }) {
                issues.append("\(path()).\(key): unknown field (fields: \(fields.map(\.name).joined(separator: ", ")))")
            }
        }
        for f in fields {
            if let fv = m[f.name], fv != .null {
                if let n = validateValue(fv, f.type, path: { "\(path()).\(f.name)" }, issues: &issues) { out[f.name] = n }
            } else if let d = f.defaultValue {
                out[f.name] = d
            } else if !f.optional {
                issues.append("\(path()).\(f.name): missing (type \(f.type.description))")
            }
        }
        return .map(out)
    }

    /// Whether `v` is valid for `t` and already normalized, so that validating it would return
    /// it unchanged with no issues: then records and lists are not rebuilt. Conservative —
    /// false sends the value through the full validation (datetimes and durations always go).
    func isCanonical(_ v: ValueIR, _ t: TypeIR) -> Bool {
        switch (t, v) {
        case (.string, .string), (.int, .int), (.decimal, .double), (.bool, .bool): return true
        case (.date, .string(let s)): return Self.isDate(s)
        case (.enumeration(let members), .string(let s)): return members.contains(s)
        case (.record(let fields), _): return isCanonicalRecord(v, fields, withDone: false)
        case (.checklist(let fields), .list(let items)): return items.allSatisfy { isCanonicalRecord($0, fields, withDone: true) }
        case (.list(let element), .list(let items)): return items.allSatisfy { isCanonical($0, element) }
        default: return false
        }
    }

    /// A record is canonical when it has no unknown keys, no nulls, every present field is
    /// canonical, and every absent field is optional without a default (nothing to fill in).
    private func isCanonicalRecord(_ v: ValueIR, _ fields: [FieldIR], withDone: Bool) -> Bool {
        guard case .map(let m) = v, fields.count < 64 else { return false }
        // Each entry's field is found by name (a few fields: cheaper than hashing every field
        // name into the map); `seen` marks the fields present, bit 63 the done flag.
        var seen: UInt64 = 0
        for (k, fv) in m {
            guard fv != .null else { return false }
            if let i = fields.firstIndex(where: { $0.name == k }) {
                guard isCanonical(fv, fields[i].type) else { return false }
                seen |= 1 << UInt64(i)
            } else if withDone, k == FieldIR.doneFlag.name {
                guard isCanonical(fv, FieldIR.doneFlag.type) else { return false }
                seen |= 1 << 63
            } else {
                return false
            }
        }
        // Absent fields must be optional without a default (nothing to fill in).
        for i in fields.indices where seen & (1 << UInt64(i)) == 0 {
            guard fields[i].optional && fields[i].defaultValue == nil else { return false }
        }
        if withDone, seen & (1 << 63) == 0 { return FieldIR.doneFlag.optional && FieldIR.doneFlag.defaultValue == nil }
        return true
    }

    /// Whether `s` is a date as ``CalendarDate/init(parsing:)`` reads it. The usual
    /// `YYYY-MM-DD` in ASCII digits is read in place (splitting the string costs more than the
    /// rest of a payload's validation); anything else goes through the parser.
    static func isDate(_ s: String) -> Bool {
        var s = s
        let quick: Bool? = s.withUTF8 { b in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ r: Range<Int>) -> Int? {
                var n = 0
                for i in r {
                    let d = b[i] &- UInt8(ascii: "0")
                    guard d < 10 else { return nil }
                    n = n * 10 + Int(d)
                }
                return n
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return CalendarDate(year: y, month: m, day: d) != nil
        }
        return quick ?? (CalendarDate(parsing: s) != nil)
    }

    static func describe(_ v: ValueIR) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): "bool \(b)"
        case .int(let i): "int \(i)"
        case .double(let d): "number \(d)"
        case .string(let s): "string \"\(s)\""
        case .list: "a list"
        case .map: "a record"
        }
    }
}

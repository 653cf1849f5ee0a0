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
        let known = Set(ir.fields.map(\.name))
        for key in data.keys.sorted() where !known.contains(key) {
            issues.append("\(key): unknown field (fields: \(ir.fields.map(\.name).joined(separator: ", ")))")
        }
        for f in ir.fields {
            if let v = data[f.name], v != .null {
                if let n = validateValue(v, f.type, path: f.name, issues: &issues) { out[f.name] = n }
            } else if data[f.name] == .null, !f.optional, partial {
                issues.append("\(f.name): a required field cannot be cleared")
            } else if !partial, let d = f.defaultValue {
                out[f.name] = d
            } else if !partial, !f.optional, !fillableLater.contains(f.id) {
                issues.append("\(f.name): missing (type \(f.type.description))")
            } else if data[f.name] == .null {
                out[f.name] = .null
            }
        }
        return (out, issues)
    }

    /// Validates one value against a schema type; returns it normalized (defaults applied).
    func validateValue(_ v: ValueIR, _ t: TypeIR, path: String, issues: inout [String]) -> ValueIR? {
        func wrong(_ why: String? = nil) -> ValueIR? {
            issues.append("\(path): " + (why ?? "expected \(t.description), got \(Self.describe(v))"))
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
            if case .double = v { return v }
            if case .int(let i) = v { return .double(Double(i)) }
            return wrong()
        case .bool:
            if case .bool = v { return v }
            return wrong()
        case .date:
            if case .string(let s) = v, CalendarDate(parsing: s) != nil { return v }
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
            return validateRecord(v, fields, path: path, issues: &issues)
        case .checklist(let fields):
            guard case .list(let items) = v else { return wrong() }
            var out: [ValueIR] = []
            for (i, item) in items.enumerated() {
                if let n = validateRecord(item, fields + [FieldIR.doneFlag], path: "\(path)[\(i)]", issues: &issues) { out.append(n) }
            }
            return .list(out)
        case .list(let element):
            guard case .list(let items) = v else { return wrong() }
            var out: [ValueIR] = []
            for (i, item) in items.enumerated() {
                if let n = validateValue(item, element, path: "\(path)[\(i)]", issues: &issues) { out.append(n) }
            }
            return .list(out)
        }
    }

    private func validateRecord(_ v: ValueIR, _ fields: [FieldIR], path: String, issues: inout [String]) -> ValueIR? {
        guard case .map(let m) = v else {
            issues.append("\(path): expected a record, got \(Self.describe(v))")
            return nil
        }
        var out: [String: ValueIR] = [:]
        let known = Set(fields.map(\.name))
        for key in m.keys.sorted() where !known.contains(key) {
            issues.append("\(path).\(key): unknown field (fields: \(fields.map(\.name).joined(separator: ", ")))")
        }
        for f in fields {
            if let fv = m[f.name], fv != .null {
                if let n = validateValue(fv, f.type, path: "\(path).\(f.name)", issues: &issues) { out[f.name] = n }
            } else if let d = f.defaultValue {
                out[f.name] = d
            } else if !f.optional {
                issues.append("\(path).\(f.name): missing (type \(f.type.description))")
            }
        }
        return .map(out)
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

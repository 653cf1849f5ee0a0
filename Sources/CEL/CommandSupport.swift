import Foundation

/// Converts JSON input into typed CEL values (for `wfc expr --vars FILE.json` and tests).
public enum CELJSON {
    /// Converts a parsed JSON value (`JSONSerialization` output) to a value of the given type.
    /// `path` names the location for error messages (e.g. `request.days`).
    public static func value(_ json: Any, as type: CELType, path: String = "value") throws(CELError) -> CELValue {
        func bad(_ what: String) -> CELError {
            CELError(.badValue, "\(path): expected \(what), got \(describe(json)).", span: CELSpan(start: 0, end: 0))
        }
        if json is NSNull {
            switch type {
            case .null, .dyn: return .null
            default: throw bad(type.friendlyName)
            }
        }
        switch type {
        case .dyn, .param:
            return try natural(json, path: path)
        case .null:
            throw bad("null")
        case .bool:
            guard let n = json as? NSNumber, isBool(n) else { throw bad("true or false") }
            return .bool(n.boolValue)
        case .int:
            if let s = json as? String, let i = Int64(s) { return .int(i) }
            guard let n = json as? NSNumber, !isBool(n) else { throw bad("a whole number") }
            let d = n.doubleValue
            guard d.rounded() == d, let i = Int64(exactly: d) ?? Int64(n.stringValue) else { throw bad("a whole number") }
            return .int(i)
        case .uint:
            if let s = json as? String, let u = UInt64(s) { return .uint(u) }
            guard let n = json as? NSNumber, !isBool(n), let u = UInt64(n.stringValue) else { throw bad("an unsigned whole number") }
            return .uint(u)
        case .double:
            guard let n = json as? NSNumber, !isBool(n) else { throw bad("a number") }
            return .double(n.doubleValue)
        case .string:
            guard let s = json as? String else { throw bad("text") }
            return .string(s)
        case .enumType(let e):
            guard let s = json as? String else { throw bad("one of \(e.members.joined(separator: ", "))") }
            guard e.contains(s) else {
                throw CELError(.badValue, "\(path): '\(s)' is not a valid \(e.name).", span: CELSpan(start: 0, end: 0),
                               notes: ["allowed values: " + e.members.joined(separator: ", ")], suggestion: Suggest.best(s, among: e.members))
            }
            return .string(s)
        case .bytes:
            guard let s = json as? String, let d = Data(base64Encoded: s) else { throw bad("base64 text") }
            return .bytes(Array(d))
        case .timestamp:
            guard let s = json as? String else { throw bad("a timestamp like 2026-01-31T09:00:00Z") }
            do { return .timestamp(try CELTime.parseTimestamp(s)) } catch { throw bad("a timestamp like 2026-01-31T09:00:00Z") }
        case .duration:
            guard let s = json as? String else { throw bad("a duration like 36h") }
            do { return .duration(try CELTime.parseDuration(s)) } catch { throw bad("a duration like 36h") }
        case .date:
            guard let s = json as? String, let d = CELDate(iso: s) else { throw bad("a date like 2026-01-31") }
            return .date(d)
        case .list(let el):
            guard let a = json as? [Any] else { throw bad("a list") }
            var out: [CELValue] = []
            for (i, x) in a.enumerated() { out.append(try value(x, as: el, path: "\(path)[\(i)]")) }
            return .list(out)
        case .map(let kt, let vt):
            guard let o = json as? [String: Any] else { throw bad("an object") }
            var m = CELMapBuilder()
            for k in o.keys.sorted() {
                let key: CELValue
                switch kt {
                case .int: guard let i = Int64(k) else { throw bad("whole-number keys") }; key = .int(i)
                case .uint: guard let u = UInt64(k) else { throw bad("unsigned keys") }; key = .uint(u)
                case .bool: guard k == "true" || k == "false" else { throw bad("true/false keys") }; key = .bool(k == "true")
                default: key = .string(k)
                }
                guard let x = o[k] else { continue }
                do { try m.insert(key, try value(x, as: vt, path: "\(path).\(k)")) } catch let e as CELError { throw e } catch {
                    throw bad("a map")
                }
            }
            return .map(m.finish())
        case .record(let r):
            guard let o = json as? [String: Any] else { throw bad("an object with the fields of \(r.name)") }
            var fields: [CELValue?] = Array(repeating: nil, count: r.fields.count)
            for (i, f) in r.fields.enumerated() {
                if let x = o[f.name], !(x is NSNull && f.optional) {
                    fields[i] = try value(x, as: f.type, path: "\(path).\(f.name)")
                } else if !f.optional {
                    throw CELError(.badValue, "\(path): the field '\(f.name)' of \(r.name) is missing.", span: CELSpan(start: 0, end: 0))
                }
            }
            for k in o.keys where r.fieldIndex(k) == nil {
                throw CELError(.badValue, "\(path): \(r.name) has no field '\(k)'.", span: CELSpan(start: 0, end: 0),
                               suggestion: Suggest.best(k, among: r.fields.map(\.name)))
            }
            return .record(CELRecord(type: r, fields: fields))
        case .type, .opaque, .error:
            throw bad(type.description)
        }
    }

    /// Maps JSON to CEL without a declared type: integral numbers become int, others double.
    public static func natural(_ json: Any, path: String = "value") throws(CELError) -> CELValue {
        switch json {
        case is NSNull: return .null
        case let n as NSNumber:
            if isBool(n) { return .bool(n.boolValue) }
            if let i = Int64(n.stringValue) { return .int(i) }
            return .double(n.doubleValue)
        case let s as String: return .string(s)
        case let a as [Any]:
            var out: [CELValue] = []
            for (i, x) in a.enumerated() { out.append(try natural(x, path: "\(path)[\(i)]")) }
            return .list(out)
        case let o as [String: Any]:
            var m = CELMapBuilder()
            for k in o.keys.sorted() {
                guard let x = o[k] else { continue }
                do { try m.insert(.string(k), try natural(x, path: "\(path).\(k)")) } catch let e as CELError { throw e } catch {}
            }
            return .map(m.finish())
        default:
            throw CELError(.badValue, "\(path): unsupported JSON value.", span: CELSpan(start: 0, end: 0))
        }
    }

    /// Reads a JSON object of variable values and converts each by its declared type in `env`.
    public static func variables(_ data: Data, env: CELEnvironment) throws(CELError) -> [String: CELValue] {
        let obj: Any
        do { obj = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw CELError(.badValue, "The variables file is not valid JSON: \(error.localizedDescription)", span: CELSpan(start: 0, end: 0))
        }
        guard let dict = obj as? [String: Any] else {
            throw CELError(.badValue, "The variables file must contain a JSON object of name: value pairs.", span: CELSpan(start: 0, end: 0))
        }
        var out: [String: CELValue] = [:]
        for (k, v) in dict {
            guard let slot = env.slot(of: k) else {
                throw CELError(.unknownIdentifier, "The variables file sets '\(k)', which is not declared.", span: CELSpan(start: 0, end: 0),
                               suggestion: Suggest.best(k, among: env.variables.map(\.name)))
            }
            out[k] = try value(v, as: env.variables[slot].type, path: k)
        }
        return out
    }

    static func isBool(_ n: NSNumber) -> Bool {
        // JSONSerialization returns a distinct boolean NSNumber subclass on every platform.
        String(describing: type(of: n)).contains("Boolean")
    }

    static func describe(_ json: Any) -> String {
        switch json {
        case is NSNull: return "null"
        case let n as NSNumber: return isBool(n) ? (n.boolValue ? "true" : "false") : n.stringValue
        case let s as String: return "\"\(s)\""
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "a value"
        }
    }
}

/// One-call helper behind `wfc expr 'EXPR' [--decl name=type ...] [--vars FILE.json]`.
public enum CELExprTool {
    public struct Output: Sendable {
        /// The deduced type, e.g. `list(int)`.
        public var type: String
        /// The value rendered as CEL text, or nil when evaluation failed.
        public var value: String?
        /// The evaluation error, if any.
        public var evaluationError: CELEvalError?
        /// Set when the expression was type-checked only: it needs this variable, which is
        /// declared but was given no value.
        public var unevaluatedVariable: String?
    }

    /// Parses `name=type` declarations (e.g. `days=int`, `tags=list(string)`).
    public static func declare(_ decls: [String], in env: CELEnvironment) throws(CELError) {
        for d in decls {
            guard let eq = d.firstIndex(of: "=") else {
                throw CELError(.badTypeName, "A declaration must look like name=type, e.g. days=int (got '\(d)').", span: CELSpan(start: 0, end: d.utf8.count))
            }
            let name = d[..<eq].trimmingCharacters(in: .whitespaces)
            let type = d[d.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw CELError(.badTypeName, "The declaration '\(d)' has no variable name.", span: CELSpan(start: 0, end: d.utf8.count))
            }
            try env.declare(name, typeName: type)
        }
    }

    /// Checks and evaluates an expression. Throws `CELErrors` for parse/check problems
    /// (spans are byte offsets in `expression`); evaluation errors are returned in the output.
    /// `values` are preset variable values (the host's `now`); the JSON variables override them.
    public static func run(_ expression: String, declarations: [String] = [], variablesJSON: Data? = nil,
                           environment: CELEnvironment = CELEnvironment(), values: [String: CELValue] = [:]) throws(CELErrors) -> Output {
        let env = environment
        do {
            try declare(declarations, in: env)
        } catch { throw CELErrors([error]) }
        let program = try env.compile(expression)
        var vars = values
        if let variablesJSON {
            do {
                for (k, v) in try CELJSON.variables(variablesJSON, env: env) { vars[k] = v }
            } catch { throw CELErrors([error]) }
        }
        do {
            let v = try program.evaluate(vars)
            return Output(type: program.type.description, value: CELFormat.render(v), evaluationError: nil)
        } catch where error.kind == .unknownVariable {
            // Declared without a value: the type is the answer, not a failure.
            let name = error.span.flatMap { span -> String? in
                let u = Array(expression.utf8)
                guard span.start >= 0, span.start < span.end, span.end <= u.count else { return nil }
                return String(decoding: u[span.start..<span.end], as: UTF8.self)
            }
            return Output(type: program.type.description, value: nil, evaluationError: nil, unevaluatedVariable: name ?? "")
        } catch {
            return Output(type: program.type.description, value: nil, evaluationError: error)
        }
    }
}

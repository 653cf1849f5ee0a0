/// Native bool/int evaluation for checked expressions. Guards are mostly comparisons joined by
/// `&&`/`||`; evaluating those as Swift `Bool`/`Int64` avoids boxing every intermediate result.
extension Planner {
    static func notBool(_ v: CELValue, _ span: CELSpan) -> CELEvalError {
        CELEvalError(.noSuchOverload, "Expected true or false, but got \(v.typeName) (no matching overload).", span: span)
    }

    /// The node as a native bool function (wrapping the generic one if needed).
    func asBool(_ n: PlanNode, _ span: CELSpan) -> BoolFn {
        if let b = n.boolFn { return b }
        let f = n.fn
        return { (act) throws(CELEvalError) -> Bool in
            let v = try f(act)
            guard case .bool(let b) = v else { throw Planner.notBool(v, span) }
            return b
        }
    }

    func asInt(_ n: PlanNode) -> IntFn? {
        if let i = n.intFn { return i }
        if case .int(let k)? = n.constant { return { _ in k } }
        return nil
    }

    static func wrongType(_ what: String, _ span: CELSpan) -> CELEvalError {
        CELEvalError(.noSuchOverload, "The value of \(what) does not have its declared type (no such overload).", span: span)
    }

    mutating func planTyped(_ e: CELExpr) -> PlanNode? {
        let t = type(e)
        let span = e.span
        switch e.kind {
        case .literal(.bool(let b)):
            var n = PlanNode(bool: { _ in b })
            n.constant = .bool(b)
            return n
        case .literal(.int(let i)):
            var n = PlanNode(int: { _ in i })
            n.constant = .int(i)
            return n
        case .ident, .select:
            guard t == .int || t == .bool else { return nil }
            return planTypedRead(e, isInt: t == .int)
        case .call(nil, let fn, let args, _):
            return planTypedCall(fn, args, span: span, resultType: t)
        default:
            return nil
        }
    }

    /// Variable reads and record field reads of int/bool type.
    mutating func planTypedRead(_ e: CELExpr, isInt: Bool) -> PlanNode? {
        let span = e.span
        switch result.refs[e.id] {
        case .variable(let slot)?:
            let name = env.variables[slot].name
            if isInt {
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    guard slot < act.slotCount, let v = act.storage[slot] else {
                        throw CELEvalError(.unknownVariable, "No value was provided for '\(name)'.", span: span)
                    }
                    guard case .int(let i) = v else { throw Planner.wrongType("'\(name)'", span) }
                    return i
                })
            }
            return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                guard slot < act.slotCount, let v = act.storage[slot] else {
                    throw CELEvalError(.unknownVariable, "No value was provided for '\(name)'.", span: span)
                }
                guard case .bool(let b) = v else { throw Planner.wrongType("'\(name)'", span) }
                return b
            })
        case .local(let slot)?:
            if isInt {
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    let v = act.locals[slot]
                    guard case .int(let i) = v else { throw Planner.wrongType("a loop variable", span) }
                    return i
                })
            }
            return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                let v = act.locals[slot]
                guard case .bool(let b) = v else { throw Planner.wrongType("a loop variable", span) }
                return b
            })
        case .recordField(let i)?:
            guard case .select(let operand, let field, _, let testOnly) = e.kind else { return nil }
            let generic = planSelect(e, operand: operand, field: field, testOnly: testOnly).fn
            if testOnly {
                return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                    let v = try generic(act)
                    guard case .bool(let b) = v else { throw Planner.notBool(v, span) }
                    return b
                })
            }
            // Fused read of `var.field` / `local.field`, one closure per case to keep the hot path flat.
            switch (result.refs[operand.id], isInt) {
            case (.variable(let slot)?, true):
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    if slot < act.slotCount, case .record(let r)? = act.storage[slot], i < r.fields.count, case .int(let x)? = r.fields[i] {
                        return x
                    }
                    return try Planner.slowInt(generic, act, field, span)
                })
            case (.variable(let slot)?, false):
                return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                    if slot < act.slotCount, case .record(let r)? = act.storage[slot], i < r.fields.count, case .bool(let x)? = r.fields[i] {
                        return x
                    }
                    return try Planner.slowBool(generic, act, field, span)
                })
            case (.local(let slot)?, true):
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    if case .record(let r) = act.locals[slot], i < r.fields.count, case .int(let x)? = r.fields[i] { return x }
                    return try Planner.slowInt(generic, act, field, span)
                })
            case (.local(let slot)?, false):
                return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                    if case .record(let r) = act.locals[slot], i < r.fields.count, case .bool(let x)? = r.fields[i] { return x }
                    return try Planner.slowBool(generic, act, field, span)
                })
            default:
                return nil
            }
        default:
            return nil
        }
    }

    static func slowInt(_ f: EvalFn, _ act: CELActivation, _ field: String, _ span: CELSpan) throws(CELEvalError) -> Int64 {
        let v = try f(act)
        guard case .int(let x) = v else { throw Planner.wrongType("'\(field)'", span) }
        return x
    }

    static func slowBool(_ f: EvalFn, _ act: CELActivation, _ field: String, _ span: CELSpan) throws(CELEvalError) -> Bool {
        let v = try f(act)
        guard case .bool(let x) = v else { throw Planner.wrongType("'\(field)'", span) }
        return x
    }

    mutating func planTypedCall(_ fn: String, _ args: [CELExpr], span: CELSpan, resultType: CELType) -> PlanNode? {
        switch fn {
        case "_&&_", "_||_":
            guard args.count == 2 else { return nil }
            let l = asBool(plan(args[0]), args[0].span), r = asBool(plan(args[1]), args[1].span)
            let isAnd = fn == "_&&_"
            return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                var firstErr: CELEvalError?
                do throws(CELEvalError) {
                    if try l(act) != isAnd { return !isAnd }
                } catch { firstErr = error }
                if try r(act) != isAnd { return !isAnd }
                if let firstErr { throw firstErr }
                return isAnd
            })
        case "!_":
            guard args.count == 1, type(args[0]) == .bool else { return nil }
            let a = asBool(plan(args[0]), args[0].span)
            return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in !(try a(act)) })
        case "_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_":
            guard args.count == 2 else { return nil }
            let lt = type(args[0]), rt = type(args[1])
            if lt == .int && rt == .int {
                let ln = plan(args[0]), rn = plan(args[1])
                guard let a = asInt(ln), let b = asInt(rn) else { return nil }
                switch fn {
                case "_<_": return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) < (try b(act)) })
                case "_<=_": return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) <= (try b(act)) })
                case "_>_": return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) > (try b(act)) })
                case "_>=_": return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) >= (try b(act)) })
                case "_==_": return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) == (try b(act)) })
                default: return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in try a(act) != (try b(act)) })
                }
            }
            if lt == .bool && rt == .bool && (fn == "_==_" || fn == "_!=_") {
                let a = asBool(plan(args[0]), args[0].span), b = asBool(plan(args[1]), args[1].span)
                let neg = fn == "_!=_"
                return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in (try a(act) == (try b(act))) != neg })
            }
            return nil
        case "_+_", "_-_", "_*_", "_/_", "_%_":
            guard args.count == 2, resultType == .int, type(args[0]) == .int, type(args[1]) == .int else { return nil }
            let ln = plan(args[0]), rn = plan(args[1])
            guard let a = asInt(ln), let b = asInt(rn) else { return nil }
            let overflow = Planner.withSpan(Builtins.overflow, span)
            switch fn {
            case "_+_":
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    let (r, o) = try a(act).addingReportingOverflow(try b(act))
                    if o { throw overflow }
                    return r
                })
            case "_-_":
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    let (r, o) = try a(act).subtractingReportingOverflow(try b(act))
                    if o { throw overflow }
                    return r
                })
            case "_*_":
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    let (r, o) = try a(act).multipliedReportingOverflow(by: try b(act))
                    if o { throw overflow }
                    return r
                })
            default:
                let isDiv = fn == "_/_"
                return PlanNode(int: { (act) throws(CELEvalError) -> Int64 in
                    let x = try a(act), y = try b(act)
                    do throws(CELEvalError) {
                        let v = isDiv ? try Builtins.div(.int(x), .int(y)) : try Builtins.mod(.int(x), .int(y))
                        if case .int(let r) = v { return r }
                        throw Builtins.overflow
                    } catch { throw Planner.withSpan(error, span) }
                })
            }
        default:
            return nil
        }
    }
}

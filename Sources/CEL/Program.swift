/// A compiled node: a closure over the activation. Closures are built once by the planner,
/// so evaluation is a tree of direct calls with no lookups by name.
typealias EvalFn = @Sendable (CELActivation) throws(CELEvalError) -> CELValue

/// A checked, executable expression. Immutable and safe to share between threads
/// (each thread needs its own `CELActivation`).
public struct CELProgram: Sendable {
    /// The expression text.
    public let source: String
    /// The deduced result type (`dyn` for unchecked programs).
    public let type: CELType
    /// Names of the declared variables the expression reads (sorted), for dependency analysis.
    public let referencedVariables: [String]
    let root: EvalFn
    let rootBool: BoolFn?
    let localCount: Int
    let slotNames: [String: Int]
    /// Tall trees evaluate on a large-stack thread (see `DeepStack`).
    let deep: Bool

    /// Evaluates against an activation (variables by slot). Does not allocate for scalar-only expressions.
    @inline(__always)
    public func evaluate(_ activation: CELActivation) throws(CELEvalError) -> CELValue {
        if activation.localCapacity < localCount { activation.growLocals(localCount) }
        if deep {
            let r: Result<CELValue, CELEvalError> = DeepStack.run {
                do throws(CELEvalError) { return .success(try root(activation)) } catch { return .failure(error) }
            }
            return try r.get()
        }
        return try root(activation)
    }

    /// Convenience: evaluates with named bindings (allocates an activation).
    public func evaluate(_ bindings: [String: CELValue] = [:]) throws(CELEvalError) -> CELValue {
        let a = CELActivation(slotCount: slotNames.count)
        for (k, v) in bindings {
            guard let s = slotNames[k] else {
                throw CELEvalError(.unknownVariable, "No variable named '\(k)' is declared.")
            }
            a[s] = v
        }
        return try evaluate(a)
    }

    /// Evaluates a guard: the result must be a bool.
    public func evaluateBool(_ activation: CELActivation) throws(CELEvalError) -> Bool {
        if let rootBool, !deep {
            if activation.localCapacity < localCount { activation.growLocals(localCount) }
            return try rootBool(activation)
        }
        let v = try evaluate(activation)
        guard case .bool(let b) = v else {
            throw CELEvalError(.noSuchOverload, "The condition produced \(v.typeName) instead of true or false.")
        }
        return b
    }
}

typealias BoolFn = @Sendable (CELActivation) throws(CELEvalError) -> Bool
typealias IntFn = @Sendable (CELActivation) throws(CELEvalError) -> Int64

struct PlanNode {
    var fn: EvalFn
    var constant: CELValue?
    /// Native forms for checked bool/int nodes: they skip boxing into `CELValue` on hot paths.
    var boolFn: BoolFn? = nil
    var intFn: IntFn? = nil

    init(fn: @escaping EvalFn, constant: CELValue?) {
        self.fn = fn
        self.constant = constant
    }

    init(bool b: @escaping BoolFn) {
        fn = { (act) throws(CELEvalError) -> CELValue in .bool(try b(act)) }
        constant = nil
        boolFn = b
    }

    init(int i: @escaping IntFn) {
        fn = { (act) throws(CELEvalError) -> CELValue in .int(try i(act)) }
        constant = nil
        intFn = i
    }
}

struct Planner {
    let env: CELEnvironment
    let result: CELCheckResult
    let checked: Bool
    var errors: [CELError] = []
    var memo: [Int: PlanNode] = [:]

    init(env: CELEnvironment, result: CELCheckResult, checked: Bool) {
        self.env = env
        self.result = result
        self.checked = checked
    }

    mutating func run() throws(CELErrors) -> CELProgram {
        let root = plan(result.ast.root)
        if !errors.isEmpty { throw CELErrors(errors) }
        var names: [String: Int] = [:]
        for v in env.variables { names[v.name] = v.slot }
        let used = result.referencedSlots.map { env.variables[$0].name }.sorted()
        return CELProgram(source: result.ast.source, type: checked ? result.type : .dyn, referencedVariables: used,
                          root: root.fn, rootBool: root.boolFn,
                          localCount: result.localCount, slotNames: names, deep: result.ast.height > DeepStack.inlineEvalHeight)
    }

    static func constant(_ v: CELValue) -> PlanNode {
        PlanNode(fn: { _ in v }, constant: v)
    }

    static func failing(_ err: CELEvalError) -> PlanNode {
        PlanNode(fn: { (_) throws(CELEvalError) -> CELValue in throw err }, constant: nil)
    }

    func type(_ e: CELExpr) -> CELType { result.type(ofNode: e.id) ?? .dyn }

    /// Plans each node once (typed planning may look at children before falling back).
    mutating func plan(_ e: CELExpr) -> PlanNode {
        if let m = memo[e.id] { return m }
        let n = planUncached(e)
        memo[e.id] = n
        return n
    }

    mutating func planUncached(_ e: CELExpr) -> PlanNode {
        if checked, let typed = planTyped(e) { return typed }
        switch e.kind {
        case .literal(let c):
            switch c {
            case .null: return Planner.constant(.null)
            case .bool(let b): return Planner.constant(.bool(b))
            case .int(let i): return Planner.constant(.int(i))
            case .uint(let u): return Planner.constant(.uint(u))
            case .double(let d): return Planner.constant(.double(d))
            case .string(let s): return Planner.constant(.string(s))
            case .bytes(let b): return Planner.constant(.bytes(b))
            }
        case .ident(let name, _):
            return planRef(e, name: name)
        case .select(let operand, let field, _, let testOnly):
            if let ref = result.refs[e.id] {
                switch ref {
                case .variable, .typeValue, .local: return planRef(e, name: field)
                default: break
                }
            }
            return planSelect(e, operand: operand, field: field, testOnly: testOnly)
        case .call(let target, let fn, let args, _):
            return planCall(e, target: target, fn: fn, args: args)
        case .list(let items):
            let nodes = items.map { plan($0) }
            if nodes.allSatisfy({ $0.constant != nil }) {
                return Planner.constant(.list(nodes.compactMap(\.constant)))
            }
            let fns = nodes.map(\.fn)
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                var out: [CELValue] = []
                out.reserveCapacity(fns.count)
                for f in fns { out.append(try f(act)) }
                return .list(out)
            }, constant: nil)
        case .map(let entries):
            let ks = entries.map { plan($0.key) }, vs = entries.map { plan($0.value) }
            if ks.allSatisfy({ $0.constant != nil }) && vs.allSatisfy({ $0.constant != nil }) {
                do throws(CELEvalError) {
                    let m = try CELMap(entries: zip(ks.compactMap(\.constant), vs.compactMap(\.constant)).map { ($0, $1) })
                    return Planner.constant(.map(m))
                } catch {
                    var err = error
                    err.span = e.span
                    return Planner.failing(err)
                }
            }
            let kf = ks.map(\.fn), vf = vs.map(\.fn)
            let span = e.span
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                var m = CELMapBuilder()
                for i in 0..<kf.count {
                    do throws(CELEvalError) { try m.insert(try kf[i](act), try vf[i](act)) } catch {
                        var err = error
                        if err.span == nil { err.span = span }
                        throw err
                    }
                }
                return .map(m.finish())
            }, constant: nil)
        case .comprehension(let c):
            return planComprehension(e, c)
        }
    }

    mutating func planRef(_ e: CELExpr, name: String) -> PlanNode {
        let span = e.span
        switch result.refs[e.id] {
        case .variable(let slot)?:
            let vname = env.variables[slot].name
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                guard slot < act.slotCount, let v = act.storage[slot] else {
                    throw CELEvalError(.unknownVariable, "No value was provided for '\(vname)'.", span: span)
                }
                return v
            }, constant: nil)
        case .local(let slot)?:
            return PlanNode(fn: { act in act.locals[slot] }, constant: nil)
        case .typeValue(let t)?:
            return Planner.constant(.type(t))
        default:
            let display = e.qualifiedName?.parts.joined(separator: ".") ?? name
            return Planner.failing(CELEvalError(.unknownVariable, "undeclared reference to '\(display)' (unknown variable).", span: span))
        }
    }

    static func selectField(_ v: CELValue, _ field: String, testOnly: Bool, span: CELSpan) throws(CELEvalError) -> CELValue {
        switch v {
        case .map(let m):
            if let x = m.get(string: field) { return testOnly ? .bool(true) : x }
            if testOnly { return .bool(false) }
            throw CELEvalError(.noSuchKey, "The map has no entry '\(field)' (no such key: '\(field)').", span: span)
        case .record(let r):
            guard let i = r.type.fieldIndex(field) else {
                throw CELEvalError(.noSuchField, "\(r.type.name) has no field '\(field)'.", span: span)
            }
            return try recordField(r, i, testOnly: testOnly, span: span)
        default:
            throw CELEvalError(.noSuchOverload, "type '\(v.typeName)' does not support field selection ('.\(field)').", span: span)
        }
    }

    @inline(__always)
    static func recordField(_ r: CELRecord, _ i: Int, testOnly: Bool, span: CELSpan) throws(CELEvalError) -> CELValue {
        guard i < r.fields.count, let x = r.fields[i] else {
            if testOnly { return .bool(false) }
            let name = i < r.type.fields.count ? r.type.fields[i].name : "?"
            throw CELEvalError(.fieldNotSet, "'\(name)' has no value here; check it with has(...) first.", span: span)
        }
        return testOnly ? .bool(true) : x
    }

    mutating func planSelect(_ e: CELExpr, operand: CELExpr, field: String, testOnly: Bool) -> PlanNode {
        let op = plan(operand).fn
        let span = e.span
        if checked, case .recordField(let i)? = result.refs[e.id] {
            // Fused `variable.field` / `local.field`: read the slot and the field in one step.
            switch result.refs[operand.id] {
            case .variable(let slot)?:
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    if slot < act.slotCount, case .record(let r)? = act.storage[slot] {
                        return try Planner.recordField(r, i, testOnly: testOnly, span: span)
                    }
                    return try Planner.selectField(try op(act), field, testOnly: testOnly, span: span)
                }, constant: nil)
            case .local(let slot)?:
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    if case .record(let r) = act.locals[slot] {
                        return try Planner.recordField(r, i, testOnly: testOnly, span: span)
                    }
                    return try Planner.selectField(try op(act), field, testOnly: testOnly, span: span)
                }, constant: nil)
            default: break
            }
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let v = try op(act)
                if case .record(let r) = v { return try Planner.recordField(r, i, testOnly: testOnly, span: span) }
                return try Planner.selectField(v, field, testOnly: testOnly, span: span)
            }, constant: nil)
        }
        return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
            try Planner.selectField(try op(act), field, testOnly: testOnly, span: span)
        }, constant: nil)
    }

    // MARK: calls

    static func noOverload(_ what: String, _ span: CELSpan) -> CELEvalError {
        CELEvalError(.noSuchOverload, "\(what) (no matching overload).", span: span)
    }

    mutating func planCall(_ e: CELExpr, target: CELExpr?, fn: String, args: [CELExpr]) -> PlanNode {
        let span = e.span
        switch fn {
        case "_&&_", "_||_":
            guard args.count == 2 else { break }
            let l = plan(args[0]).fn, r = plan(args[1]).fn
            let isAnd = fn == "_&&_"
            // Commutative short-circuit: an error on one side is absorbed if the other side decides.
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                var firstErr: CELEvalError?
                do throws(CELEvalError) {
                    let a = try l(act)
                    if case .bool(let b) = a {
                        if b != isAnd { return a }
                    } else {
                        firstErr = Planner.noOverload("'\(isAnd ? "&&" : "||")' needs true/false values, not \(a.typeName)", span)
                    }
                } catch { firstErr = error }
                let b = try r(act)
                if case .bool(let bb) = b {
                    if bb != isAnd { return b }
                    if let firstErr { throw firstErr }
                    return b
                }
                if let firstErr { throw firstErr }
                throw Planner.noOverload("'\(isAnd ? "&&" : "||")' needs true/false values, not \(b.typeName)", span)
            }, constant: nil)
        case "_?_:_":
            guard args.count == 3 else { break }
            let c = plan(args[0]).fn, a = plan(args[1]).fn, b = plan(args[2]).fn
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let cv = try c(act)
                guard case .bool(let bv) = cv else {
                    throw Planner.noOverload("The condition of '?:' must be true or false, not \(cv.typeName)", span)
                }
                return bv ? try a(act) : try b(act)
            }, constant: nil)
        default: break
        }

        var name = fn
        var target = target
        var matched: [Int] = []
        switch result.refs[e.id] {
        case .qualifiedFunction(let n, let m)?:
            name = n
            target = nil
            matched = m
        case .function(let n, let m)?:
            name = n
            matched = m
        default:
            if name.hasPrefix(".") { name.removeFirst() }
        }
        let argExprs = (target.map { [$0] } ?? []) + args
        var nodes = argExprs.map { plan($0) }
        guard let f = env.function(name) else {
            let fns = nodes.map(\.fn)
            let err = CELEvalError(.unknownFunction, "There is no function named '\(name)' (unbound function).", span: span)
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                for f in fns { _ = try f(act) }
                throw err
            }, constant: nil)
        }
        // Precompile constant regular expressions once.
        if name == "matches", nodes.count == 2, case .string(let pattern)? = nodes[1].constant {
            do throws(CELRegex.SyntaxError) {
                let re = try CELRegex(pattern)
                let s = nodes[0].fn
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    let v = try s(act)
                    guard case .string(let str) = v else { throw Planner.noOverload("'matches' needs text, not \(v.typeName)", span) }
                    return .bool(re.matches(str))
                }, constant: nil)
            } catch {
                if checked {
                    errors.append(CELError(.badRegex, "The pattern is not a valid regular expression: \(error.message)",
                                           span: argExprs[1].span))
                }
                return Planner.failing(CELEvalError(.badRegex, "Invalid regular expression: \(error.message)", span: span))
            }
        }
        let isReceiver = target != nil
        var impl: CELFunctionImpl?
        if checked, matched.count == 1, let i = matched.first, let oi = f.overloads[i].impl {
            impl = oi
        } else if let d = f.dynamicImpl {
            impl = d
        } else {
            // Host overloads without a shared implementation: pick by runtime argument kinds.
            let cands = f.overloads.filter { $0.isReceiver == isReceiver && $0.params.count == nodes.count && $0.impl != nil }
            let fname = name
            impl = .variadic({ (vals: [CELValue]) throws(CELEvalError) -> CELValue in
                for o in cands where zip(vals, o.params).allSatisfy({ valueMatches($0, $1) }) {
                    if let oi = o.impl { return try oi.call(vals) }
                }
                throw CELEvalError(.noSuchOverload, "'\(fname)' cannot be applied to \(vals.map(\.typeName).joined(separator: ", ")) (no such overload).")
            })
        }
        guard let impl else { return Planner.failing(CELEvalError(.noSuchOverload, "no such overload", span: span)) }
        if let special = specialize(name: name, nodes: &nodes, span: span) { return special }
        return Planner.apply(impl, nodes.map(\.fn), span: span)
    }

    @inline(__always)
    static func withSpan(_ e: CELEvalError, _ span: CELSpan) -> CELEvalError {
        var e = e
        if e.span == nil { e.span = span }
        return e
    }

    static func apply(_ impl: CELFunctionImpl, _ fns: [EvalFn], span: CELSpan) -> PlanNode {
        switch (impl, fns.count) {
        case (.unary(let f), 1):
            let a = fns[0]
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let x = try a(act)
                do throws(CELEvalError) { return try f(x) } catch { throw withSpan(error, span) }
            }, constant: nil)
        case (.binary(let f), 2):
            let a = fns[0], b = fns[1]
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let x = try a(act)
                let y = try b(act)
                do throws(CELEvalError) { return try f(x, y) } catch { throw withSpan(error, span) }
            }, constant: nil)
        case (.ternary(let f), 3):
            let a = fns[0], b = fns[1], c = fns[2]
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let x = try a(act)
                let y = try b(act)
                let z = try c(act)
                do throws(CELEvalError) { return try f(x, y, z) } catch { throw withSpan(error, span) }
            }, constant: nil)
        default:
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                var vals: [CELValue] = []
                vals.reserveCapacity(fns.count)
                for f in fns { vals.append(try f(act)) }
                do throws(CELEvalError) { return try impl.call(vals) } catch { throw withSpan(error, span) }
            }, constant: nil)
        }
    }

    /// Fast paths for hot scalar operators, avoiding the generic dispatch.
    mutating func specialize(name: String, nodes: inout [PlanNode], span: CELSpan) -> PlanNode? {
        guard nodes.count == 2 else { return nil }
        let a = nodes[0].fn, b = nodes[1].fn
        func cmp(_ test: @escaping @Sendable (Int) -> Bool) -> PlanNode {
            if case .int(let k)? = nodes[1].constant {
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    let x = try a(act)
                    if case .int(let i) = x { return .bool(test(i < k ? -1 : (i == k ? 0 : 1))) }
                    do throws(CELEvalError) {
                        guard let c = try celCompare(x, .int(k)) else { return .bool(false) }
                        return .bool(test(c))
                    } catch { throw Planner.withSpan(error, span) }
                }, constant: nil)
            }
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let x = try a(act)
                let y = try b(act)
                if case .int(let i) = x, case .int(let j) = y { return .bool(test(i < j ? -1 : (i == j ? 0 : 1))) }
                do throws(CELEvalError) {
                    guard let c = try celCompare(x, y) else { return .bool(false) }
                    return .bool(test(c))
                } catch { throw Planner.withSpan(error, span) }
            }, constant: nil)
        }
        switch name {
        case "_<_": return cmp { $0 < 0 }
        case "_<=_": return cmp { $0 <= 0 }
        case "_>_": return cmp { $0 > 0 }
        case "_>=_": return cmp { $0 >= 0 }
        case "_==_", "_!=_":
            let neg = name == "_!=_"
            if case .string(let k)? = nodes[1].constant {
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    let x = try a(act)
                    if case .string(let s) = x { return .bool(utf8Equal(s, k) != neg) }
                    return .bool(celEquals(x, .string(k)) != neg)
                }, constant: nil)
            }
            return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                let x = try a(act)
                let y = try b(act)
                return .bool(celEquals(x, y) != neg)
            }, constant: nil)
        case "startsWith":
            if case .string(let k)? = nodes[1].constant {
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    let x = try a(act)
                    guard case .string(let s) = x else { throw Planner.noOverload("'startsWith' needs text, not \(x.typeName)", span) }
                    return .bool(utf8HasPrefix(s, k))
                }, constant: nil)
            }
            return nil
        case "@in":
            // Constant list of scalars: precompute a set for O(1) membership.
            if case .list(let items)? = nodes[1].constant, items.count > 4,
               let keys = Optional(items.compactMap { CELMapKey($0) }), keys.count == items.count {
                let set = Set(keys)
                return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
                    let x = try a(act)
                    if case .double(let d) = x { return .bool(CELMapKey(lookupDouble: d).map { set.contains($0) } ?? false) }
                    guard let k = CELMapKey(x) else { return .bool(false) }
                    return .bool(set.contains(k))
                }, constant: nil)
            }
            return nil
        default:
            return nil
        }
    }
}

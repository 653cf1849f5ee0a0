/// Evaluation of the comprehension macros (`all`, `exists`, `exists_one`, `map`, `filter`,
/// `transformList`, `transformMap`). The parser turns macro calls into `CELComprehension` nodes;
/// the checker gives each iteration variable a local slot in the activation.
extension Planner {
    mutating func planComprehension(_ e: CELExpr, _ c: CELComprehension) -> PlanNode {
        let range = plan(c.range).fn
        let bodyNode = plan(c.body)
        let body = bodyNode.fn
        let filter = c.filter.map { plan($0).fn }
        // Fast path: `all`/`exists` over a list with a native bool body.
        if let bb = bodyNode.boolFn, c.macro == .all || c.macro == .exists, c.iterVar2 == nil {
            let slot = result.localSlots[e.id] ?? 0
            let decisive = c.macro == .exists
            let span = e.span
            let macro = c.macro
            return PlanNode(bool: { (act) throws(CELEvalError) -> Bool in
                let r = try range(act)
                var err: CELEvalError?
                switch r {
                case .list(let l):
                    for x in l {
                        act.locals[slot] = x
                        do throws(CELEvalError) { if try bb(act) == decisive { return decisive } } catch { if err == nil { err = error } }
                    }
                case .map(let m):
                    for x in m.keys {
                        act.locals[slot] = x
                        do throws(CELEvalError) { if try bb(act) == decisive { return decisive } } catch { if err == nil { err = error } }
                    }
                default:
                    throw Planner.noOverload("'\(macro.rawValue)' needs a list or map, not \(r.typeName)", span)
                }
                if let err { throw err }
                return !decisive
            })
        }
        let span = e.span
        let slot1 = result.localSlots[e.id] ?? 0
        let slot2: Int? = c.iterVar2 == nil ? nil : slot1 + 1
        let macro = c.macro

        return PlanNode(fn: { (act) throws(CELEvalError) -> CELValue in
            let r = try range(act)
            // Iteration yields (first variable, second variable) pairs.
            var count = 0
            switch r {
            case .list(let l): count = l.count
            case .map(let m): count = m.count
            default:
                throw Planner.noOverload("'\(macro.rawValue)' needs a list or map, not \(r.typeName)", span)
            }
            @inline(__always) func bind(_ i: Int) {
                switch r {
                case .list(let l):
                    if let slot2 {
                        act.locals[slot1] = .int(Int64(i))
                        act.locals[slot2] = l[i]
                    } else {
                        act.locals[slot1] = l[i]
                    }
                case .map(let m):
                    act.locals[slot1] = m.keys[i]
                    if let slot2 { act.locals[slot2] = m.values[i] }
                default: break
                }
            }
            func truth(_ v: CELValue) throws(CELEvalError) -> Bool {
                guard case .bool(let b) = v else {
                    throw Planner.noOverload("The condition in '\(macro.rawValue)' must be true or false, not \(v.typeName)", span)
                }
                return b
            }
            switch macro {
            case .all, .exists:
                let decisive = macro == .exists
                var err: CELEvalError?
                for i in 0..<count {
                    bind(i)
                    do throws(CELEvalError) {
                        if try truth(try body(act)) == decisive { return .bool(decisive) }
                    } catch {
                        if err == nil { err = error }
                    }
                }
                if let err { throw err }
                return .bool(!decisive)
            case .existsOne:
                var n = 0
                for i in 0..<count {
                    bind(i)
                    if try truth(try body(act)) { n += 1 }
                }
                return .bool(n == 1)
            case .map, .transformList:
                var out: [CELValue] = []
                for i in 0..<count {
                    bind(i)
                    if let filter, !(try truth(try filter(act))) { continue }
                    out.append(try body(act))
                }
                return .list(out)
            case .filter:
                var out: [CELValue] = []
                for i in 0..<count {
                    bind(i)
                    if try truth(try body(act)) { out.append(act.locals[slot1]) }
                }
                return .list(out)
            case .transformMap:
                var m = CELMapBuilder()
                for i in 0..<count {
                    bind(i)
                    if let filter, !(try truth(try filter(act))) { continue }
                    let v = try body(act)
                    let k: CELValue = act.locals[slot1]
                    do throws(CELEvalError) { try m.insert(k, v) } catch { throw Planner.withSpan(error, span) }
                }
                return .map(m.finish())
            }
        }, constant: nil)
    }
}

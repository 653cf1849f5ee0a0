/// A declared variable. Its `slot` is the index used in `CELActivation`.
public struct CELVariable: Sendable {
    public var name: String
    public var type: CELType
    public var slot: Int
}

/// Declarations that expressions are checked against: variables, functions, named types.
///
/// Build one environment per workflow (or per guard context), declare everything, then
/// call `compile` for each expression. Environments are not meant to be mutated while
/// compiled programs are evaluated on other threads.
public final class CELEnvironment: @unchecked Sendable {
    public private(set) var variables: [CELVariable] = []
    var variableIndex: [String: Int] = [:]
    var functions: [String: CELFunction] = [:]
    public private(set) var enums: [String: CELEnumType] = [:]
    public private(set) var records: [String: CELRecordType] = [:]
    /// Namespace used to resolve unqualified names (`a.b` makes `x` try `a.b.x`, `a.x`, then `x`).
    public var container: String = ""
    public var limits = CELLimits()

    /// Creates an environment with the CEL standard library.
    public init() {
        functions = Self.standardFunctions
    }

    /// Built once: hosts create an environment per workflow, and copying the table is
    /// cheaper than hashing every name again.
    private static let standardFunctions: [String: CELFunction] = {
        var functions: [String: CELFunction] = [:]
        for f in Stdlib.functions { functions[f.name] = f }
        for f in Optionals.functions { functions[f.name] = f }
        for f in StringExtensions.functions { functions[f.name] = f }
        return functions
    }()

    /// Declares a variable (or replaces the type of an existing one) and returns its slot.
    @discardableResult
    public func declare(_ name: String, _ type: CELType) -> Int {
        if let i = variableIndex[name] {
            variables[i].type = type
            return i
        }
        let slot = variables.count
        variables.append(CELVariable(name: name, type: type, slot: slot))
        variableIndex[name] = slot
        return slot
    }

    /// Declares a variable from a type name such as `list(int)` or a declared enum/record name.
    @discardableResult
    public func declare(_ name: String, typeName: String) throws(CELError) -> Int {
        declare(name, try parseType(typeName))
    }

    /// Declares a string-valued enum type and returns it (usable in `CELType.enumType`).
    @discardableResult
    public func declareEnum(_ name: String, members: [String]) -> CELEnumType {
        let e = CELEnumType(name: name, members: members)
        enums[name] = e
        return e
    }

    /// Declares a record type and returns it. Fields may refer to the record itself via `setFields`.
    @discardableResult
    public func declareRecord(_ name: String, fields: [CELRecordType.Field]) -> CELRecordType {
        let r = CELRecordType(name: name, fields: fields)
        records[name] = r
        return r
    }

    /// Registers a function; overloads are added to an existing function with the same name.
    public func register(_ f: CELFunction) {
        if var existing = functions[f.name] {
            existing.overloads.removeAll { o in f.overloads.contains { $0.id == o.id } }
            existing.overloads += f.overloads
            if f.dynamicImpl != nil { existing.dynamicImpl = f.dynamicImpl }
            functions[f.name] = existing
        } else {
            functions[f.name] = f
        }
    }

    /// Registers a library of functions (for example `WorkflowFunctions`).
    public func register(_ library: some CELLibrary) {
        for f in library.functions { register(f) }
    }

    /// Parses a type name, resolving declared enum and record names.
    public func parseType(_ text: String, allowTypeParams: Bool = false) throws(CELError) -> CELType {
        try CELTypeParser.parse(text, allowTypeParams: allowTypeParams) { [enums, records] n in
            if let e = enums[n] { return .enumType(e) }
            if let r = records[n] { return .record(r) }
            return nil
        }
    }

    /// The slot of a declared variable.
    public func slot(of name: String) -> Int? { variableIndex[name] }

    func function(_ name: String) -> CELFunction? { functions[name] }
    var functionNames: [String] { Array(functions.keys).filter { $0.first?.isLetter == true } }

    /// Candidate fully-qualified names for `name` given the container, most specific first.
    func candidates(_ name: String, absolute: Bool) -> [String] {
        if absolute || container.isEmpty { return [name] }
        var out: [String] = []
        var parts = container.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            out.append(parts.joined(separator: ".") + "." + name)
            parts.removeLast()
        }
        out.append(name)
        return out
    }

    func lookupVariable(_ name: String, absolute: Bool) -> CELVariable? {
        for c in candidates(name, absolute: absolute) {
            if let i = variableIndex[c] { return variables[i] }
        }
        return nil
    }

    func lookupTypeName(_ name: String) -> CELType? {
        switch name {
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "list": return .list(.dyn)
        case "map": return .map(.dyn, .dyn)
        case "null_type": return .null
        case "type": return .type(nil)
        case "google.protobuf.Timestamp": return .timestamp
        case "google.protobuf.Duration": return .duration
        default:
            if let e = enums[name] { return .enumType(e) }
            if let r = records[name] { return .record(r) }
            return nil
        }
    }

    /// Creates an activation sized for this environment's variables.
    public func makeActivation() -> CELActivation { CELActivation(slotCount: variables.count) }

    /// Creates an activation from named values. Unknown names are an error.
    public func makeActivation(_ values: [String: CELValue]) throws(CELEvalError) -> CELActivation {
        let a = makeActivation()
        for (k, v) in values {
            guard let s = variableIndex[k] else {
                throw CELEvalError(.unknownVariable, "No variable named '\(k)' is declared.")
            }
            a[s] = v
        }
        return a
    }

    // MARK: compilation

    /// Parses an expression.
    public func parse(_ text: String) throws(CELErrors) -> CELAST {
        try CELParser.parse(text, limits: limits)
    }

    /// Type-checks a parsed expression, collecting all errors.
    public func check(_ ast: CELAST, expecting: CELType? = nil) -> CELCheckResult {
        if ast.height > DeepStack.inlineHeight {
            return DeepStack.run { var c = Checker(env: self, ast: ast, checked: true); return c.run(expecting: expecting) }
        }
        var c = Checker(env: self, ast: ast, checked: true)
        return c.run(expecting: expecting)
    }

    /// Parses, checks and plans an expression. `expecting: .bool` enforces a guard.
    /// Throws all parse or check errors.
    public func compile(_ text: String, expecting: CELType? = nil) throws(CELErrors) -> CELProgram {
        let ast = try parse(text)
        let checked = check(ast, expecting: expecting)
        if !checked.errors.isEmpty { throw CELErrors(checked.errors) }
        return try plan(checked)
    }

    /// Plans a checked expression into an executable program.
    public func plan(_ checked: CELCheckResult) throws(CELErrors) -> CELProgram {
        try planDeep(checked, checked: true)
    }

    func planDeep(_ r: CELCheckResult, checked: Bool) throws(CELErrors) -> CELProgram {
        if r.ast.height > DeepStack.inlineHeight {
            let res: Result<CELProgram, CELErrors> = DeepStack.run {
                var p = Planner(env: self, result: r, checked: checked)
                do throws(CELErrors) { return .success(try p.run()) } catch { return .failure(error) }
            }
            return try res.get()
        }
        var p = Planner(env: self, result: r, checked: checked)
        return try p.run()
    }

    /// Compiles without type checking: names resolve at runtime and functions dispatch dynamically.
    public func compileUnchecked(_ text: String) throws(CELErrors) -> CELProgram {
        let ast = try parse(text)
        let run = { var c = Checker(env: self, ast: ast, checked: false); return c.run(expecting: nil) }
        let r = ast.height > DeepStack.inlineHeight ? DeepStack.run(run) : run()
        return try planDeep(r, checked: false)
    }
}

/// A set of functions that can be registered together.
public protocol CELLibrary {
    var functions: [CELFunction] { get }
}

/// Variable bindings for one evaluation, indexed by slot. Reuse one per thread: evaluation
/// then performs no allocation for scalar-only expressions.
public final class CELActivation: @unchecked Sendable {
    // Raw storage avoids copy-on-write and exclusivity checks on the hot path.
    let storage: UnsafeMutablePointer<CELValue?>
    let slotCount: Int
    var locals: UnsafeMutablePointer<CELValue>
    var localCapacity: Int

    public init(slotCount: Int) {
        self.slotCount = slotCount
        storage = .allocate(capacity: max(slotCount, 1))
        storage.initialize(repeating: nil, count: max(slotCount, 1))
        localCapacity = 0
        locals = .allocate(capacity: 1)
    }

    deinit {
        storage.deinitialize(count: max(slotCount, 1))
        storage.deallocate()
        locals.deinitialize(count: localCapacity)
        locals.deallocate()
    }

    func growLocals(_ n: Int) {
        let p = UnsafeMutablePointer<CELValue>.allocate(capacity: n)
        p.initialize(repeating: .null, count: n)
        locals.deinitialize(count: localCapacity)
        locals.deallocate()
        locals = p
        localCapacity = n
    }

    /// The value bound to a slot (`nil` = unbound). Out-of-range slots read as unbound and ignore writes.
    public subscript(slot: Int) -> CELValue? {
        get { slot >= 0 && slot < slotCount ? storage[slot] : nil }
        set { if slot >= 0 && slot < slotCount { storage[slot] = newValue } }
    }

    /// Unbinds every variable (keeps the storage).
    public func reset() {
        for i in 0..<slotCount { storage[i] = nil }
    }
}

import Foundation
import Testing
@testable import CEL

/// A small HR-like environment used by several tests.
func hrEnv() -> (CELEnvironment, CELEnumType, CELRecordType, CELRecordType) {
    let env = CELEnvironment()
    let leave = env.declareEnum("LeaveType", members: ["annual", "sick", "unpaid"])
    let item = env.declareRecord("Item", fields: [.init("received", .bool), .init("name", .string)])
    let req = env.declareRecord("Request", fields: [
        .init("type", .enumType(leave)), .init("days", .int), .init("reason", .string, optional: true),
        .init("start", .date), .init("items", .list(.record(item))),
    ])
    env.declare("request", .record(req))
    env.register(WorkflowFunctions(calendar: WeekendCalendar(years: 2020...2030)))
    return (env, leave, req, item)
}

func checkErrors(_ env: CELEnvironment, _ text: String, expecting: CELType? = nil) -> [CELError] {
    do {
        _ = try env.compile(text, expecting: expecting)
        return []
    } catch {
        return error.errors
    }
}

func eval(_ text: String, _ env: CELEnvironment = CELEnvironment(), _ vars: [String: CELValue] = [:]) throws -> CELValue {
    try env.compile(text).evaluate(vars)
}

func request(_ req: CELRecordType, _ item: CELRecordType, type: String = "annual", days: Int64 = 3, reason: String? = nil,
             received: [Bool] = [true, true]) -> CELValue {
    var v: [String: CELValue] = [
        "type": .string(type), "days": .int(days), "start": .date(CELDate(year: 2026, month: 1, day: 30)!),
        "items": .list(received.enumerated().map { .record(CELRecord(type: item, values: ["received": .bool($1), "name": .string("i\($0)")])) }),
    ]
    if let reason { v["reason"] = .string(reason) }
    return .record(CELRecord(type: req, values: v))
}

@Suite struct ParserTests {
    @Test func spansAreUTF8ByteOffsets() throws {
        // "é" is two bytes, so `x` starts at byte 9, not 8.
        let ast = try CELParser.parse("'é' == x")
        guard case .call(_, let fn, let args, let nameSpan) = ast.root.kind else { Issue.record("not a call"); return }
        #expect(fn == "_==_")
        #expect(args[0].span == CELSpan(start: 0, end: 4))
        #expect(nameSpan == CELSpan(start: 5, end: 7))
        #expect(args[1].span == CELSpan(start: 8, end: 9))
        #expect(ast.root.span == CELSpan(start: 0, end: 9))
    }

    @Test func memberCallAndIndexSpans() throws {
        let ast = try CELParser.parse("a.b[1].f(2)")
        #expect(ast.root.span == CELSpan(start: 0, end: 11))
        guard case .call(let target?, "f", _, let nameSpan) = ast.root.kind else { Issue.record("not a receiver call"); return }
        #expect(nameSpan == CELSpan(start: 7, end: 8))
        #expect(target.span == CELSpan(start: 0, end: 6))
    }

    @Test func precedence() throws {
        #expect(try eval("1 + 2 * 3") == .int(7))
        #expect(try eval("(1 + 2) * 3") == .int(9))
        #expect(try eval("true || false && false") == .bool(true))
        #expect(try eval("1 < 2 == true") == .bool(true))
        #expect(try eval("!false ? 'a' : 'b'") == .string("a"))
        #expect(try eval("-9223372036854775808") == .int(Int64.min))
        #expect(try eval("2 in [1, 2]") == .bool(true))
    }

    @Test func literals() throws {
        #expect(try eval("0x1Fu") == .uint(31))
        #expect(try eval("r'\\n'") == .string("\\n"))
        #expect(try eval("'''a\nb'''") == .string("a\nb"))
        #expect(try eval("'\\u00e9\\U0001F431\\x41\\101'") == .string("é🐱AA"))
        #expect(try eval("b'\\xff\\000'") == .bytes([0xFF, 0]))
        #expect(try eval("1e3") == .double(1000))
    }

    func syntaxError(_ text: String) -> CELError? {
        do { _ = try CELParser.parse(text); return nil } catch { return error.errors.first }
    }

    @Test func syntaxErrorsHaveSpans() {
        let e = syntaxError("1 +")
        #expect(e?.kind == .syntax)
        #expect(e?.span == CELSpan(start: 3, end: 3))
        let eq = syntaxError("a = 1")
        #expect(eq?.kind == .syntax)
        #expect(eq?.span == CELSpan(start: 2, end: 3))
        #expect(eq?.suggestion == "==")
        #expect(syntaxError("[1, 2")?.kind == .syntax)
        #expect(syntaxError("'unterminated")?.kind == .syntax)
    }

    @Test func badEscapesAndNumbers() {
        let e = syntaxError("'a\\qb'")
        #expect(e?.kind == .badEscape)
        #expect(e?.span == CELSpan(start: 2, end: 4))
        #expect(syntaxError("'\\uD800'")?.kind == .badEscape)
        #expect(syntaxError("9223372036854775808")?.kind == .numberOutOfRange)
        #expect(syntaxError("18446744073709551616u")?.kind == .numberOutOfRange)
        #expect(syntaxError("b'\\400'")?.kind == .badEscape)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        #expect(syntaxError(deep)?.kind == .tooComplex)
        let lists = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(syntaxError(lists)?.kind == .tooComplex)
        let chain = Array(repeating: "1", count: 3000).joined(separator: " + ")
        #expect(syntaxError(chain)?.kind == .tooComplex)
        let longOr = Array(repeating: "false", count: 3000).joined(separator: " || ")
        #expect(syntaxError(longOr) == nil) // balanced, so fine
        var limits = CELLimits()
        limits.maxLength = 10
        #expect((try? CELParser.parse("1 + 1 + 1 + 1", limits: limits)) == nil)
    }

    @Test func macros() throws {
        #expect(try eval("[1, 2, 3].all(x, x > 0)") == .bool(true))
        #expect(try eval("[1, 2, 3].exists(x, x > 2)") == .bool(true))
        #expect(try eval("[1, 2, 3].exists_one(x, x > 1)") == .bool(false))
        #expect(try eval("[1, 2, 3].map(x, x * 2)") == .list([.int(2), .int(4), .int(6)]))
        #expect(try eval("[1, 2, 3].map(x, x > 1, x * 2)") == .list([.int(4), .int(6)]))
        #expect(try eval("[1, 2, 3].filter(x, x != 2)") == .list([.int(1), .int(3)]))
        #expect(try eval("has({'a': 1}.a) && !has({'a': 1}.b)") == .bool(true))
        let env = CELEnvironment()
        let errs = checkErrors(env, "has(1)")
        #expect(errs.first?.kind == .badMacro)
        #expect(checkErrors(env, "[1].all(1, true)").first?.kind == .badMacro)
    }
}

@Suite struct CheckerTests {
    @Test func enumNonMemberWithSuggestion() {
        let (env, _, _, _) = hrEnv()
        let errs = checkErrors(env, #"request.type == "anual""#)
        #expect(errs.count == 1)
        #expect(errs.first?.kind == .enumNonMember)
        #expect(errs.first?.span == CELSpan(start: 16, end: 23))
        #expect(errs.first?.suggestion == "annual")
        #expect(errs.first?.message.contains("annual, sick, unpaid") == true)
        // Literal on the left, != and `in` lists are checked too.
        #expect(checkErrors(env, #""sik" != request.type"#).first?.suggestion == "sick")
        let inErrs = checkErrors(env, #"request.type in ["annual", "unpayed"]"#)
        #expect(inErrs.first?.kind == .enumNonMember)
        #expect(inErrs.first?.span == CELSpan(start: 27, end: 36))
        #expect(checkErrors(env, #"request.type == "sick" || request.type in ["unpaid"]"#).isEmpty)
    }

    @Test func unknownFieldWithSuggestion() {
        let (env, _, _, _) = hrEnv()
        let errs = checkErrors(env, "request.dayz > 3")
        #expect(errs.first?.kind == .unknownField)
        #expect(errs.first?.span == CELSpan(start: 8, end: 12))
        #expect(errs.first?.suggestion == "days")
        #expect(checkErrors(env, "has(request.reasn)").first?.kind == .unknownField)
    }

    @Test func collectsAllErrors() {
        let (env, _, _, _) = hrEnv()
        let errs = checkErrors(env, "request.dayz > 3 && reqest.days > 1 && sizee(1) == 1")
        #expect(errs.map(\.kind) == [.unknownField, .unknownIdentifier, .unknownFunction])
        #expect(errs[1].suggestion == "request")
        #expect(errs[1].span == CELSpan(start: 20, end: 26))
        #expect(errs[2].suggestion == "size")
    }

    @Test func overloadAndArityErrors() {
        let env = CELEnvironment()
        env.declare("n", .int)
        let plus = checkErrors(env, "n + 'a'")
        #expect(plus.first?.kind == .noMatchingOverload)
        #expect(plus.first?.span == CELSpan(start: 2, end: 3))
        #expect(checkErrors(env, "size(1, 2)").first?.kind == .wrongArity)
        #expect(checkErrors(env, "n ? 1 : 2").first?.kind == .typeMismatch)
        #expect(checkErrors(env, "true ? 1 : 'a'").first?.kind == .typeMismatch)
        #expect(checkErrors(env, "n.startsWith('a')").first?.kind == .noMatchingOverload)
    }

    @Test func nonBoolGuard() {
        let env = CELEnvironment()
        let errs = checkErrors(env, "1 + 2", expecting: .bool)
        #expect(errs.first?.kind == .nonBoolResult)
        #expect(errs.first?.span == CELSpan(start: 0, end: 5))
        #expect(checkErrors(env, "1 < 2", expecting: .bool).isEmpty)
    }

    @Test func deducedTypes() throws {
        let (env, leave, _, item) = hrEnv()
        #expect(try env.compile("[1, 2]").type == .list(.int))
        #expect(try env.compile("{'a': [1u]}").type == .map(.string, .list(.uint)))
        #expect(try env.compile("[1, 'a']").type == .list(.dyn))
        #expect(try env.compile("request.type").type == .enumType(leave))
        #expect(try env.compile("request.items[0]").type == .record(item))
        #expect(try env.compile("request.items.map(i, i.name)").type == .list(.string))
        #expect(try env.compile("date('2026-01-31')").type == .date)
        #expect(try env.compile("days_between(request.start, date('2026-02-03'))").type == .int)
    }

    @Test func badRegexIsACheckError() {
        let env = CELEnvironment()
        let errs = checkErrors(env, "'a'.matches('(a')")
        #expect(errs.first?.kind == .badRegex)
        #expect(errs.first?.span == CELSpan(start: 12, end: 16))
        #expect(checkErrors(env, #"'aa'.matches('(a)\\1')"#).first?.kind == .badRegex)
        #expect(checkErrors(env, "'a'.matches('a(?=b)')").first?.kind == .badRegex)
    }

    @Test func typeNames() throws {
        let (env, leave, req, _) = hrEnv()
        #expect(try env.parseType("list(int)") == .list(.int))
        #expect(try env.parseType("map(string, list(date))") == .map(.string, .list(.date)))
        #expect(try env.parseType("LeaveType") == .enumType(leave))
        #expect(try env.parseType("Request") == .record(req))
        #expect(try env.parseType("duration") == .duration)
        #expect(throws: CELError.self) { try env.parseType("lst(int)") }
        #expect(throws: CELError.self) { try env.parseType("map(int)") }
    }
}

@Suite struct EvaluatorTests {
    @Test func recordsAndHas() throws {
        let (env, _, req, item) = hrEnv()
        let p = try env.compile("has(request.reason) ? request.reason : 'none'")
        #expect(try p.evaluate(["request": request(req, item)]) == .string("none"))
        #expect(try p.evaluate(["request": request(req, item, reason: "flu")]) == .string("flu"))
        // Reading an absent optional field is an evaluation error with the field's span.
        let q = try env.compile("request.reason == 'x'")
        #expect(throws: CELEvalError.self) { try q.evaluate(["request": request(req, item)]) }
        do { _ = try q.evaluate(["request": request(req, item)]) } catch {
            #expect(error.kind == .fieldNotSet)
            #expect(error.span == CELSpan(start: 0, end: 14))
        }
        let all = try env.compile("request.items.all(i, i.received)")
        #expect(try all.evaluate(["request": request(req, item)]) == .bool(true))
        #expect(try all.evaluate(["request": request(req, item, received: [true, false])]) == .bool(false))
    }

    @Test func errorsAreStructured() throws {
        func kind(_ t: String) -> CELEvalErrorKind? {
            do { _ = try eval(t); return nil } catch { return (error as? CELEvalError)?.kind }
        }
        #expect(kind("1 / 0") == .divisionByZero)
        #expect(kind("1 % 0") == .moduloByZero)
        #expect(kind("9223372036854775807 + 1") == .overflow)
        #expect(kind("0u - 1u") == .overflow)
        #expect(kind("[1][5]") == .indexOutOfBounds)
        #expect(kind("{'a': 1}['b']") == .noSuchKey)
        #expect(kind("int('x')") == .conversion)
        #expect(kind("string(b'\\xff')") == .invalidUTF8)
        #expect(kind("timestamp('10000-01-01T00:00:00Z')") == .outOfRange)
        do { _ = try eval("2 + 1 / 0") } catch let e as CELEvalError {
            #expect(e.span == CELSpan(start: 4, end: 9))
        }
    }

    @Test func logicAbsorbsErrors() throws {
        #expect(try eval("1 / 0 == 1 || true") == .bool(true))
        #expect(try eval("false && 1 / 0 == 1") == .bool(false))
        #expect(throws: CELEvalError.self) { try eval("1 / 0 == 1 || false") }
    }

    @Test func heterogeneousEquality() throws {
        #expect(try eval("dyn(1) == 1.0 && dyn(1u) == 1 && [1, 2.0] == [1u, 2]") == .bool(true))
        #expect(try eval("'a' in {'a': 1} && !('b' in {'a': 1})") == .bool(true))
        #expect(try eval("{1: 'a'}[dyn(1u)]") == .string("a"))
        // Without dyn the checker rejects the mismatched key type, as in the reference checker.
        #expect(checkErrors(CELEnvironment(), "{1: 'a'}[1u]").first?.kind == .noMatchingOverload)
    }

    @Test func timestampsAndDurations() throws {
        #expect(try eval("timestamp('2009-02-13T23:31:30Z').getHours('+08:00')") == .int(7))
        #expect(try eval("timestamp('2009-02-13T23:31:30Z').getDayOfWeek('Europe/Paris')") == .int(6))
        #expect(try eval("duration('1h30m') == duration('90m')") == .bool(true))
        #expect(try eval("string(timestamp('2026-01-31T10:00:00+01:00') + duration('36h'))") == .string("2026-02-01T21:00:00Z"))
        #expect(throws: CELEvalError.self) { try eval("timestamp('2009-02-13T23:31:30Z').getHours('Mars/Base')") }
    }

    @Test func regexIsLinear() throws {
        #expect(try eval("'abc123'.matches('^[a-z]+\\\\d{3}$')") == .bool(true))
        #expect(try eval("'ABC'.matches('(?i)^abc$')") == .bool(true))
        #expect(try eval("'x-ray'.matches('^\\\\w+$')") == .bool(false))
        #expect(try eval("'Ünïcode'.matches('^\\\\p{L}+$')") == .bool(true))
        // Catastrophic for backtracking engines; linear here.
        let env = CELEnvironment()
        env.declare("s", .string)
        let p = try env.compile("s.matches('^(a+)+$') || s.matches('(a|a)*b')")
        let long = String(repeating: "a", count: 20_000) + "!"
        let start = Date()
        #expect(try p.evaluate(["s": .string(long)]) == .bool(false))
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(throws: CELRegex.SyntaxError.self) { try CELRegex("a{1001}") }
        #expect(throws: CELRegex.SyntaxError.self) { try CELRegex("a**") }
        #expect(throws: CELRegex.SyntaxError.self) { try CELRegex("(?<=a)b") }
    }

    @Test func noAllocationActivationReuse() throws {
        let env = CELEnvironment()
        let x = env.declare("x", .int)
        let p = try env.compile("x > 3", expecting: .bool)
        let act = env.makeActivation()
        for i in 0..<10 {
            act[x] = .int(Int64(i))
            #expect(try p.evaluateBool(act) == (i > 3))
        }
        act[x] = nil
        #expect(throws: CELEvalError.self) { try p.evaluate(act) }
    }
}

@Suite struct WorkflowFunctionTests {
    @Test func dates() throws {
        let (env, _, _, _) = hrEnv()
        #expect(try eval("days_between(date('2026-01-30'), date('2026-02-02'))", env) == .int(3))
        #expect(try eval("days_between(date('2026-02-02'), date('2026-01-30'))", env) == .int(-3))
        // Fri 2026-01-30 .. Mon 2026-02-02: only Friday is a working day in [start, end).
        #expect(try eval("working_days_between(date('2026-01-30'), date('2026-02-02'))", env) == .int(1))
        #expect(try eval("working_days_between(date('2026-01-26'), date('2026-02-02'))", env) == .int(5))
        #expect(try eval("add_working_days(date('2026-01-30'), 1)", env) == .date(CELDate(year: 2026, month: 2, day: 2)!))
        #expect(try eval("add_working_days(date('2026-02-02'), -1)", env) == .date(CELDate(year: 2026, month: 1, day: 30)!))
        // (a, b]: a Saturday start is excluded, the Monday end included; n == 0 rolls forward.
        #expect(try eval("working_days_between(date('2026-01-31'), date('2026-02-02'))", env) == .int(1))
        #expect(try eval("working_days_between(date('2026-02-02'), date('2026-01-31'))", env) == .int(-1))
        #expect(try eval("add_working_days(date('2026-01-31'), 0)", env) == .date(CELDate(year: 2026, month: 2, day: 2)!))
        #expect(try eval("add_working_days(date('2026-02-02'), 0)", env) == .date(CELDate(year: 2026, month: 2, day: 2)!))
        #expect(try eval("add_days(date('2026-01-31'), 1) == date('2026-02-01')", env) == .bool(true))
        // Calendar months keep the day, or clamp to a shorter month's last day.
        #expect(try eval("add_months(date('2026-01-31'), 1)", env) == .date(CELDate(year: 2026, month: 2, day: 28)!))
        #expect(try eval("add_months(date('2024-01-31'), 1)", env) == .date(CELDate(year: 2024, month: 2, day: 29)!))
        #expect(try eval("add_months(date('2025-11-15'), 2)", env) == .date(CELDate(year: 2026, month: 1, day: 15)!))
        #expect(try eval("add_months(date('2026-03-31'), -1)", env) == .date(CELDate(year: 2026, month: 2, day: 28)!))
        #expect(throws: (any Error).self) { try eval("add_months(date('9999-12-01'), 1)", env) }
        #expect(try eval("date('2026-01-31') < date('2026-02-01')", env) == .bool(true))
        #expect(try eval("date('2026-01-31').getDayOfWeek()", env) == .int(6))
        #expect(try eval("string(date('2026-01-31'))", env) == .string("2026-01-31"))
    }

    @Test func missingCalendarData() throws {
        let (env, _, _, _) = hrEnv()
        do {
            _ = try eval("working_days_between(date('2019-12-30'), date('2020-01-03'))", env)
            Issue.record("expected an error")
        } catch let e as CELEvalError {
            #expect(e.kind == .missingCalendarData)
            #expect(e.message == "no calendar data for year 2019")
        }
        #expect(throws: CELEvalError.self) { try eval("date('2026-02-30')", env) }
    }

    @Test func hostFunctionsUseTheExtensionPoint() throws {
        let env = CELEnvironment()
        env.register(.member("initials", on: .string, [], .string, .unary({ v in
            guard case .string(let s) = v else { return .null }
            return .string(String(s.split(separator: " ").compactMap(\.first)))
        })))
        env.register(CELFunction(name: "clamp", overloads: [
            CELOverload(id: "clamp_int", params: [.int, .int, .int], result: .int, impl: .ternary({ a, b, c in
                guard case .int(let x) = a, case .int(let lo) = b, case .int(let hi) = c else { return .null }
                return .int(min(max(x, lo), hi))
            })),
        ]))
        #expect(try eval("'Ada Lovelace'.initials()", env) == .string("AL"))
        #expect(try eval("clamp(42, 0, 10)", env) == .int(10))
        #expect(checkErrors(env, "clamp('a', 0, 10)").first?.kind == .noMatchingOverload)
        #expect(checkErrors(env, "clamp(1, 2)").first?.kind == .wrongArity)
    }
}

@Suite struct CommandSupportTests {
    @Test func exprTool() throws {
        let json = Data(#"{"days": 4, "tags": ["a", "b"], "start": "2026-01-31"}"#.utf8)
        let out = try CELExprTool.run("days > 3 && 'a' in tags && start < date('2026-02-01')",
                                      declarations: ["days=int", "tags=list(string)", "start=date"], variablesJSON: json)
        #expect(out.type == "bool")
        #expect(out.value == "true")
        let m = try CELExprTool.run("{'k': [1, 2u, 2.5]}")
        #expect(m.type == "map(string, list(dyn))")
        #expect(m.value == #"{"k": [1, 2u, 2.5]}"#)
        let err = try CELExprTool.run("1 / 0")
        #expect(err.evaluationError?.kind == .divisionByZero)
    }

    @Test func jsonRecords() throws {
        let (env, _, req, _) = hrEnv()
        let obj: Any = try JSONSerialization.jsonObject(with: Data(#"{"type": "sick", "days": 2, "start": "2026-01-30", "items": []}"#.utf8))
        let v = try CELJSON.value(obj, as: .record(req))
        guard case .record(let r) = v else { Issue.record("not a record"); return }
        #expect(r["days"] == .int(2))
        #expect(r["reason"] == nil)
        let bad: Any = try JSONSerialization.jsonObject(with: Data(#"{"type": "sik", "days": 2, "start": "2026-01-30", "items": []}"#.utf8))
        do { _ = try CELJSON.value(bad, as: .record(req)); Issue.record("expected error") } catch {
            #expect(error.kind == .badValue)
            #expect(error.suggestion == "sick")
        }
        _ = env
    }

    @Test func formatting() {
        #expect(CELFormat.render(.double(1)) == "1.0")
        #expect(CELFormat.double(-0.0045) == "-0.0045")
        #expect(CELFormat.render(.bytes([0x61, 0xFF])) == #"b"a\xff""#)
        #expect(CELFormat.render(.string("a\"b")) == #""a\"b""#)
    }
}

@Suite struct RobustnessTests {
    /// Random token soup must only ever produce diagnostics or evaluation errors, never a trap.
    @Test func randomInputsNeverTrap() {
        let pieces = ["1", "0u", "-", "+", "*", "/", "%", "(", ")", "[", "]", "{", "}", ":", ",", ".", "?", "!", "&&", "||",
                      "==", "<", "in", "x", "y", "'s'", "b'\\xff'", "r'\\q'", "'\\u12'", "size", "has", "all", "map", "exists",
                      "e", "1.5", "9223372036854775807", "null", "true", "dyn", "int", "matches", "'(a'", "'a*'", "`f`",
                      "timestamp", "'2026-01-01T00:00:00Z'", "duration", "'1h'", "date", "'2026-02-30'", "filter", "é", "\u{0}"]
        var rng = SystemRandomNumberGenerator()
        let env = CELEnvironment()
        env.declare("x", .dyn)
        env.declare("y", .list(.int))
        for _ in 0..<(ProcessInfo.processInfo.environment["CEL_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 3000) {
            let n = Int.random(in: 1...14, using: &rng)
            let text = (0..<n).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined(separator: Bool.random() ? " " : "")
            if let p = try? env.compile(text) {
                _ = try? p.evaluate(["x": .int(1), "y": .list([.int(1)])])
            }
            if let p = try? env.compileUnchecked(text) {
                _ = try? p.evaluate(["x": .string("a")])
            }
            _ = try? CELRegex(text)
        }
    }
}

@Suite struct LimitsTests {
    /// The deepest tree the limits allow must compile and evaluate on a small (512 KiB) thread stack.
    @Test(arguments: [15, 17, 39, 41, 100, 999]) func maxHeightFitsSmallStack(_ n: Int) async throws {
        let chain = Array(repeating: "1", count: n).joined(separator: " + ")
        let nested = String(repeating: "[", count: 120) + String(repeating: "]", count: 120)
        let ok = await withCheckedContinuation { (cont: CheckedContinuation<Bool, Never>) in
            let t = Thread {
                var good = false
                                if let p = try? CELEnvironment().compile(chain) { if case .int(Int64(n))? = try? p.evaluate() {
                    if let q = try? CELEnvironment().compile("size(\(nested))"), case .int(1)? = try? q.evaluate() { good = true }
                } }
                cont.resume(returning: good)
            }
            t.stackSize = 512 * 1024
            t.start()
        }
        #expect(ok)
    }

    @Test func optionals() throws {
        #expect(try eval("optional.of(1).orValue(2) + optional.none().orValue(3)") == .int(4))
        #expect(try eval("optional.of('a').hasValue() && !optional.none().hasValue()") == .bool(true))
        #expect(try CELEnvironment().compile("[optional.none(), optional.of(1)]").type.description == "list(optional_type(int))")
    }
}

@Suite struct StringExtensionTests {
    @Test func stringHelpers() throws {
        #expect(try eval("'Ada@ACME.com'.lowerAscii()") == .string("ada@acme.com"))
        #expect(try eval("'abc'.upperAscii()") == .string("ABC"))
        #expect(try eval("'  hi \\n'.trim()") == .string("hi"))
        #expect(try eval("'a-b-c'.replace('-', '+')") == .string("a+b+c"))
        #expect(try eval("'a-b-c'.replace('-', '+', 1)") == .string("a+b-c"))
        #expect(try eval("'a,b,,c'.split(',')") == .list([.string("a"), .string("b"), .string(""), .string("c")]))
        #expect(try eval("'a,b,c'.split(',', 2)") == .list([.string("a"), .string("b,c")]))
        #expect(try eval("['a', 'b'].join('/')") == .string("a/b"))
        #expect(try eval("'héllo'.substring(1, 3)") == .string("él"))
        #expect(try eval("'héllo'.indexOf('l')") == .int(2))
        #expect(try eval("'héllo'.lastIndexOf('l')") == .int(3))
        #expect(try eval("'héllo'.charAt(1)") == .string("é"))
        #expect(throws: CELEvalError.self) { try eval("'abc'.substring(5)") }
    }
}

@Suite struct APITests {
    @Test func referencedVariablesAndLiterals() throws {
        let (env, _, _, _) = hrEnv()
        env.declare("limit", .int)
        env.declare("unused", .string)
        let p = try env.compile("request.days > limit && limit > 0")
        #expect(p.referencedVariables == ["limit", "request"])
        let v: CELValue = ["a", 1, true, nil, 2.5]
        #expect(v == .list([.string("a"), .int(1), .bool(true), .null, .double(2.5)]))
    }

    @Test func evaluationErrorAsDiagnostic() throws {
        do {
            _ = try eval("1 + 1 / 0")
            Issue.record("expected an error")
        } catch let e as CELEvalError {
            let d = e.asDiagnostic
            #expect(d.kind == .evaluation)
            #expect(d.span == CELSpan(start: 4, end: 9))
        }
    }
}

@Suite struct CompileCostTests {
    /// Typed planning falls back to generic planning; each node must still be planned once.
    @Test func fallbackPlanningIsLinear() throws {
        let chain = Array(repeating: "size('ab')", count: 400).joined(separator: " + ")
        let start = Date()
        let p = try CELEnvironment().compile(chain + " > 0", expecting: .bool)
        #expect(try p.evaluateBool(CELActivation(slotCount: 0)))
        #expect(Date().timeIntervalSince(start) < 5)
    }
}

@Suite struct DifferentialTests {
    /// Random int/bool expressions: the checked program (native fast paths) and the unchecked one
    /// (generic dynamic dispatch) must agree on value or on failing.
    @Test func checkedAndUncheckedAgree() throws {
        var rng = SystemRandomNumberGenerator()
        func intExpr(_ d: Int) -> String {
            if d == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
                return ["0", "1", "-3", "7", "x", "r.n", "9223372036854775807", "size('ab')", "[1, 2][1]"].randomElement(using: &rng) ?? "1"
            }
            let op = ["+", "-", "*", "/", "%"].randomElement(using: &rng) ?? "+"
            if Int.random(in: 0..<6, using: &rng) == 0 { return "(\(boolExpr(d - 1)) ? \(intExpr(d - 1)) : \(intExpr(d - 1)))" }
            return "(\(intExpr(d - 1)) \(op) \(intExpr(d - 1)))"
        }
        func boolExpr(_ d: Int) -> String {
            if d == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
                return ["true", "false", "b", "r.f", "has(r.o)", "[1, 2].exists(i, i == x)"].randomElement(using: &rng) ?? "true"
            }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return "(\(boolExpr(d - 1)) \(["&&", "||"].randomElement(using: &rng) ?? "&&") \(boolExpr(d - 1)))"
            case 1: return "!\(boolExpr(d - 1))"
            case 2: return "(\(boolExpr(d - 1)) \(["==", "!="].randomElement(using: &rng) ?? "==") \(boolExpr(d - 1)))"
            default: return "(\(intExpr(d - 1)) \(["<", "<=", ">", ">=", "==", "!="].randomElement(using: &rng) ?? "<") \(intExpr(d - 1)))"
            }
        }
        let env = CELEnvironment()
        let rec = env.declareRecord("R", fields: [.init("n", .int), .init("f", .bool), .init("o", .int, optional: true)])
        env.declare("x", .int)
        env.declare("b", .bool)
        env.declare("r", .record(rec))
        let vars: [String: CELValue] = ["x": 2, "b": true, "r": .record(CELRecord(type: rec, values: ["n": 5, "f": false]))]
        for _ in 0..<1500 {
            let text = Bool.random(using: &rng) ? boolExpr(5) : intExpr(5)
            let checked = try env.compile(text)
            let unchecked = try env.compileUnchecked(text)
            let a = Result { try checked.evaluate(vars) }
            let b = Result { try unchecked.evaluate(vars) }
            switch (a, b) {
            case let (.success(x), .success(y)): #expect(Conformance.same(x, y), "\(text): \(x.debugText) vs \(y.debugText)")
            case (.failure, .failure): break
            default: Issue.record("\(text): checked \(a) vs unchecked \(b)")
            }
        }
    }
}

import Testing
import WFCDiagnostics
import WFCCompiler
import WFCYAML

/// Checked expressions are shared between files with the same case schema; files whose
/// schemas differ must still each get their own answer, in any order.
@Suite struct SharedCheckingTests {
    func workflow(_ name: String, schema: String, guardText: String) -> SourceFile {
        SourceFile(path: "\(name).yaml", text: """
            workflow: \(name)
            version: 1
            title: t
            roles: {m: {title: M}}
            case: {\(schema)}
            start: s
            states:
              s: {on: {go: {by: m, to: done, when: "\(guardText)"}, stop: {by: m, to: done}}}
              done: {final: completed}

            """)
    }

    func codes(_ f: SourceFile) -> [String] {
        var c = WorkflowCompiler()
        c.seal = false
        return c.compile(f).diagnostics.map(\.code.rawValue)
    }

    @Test func theSameGuardIsCheckedAgainstEachSchema() {
        let guardText = "case.x > 3"
        let asInt = workflow("a", schema: "x: int", guardText: guardText)
        let asText = workflow("b", schema: "x: string", guardText: guardText)
        let missing = workflow("c", schema: "y: int", guardText: guardText)
        for _ in 0..<2 {
            #expect(codes(asInt) == [])
            #expect(codes(asText) == ["WFC4003"])
            #expect(codes(missing) == ["WFC4002"])
        }
    }

    @Test func enumMembersAndOptionalityAreTheSchema() {
        let guardText = "case.kind == 'sick'"
        let sick = workflow("d", schema: "kind: {enum: [annual, sick]}", guardText: guardText)
        let noSick = workflow("e", schema: "kind: {enum: [annual, sickness]}", guardText: guardText)
        #expect(codes(sick) == [])
        #expect(codes(noSick) == ["WFC4005"])
        #expect(codes(sick) == [])
    }
}

/// `now` and `today` are declared for every workflow; the shared outcomes are keyed by the
/// case schema alone, so the same guard must still check against each file's schema.
@Suite struct TimeVariableCheckingTests {
    let shared = SharedCheckingTests()

    @Test func todayAndNowAreTypedInEveryFile() {
        let guardText = "days_between(today, case.x) >= 30 && now > timestamp('2025-01-01T00:00:00Z')"
        let asDate = shared.workflow("t1", schema: "x: date", guardText: guardText)
        let asInt = shared.workflow("t2", schema: "x: int", guardText: guardText)
        for _ in 0..<2 {
            #expect(shared.codes(asDate) == [])
            #expect(shared.codes(asInt) == ["WFC4003"])
        }
        #expect(shared.codes(shared.workflow("t3", schema: "x: date", guardText: "today > 3")) == ["WFC4003"])
        #expect(shared.codes(shared.workflow("t4", schema: "x: date", guardText: "now == case.x")) == ["WFC4003"])
        #expect(shared.codes(shared.workflow("t5", schema: "x: date", guardText: "tody == case.x")) == ["WFC4002"])
    }

    @Test func aFieldNamedTodayIsReadThroughCase() {
        let f = shared.workflow("t6", schema: "today: int", guardText: "case.today > 3 && today > date('2025-01-01')")
        #expect(shared.codes(f) == [])
    }

    /// The graph checks read field names from `case.X` only: a guard on `today` alone reads no
    /// field that could still be empty, and one on `case.last_day` warns about that field only.
    @Test func graphChecksDoNotTakeTodayForAField() {
        func policy(_ guardText: String) -> SourceFile {
            SourceFile(path: "late.yaml", text: """
                workflow: late
                version: 1
                title: t
                roles: {m: {title: M}}
                case: {last_day: date}
                start: s
                states:
                  s: {on: {go: {by: m, to: fill, when: "\(guardText)"}, stop: {by: m, to: done}}}
                  fill: {fills: [last_day], on: {go: {by: m, to: done}}}
                  done: {final: completed}

                """)
        }
        var c = WorkflowCompiler()
        c.seal = false
        #expect(c.compile(policy("today >= date('2025-01-01') && now > timestamp('2025-01-01T00:00:00Z')")).diagnostics.map(\.code.rawValue) == [])
        let reading = c.compile(policy("days_between(today, case.last_day) >= 30")).diagnostics
        #expect(reading.map(\.code.rawValue) == ["WFC5016"])
        #expect(reading.first?.message == "`case.last_day` may have no value when `s` reads it")
    }
}

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
              s: {on: {go: {by: m, to: done, when: "\(guardText)"}}}
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

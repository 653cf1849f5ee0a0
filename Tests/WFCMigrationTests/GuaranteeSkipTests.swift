import Testing
import WFCCompiler
import WFCDiagnostics
import WFCIR
import WFCRuntime

/// `GuaranteePaths.skipped` from states inside parallel branches and foreach bodies: a case
/// past the enforcing step of its own branch skips the guarantee; one before it, or beside a
/// branch that enforces it, does not.
@Suite struct GuaranteeSkipTests {
    static let parallel = """
        workflow: g
        version: 1
        title: 测试
        roles: {a: 甲, b: 乙}
        separate: [{roles: [a, b], assumption: 测试}]
        case:
          items: {checklist: {name: string}}
        guarantees:
          - {checklist: items, assumption: 测试}
        start: work
        states:
          work:
            assumption: 测试
            parallel:
              one:
                start: fill
                states:
                  fill: {fills: [items], on: {ready: {by: a, to: confirm}}}
                  confirm: {fills: [items], requires: {all_done: items}, on: {ok: {by: b, to: after}}}
                  after: {on: {done: {by: a, to: join}}}
              two:
                start: other
                states:
                  other: {on: {done: {by: b, to: join}}}
            then: finish
          finish: {final: completed}

        """

    func compiled(_ text: String) throws -> WorkflowIR {
        let r = WorkflowCompiler().compile(SourceFile(path: "g.yaml", text: text))
        guard let ir = r.ir else { throw Failure("does not compile: \(r.diagnostics.map(\.message))") }
        return ir
    }

    func skips(_ ir: WorkflowIR, _ state: String) throws -> [GuaranteePaths.Skip] {
        guard let s = ir.state(named: state) else { throw Failure("no state \(state)") }
        return GuaranteePaths.skipped(ir, from: s.id, guarantees: Array(ir.guarantees.indices))
    }

    @Test func aStatePastTheEnforcingStepOfItsBranchSkipsIt() throws {
        let ir = try compiled(Self.parallel)
        let skip = try skips(ir, "after")
        #expect(skip.map(\.final) == ["finish"])
        #expect(skip.first?.path == "after —join→ work —then→ finish")
    }

    @Test func statesBeforeTheStepOrBesideAnEnforcingBranchDoNot() throws {
        let ir = try compiled(Self.parallel)
        #expect(try skips(ir, "fill").isEmpty)
        #expect(try skips(ir, "confirm").isEmpty)
        // Branch `one` enforces it on every path from its start, before the join.
        #expect(try skips(ir, "other").isEmpty)
        #expect(try skips(ir, "work").isEmpty)
    }

    @Test func aForeachItemPastTheStepSkipsItOtherItemsAreNotCountedOn() throws {
        let text = """
            workflow: f
            version: 1
            title: 测试
            roles: {a: 甲, b: 乙}
            separate: [{roles: [a, b], assumption: 测试}]
            case:
              customers: {list: {name: string}}
              items: {checklist: {name: string}}
            guarantees:
              - {checklist: items, assumption: 测试}
            start: visits
            states:
              visits:
                assumption: 测试
                foreach: case.customers
                as: customer
                start: visit
                states:
                  visit: {fills: [items], on: {seen: {by: a, to: confirm}}}
                  confirm: {requires: {all_done: items}, on: {ok: {by: b, to: close}}}
                  close: {on: {closed: {by: a, to: join}}}
                then: done
              done: {final: completed}

            """
        let ir = try compiled(text)
        #expect(try skips(ir, "visit").isEmpty)
        #expect(try skips(ir, "close").map(\.path) == ["close —join→ visits —then→ done"])
    }
}

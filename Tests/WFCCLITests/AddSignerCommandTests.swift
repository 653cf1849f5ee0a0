import Foundation
import Testing

/// `wfc case add-signer` (加签) and an in-order sign-off (依次) through the built binary.
@Suite struct AddSignerCommandTests {
    let dir: URL

    init() throws {
        dir = try CLI.tempDir([
            "sign.yaml": """
                workflow: sign-modes
                version: 1
                title: 依次会签与加签
                roles:
                  handover: {title: 交接人}
                  receiver: {title: 接交人}
                  manager:  {title: 直接上级}
                separate:
                  - {roles: [handover, receiver, manager], assumption: 测试用}
                start: sign
                states:
                  sign:
                    title: 依次签字
                    signoff:
                      in_order: [handover, receiver]
                      add: {by: manager}
                    then: done
                  done: {final: completed}
                """,
            "case.yaml": "people: {handover: alice, receiver: bob, manager: carol}\n",
        ])
    }

    func wfc(_ args: [String]) throws -> CLIResult {
        try CLI.run(args, cwd: dir, env: ["WFC_STORE": dir.appendingPathComponent("s/store.sqlite").path])
    }

    @Test func addASignerBeforeTheOthersThenSignInOrder() throws {
        #expect(try wfc(["case", "start", "sign.yaml", "--data", "case.yaml", "--id", "C1"]).status == 0)
        let add = try wfc(["case", "add-signer", "C1", "--as", "carol", "--person", "dana", "--position", "before", "--reason", "先请法务审核"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("add_signer accepted"), "\(add.stdout)")

        let show = try wfc(["case", "show", "C1"])
        #expect(show.stdout.contains("mode: in order (依次); turn: added:dana"), "\(show.stdout)")
        #expect(show.stdout.contains("added: dana before, by carol (manager): 先请法务审核"), "\(show.stdout)")

        let early = try wfc(["case", "fire", "C1", "sign", "--as", "alice"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("error[WFC6030]"), "\(early.stderr)")
        #expect(early.stderr.contains("it is the turn of added:dana (dana)"), "\(early.stderr)")

        let conflict = try wfc(["case", "add-signer", "C1", "--as", "carol", "--person", "bob", "--position", "after", "--reason", "x"])
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("error[WFC6033]"), "\(conflict.stderr)")

        for who in ["dana", "alice", "bob"] {
            let r = try wfc(["case", "fire", "C1", "sign", "--as", who])
            #expect(r.status == 0, "\(who): \(r.stderr)")
        }
        let verify = try wfc(["case", "verify", "C1"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let history = try wfc(["case", "history", "C1"])
        #expect(history.stdout.contains("add_signer"), "\(history.stdout)")
    }
}

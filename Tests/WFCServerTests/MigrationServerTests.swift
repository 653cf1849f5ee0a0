import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WFCServer
import WFCService

/// `POST /v1/definitions/{hash}/migrations`: a dry run, the migration, verify, and who may.
@Suite struct MigrationServerTests {
    @Test func adminsMigrateTheRunningCasesOfADefinition() async throws {
        let h = try await Harness()
        try await h.app.test(.router) { client in
            let admin = try await deployAndStart(client, h)
            let v1 = try await client.call(.get, "/v1/definitions", token: admin).decode(DefinitionList.self).definitions[0].hash
            let second = try Harness.workflow.replacingOccurrences(of: "title: 人员变动交接工作制度\n", with: "title: 人员变动交接工作制度（修订）\n")
            let d = try await client.call(.post, "/v1/definitions?file=personnel-change.yaml", token: admin, yaml: second)
            let v2 = try d.decode(DeployResult.self).hash
            #expect(v2 != v1)
            func body(_ plan: String, dryRun: Bool) throws -> String {
                String(decoding: try JSONEncoder().encode(MigrationRequest(to: v2, plan: plan, dryRun: dryRun)), as: UTF8.self)
            }
            let path = "/v1/definitions/\(v1)/migrations"

            let boss = try await h.token("wang.wu")
            #expect(try await client.call(.post, path, token: boss, json: try body("from: a\nto: b\n", dryRun: true)).status == .forbidden)
            let bad = try await client.call(.post, path, token: admin, json: try body("from: a\nto: b\ndeadline: keep\n", dryRun: true))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.problem?.code == "WFC8130", "\(bad.text)")

            let dry = try await client.call(.post, path, token: admin, json: try body("from: a\nto: b\n", dryRun: true))
            #expect(dry.status == .ok, "\(dry.text)")
            let planned = try dry.decode(MigrationResult.self)
            #expect(planned.dryRun && planned.migrated == 1 && planned.cases.map(\.outcome) == ["would-migrate"])
            #expect(try await client.call(.get, "/v1/cases/C1", token: admin).decode(CaseView.self).definition == v1)

            let done = try await client.call(.post, path, token: admin, json: try body("from: a\nto: b\n", dryRun: false))
            let result = try done.decode(MigrationResult.self)
            #expect(result.cases.map(\.outcome) == ["migrated"] && result.cases[0].seq == 2, "\(done.text)")
            #expect(try await client.call(.get, "/v1/cases/C1", token: admin).decode(CaseView.self).definition == v2)
            let verify = try await client.call(.post, "/v1/cases/C1/verify", token: admin).decode(VerifyResult.self)
            #expect(verify.ok, "\(verify.problems)")
            // Nothing runs on v1 any more.
            let none = try await client.call(.post, path, token: admin, json: try body("from: a\nto: b\n", dryRun: false)).decode(MigrationResult.self)
            #expect(none.cases.isEmpty)
        }
    }
}

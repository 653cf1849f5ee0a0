import Foundation
import WFCDiagnostics
import WFCIR
import WFCMigration
import WFCRuntime
import WFCService
import WFCStore

extension CaseCommands {
    /// `wfc case migrate ID... --plan P [--to HASH] [--dry-run]` (or the plan given by options,
    /// ``InlineMigrationPlan``), or `--all-of HASH` for every
    /// running case of a definition: proves the plan (as `wfc check` does), then migrates each
    /// case as one step of its audit log. A case the plan cannot move is listed as refused and
    /// stays on its version. Exit 0 when every case was (or would be) migrated, 1 when one was
    /// refused or the plan has errors, 2 for usage errors.
    public func migrate(ids: [String], allOf: String?, plan planSource: MigrationPlanSource, to: String?, dryRun: Bool, now: String?, actor: String?,
                        input: InputSettings = InputSettings()) async -> CaseOutput {
        await guarded { () async throws(CaseFailure) -> CaseOutput in
            var out = CaseOutput()
            guard ids.isEmpty != (allOf == nil) else {
                throw CaseFailure(.usage, "name the cases to migrate, or --all-of HASH for every running case of a definition (not both)")
            }
            let file: SourceFile
            switch planSource {
            case .file(let planPath):
                do throws(CommandFailure) { file = try input.read(planPath) } catch { throw CaseFailure(error.status, error.message) }
            case .inline(let inline):
                do throws(InlinePlanProblem) { file = try inline.file() } catch { throw CaseFailure(.usage, error.message) }
            }
            let loaded = MigrationPlanFiles.load(file, compiler: input.compiler, root: input.root)
            if !loaded.diagnostics.isEmpty { out.stderr += diagnosticOutput.render(loaded.diagnostics.sortedForOutput(), sources: SourceMap(loaded.sources)) }
            guard let plan = loaded.plan, let new = loaded.new else {
                out.status = .diagnostics
                return out
            }
            if let to, to != plan.to {
                throw CaseFailure(.usage, "--to \(to), but the plan's `to:` compiles to \(plan.to)")
            }
            if let allOf, allOf != plan.from {
                throw CaseFailure(.usage, "--all-of \(allOf), but the plan's `from:` compiles to \(plan.from)")
            }
            let tz = new.definition.calendar?.timeZone ?? TimeZone(identifier: "UTC") ?? .current
            let at = try time(now, tz)
            if let now { out.stderr += timeNote(now, at, tz, zone: Self.zoneReason(new.definition)) }
            if let actor, let why = StoredText.problem(actor, what: "the actor") { throw CaseFailure(StoreError.unsafeText(why)) }
            let svc = try service(dryRun ? .read : .readWrite).at(at)
            let who = Principal.storeOperator(actingAs: actor)
            let cases: [String]
            do throws(ServiceError) {
                cases = allOf != nil ? try await svc.runningCases(of: plan.from, by: who) : ids
            } catch { throw CaseFailure(error) }
            let result: MigrationResult
            do throws(ServiceError) {
                result = try await svc.migrate(cases: cases, plan: plan, to: new.definition, dryRun: dryRun, by: who, policy: new.policySources) { c in
                    if format == .human { report(CaseOutput(stdout: Self.line(c)), to: &out) }
                }
            } catch { throw CaseFailure(error) }
            if format == .json {
                out.stdout += json(result)
            } else {
                let verb = dryRun ? "would migrate" : "migrated"
                out.stdout += "\(result.migrated) \(verb), \(result.refused) refused (plan \(result.planHash.prefix(19)), \(plan.from.prefix(19)) → \(plan.to.prefix(19)))\n"
            }
            if result.refused > 0 { out.status = .diagnostics }
            return out
        }
    }

    /// One case of a migration, as the human output shows it.
    static func line(_ c: MigrationCaseResult) -> String {
        var s = "\(StoredText.escaped(c.id))  \(c.outcome)"
        if let seq = c.seq { s += "  event \(seq)" }
        if let active = c.active { s += "  active: \(active.map(StoredText.escaped).joined(separator: ", "))" }
        if let code = c.code { s += "  \(code): \(StoredText.escaped(c.message ?? ""))" }
        for d in c.details ?? [] { s += "\n    - " + StoredText.escaped(d) }
        return s + "\n"
    }
}

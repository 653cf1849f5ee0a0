import ArgumentParser
import CEL
import Foundation
import WFCCalendar
import WFCCompiler
import WFCExpressions
import WFCDiagnostics
import WFCDriver

struct Expr: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and evaluate one CEL expression; prints its type and value.",
        discussion: """
            Try a guard before putting it in a policy:
              wfc expr 'case.notice_days >= 30' --workflow workflows/company-handover.yaml --vars case.json
              wfc expr 'days > 3 && name.startsWith("a")' --decl days=int --decl name=string --vars vars.json
            --vars is a JSON object of variable values (with --workflow, {"case": {...}}).
            """)

    @Argument(help: "The expression.")
    var expression: String

    @Option(name: .customLong("decl"), help: ArgumentHelp("Declare a variable, e.g. days=int or tags=list(string).", valueName: "name=type"))
    var declarations: [String] = []

    @Option(help: ArgumentHelp("A JSON file of variable values.", valueName: "file"))
    var vars: String?

    @Option(help: ArgumentHelp("Check against this workflow's case schema (`case.*`) and functions.", valueName: "file"))
    var workflow: String?

    @Option(help: ArgumentHelp("The working-day calendar for working_days_between and add_working_days.", valueName: "id"))
    var calendar = "cn-mainland"

    @Option(help: "human or json.")
    var format: ExprFormat = .human

    enum ExprFormat: String, ExpressibleByArgument, CaseIterable { case human, json }

    func run() throws {
        guard let cal = WorkingCalendar.builtin(calendar) else {
            throw CommandFailure(.usage, "unknown calendar '\(calendar)'; known: \(WorkingCalendar.builtinIDs.joined(separator: ", "))")
        }
        var env = CELEnvironment()
        env.register(WorkflowFunctions(calendar: CELWorkingDays(cal)))
        if let workflow {
            let result = try Compilation.compile(workflow)
            guard let ir = result.ir else {
                try Compilation.report(result, DiagnosticOutput(format: .human, useColor: false), toStderr: true)
                throw CommandFailure(.diagnostics, "\(workflow) has errors; fix them first")
            }
            env = CaseEnvironment(ir: ir, calendar: CELWorkingDays(cal)).env
        }
        var data: Data?
        if let vars {
            guard FileManager.default.fileExists(atPath: vars) else { throw CommandFailure(.usage, "no such file: \(vars)") }
            guard let d = FileManager.default.contents(atPath: vars) else { throw CommandFailure(.failure, "cannot read \(vars)") }
            data = d
        }
        let output: CELExprTool.Output
        do {
            output = try CELExprTool.run(expression, declarations: declarations, variablesJSON: data, environment: env)
        } catch {
            let file = SourceFile(path: "<expr>", text: expression)
            let ds = error.errors.map { WorkflowCompiler.diagnostic(for: $0, file: "<expr>") }
            let out = DiagnosticOutput(format: format == .json ? .json : .human, useColor: false)
            emit(out.render(ds, sources: SourceMap([file])))
            throw CommandFailure(.diagnostics, "")
        }
        switch format {
        case .human:
            emit("type: \(output.type)\n")
            if let v = output.value { emit("value: \(v)\n") }
        case .json:
            var o: [String: Any] = ["type": output.type]
            if let v = output.value { o["value"] = v }
            if let e = output.evaluationError { o["error"] = e.message }
            let d = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
            emit(String(decoding: d, as: UTF8.self) + "\n")
        }
        if let e = output.evaluationError {
            if format == .human { warn("evaluation failed: \(e.message)") }
            throw CommandFailure(.diagnostics, "")
        }
    }
}

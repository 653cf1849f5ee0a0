import ArgumentParser
import CEL
import Foundation
import WFCCalendar
import WFCCompiler
import WFCExpressions
import WFCDiagnostics
import WFCDriver
import WFCIR
import WFCScenarios
import WFCYAML

struct Expr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expr",
        abstract: CLIText.abstract("expr"),
        discussion: CLIText.discussion("expr"))

    @Argument(help: .text("expr.expression"))
    var expression: String

    @Option(name: .customLong("decl"), help: .text("expr.decl", valueName: "name=type"))
    var declarations: [String] = []

    @Option(help: .text("expr.vars", valueName: "file"))
    var vars: String?

    @Option(help: .text("expr.workflow", valueName: "file"))
    var workflow: String?

    @Option(help: .text("expr.calendar", valueName: "id"))
    var calendar: String?

    @Option(help: .text("expr.now", valueName: "time"))
    var now: String?

    @Option(help: .text("expr.format"))
    var format: ExprFormat = .human

    enum ExprFormat: String, ExpressibleByArgument, CaseIterable { case human, json }

    @OptionGroup var input: InputOptions

    func run() throws {
        var ir: WorkflowIR?
        if let workflow {
            let result = try Compilation.compile(workflow, input.settings)
            guard let compiled = result.ir else {
                try Compilation.report(result, DiagnosticOutput(format: .human, useColor: false), toStderr: true)
                throw CommandFailure(.diagnostics, CLIText.t("failure.has-errors", ["file": workflow]))
            }
            ir = compiled
        }
        // As at run time: the workflow's calendar unless --calendar names another. A workflow
        // without one has `today` in UTC (as the runtime has); working days still need a calendar.
        let calendarID = calendar ?? ir?.calendar ?? "cn-mainland"
        // A workflow's own calendar is the data its IR pins (a company file, a provisional year).
        let pinned = calendar == nil ? ir?.calendarData.flatMap { try? WorkingCalendar(ir: $0) } : nil
        guard let cal = pinned ?? WorkingCalendar.builtin(calendarID) else {
            throw CommandFailure(.usage, CLIText.t("failure.unknown-calendar", ["id": calendarID, "known": WorkingCalendar.builtinIDs.joined(separator: ", ")]))
        }
        let zoneCalendar: WorkingCalendar? = calendar == nil && ir != nil && ir?.calendar == nil ? nil : cal
        let instant: Date
        if let now {
            let zone = zoneCalendar?.timeZone ?? TimeZone(identifier: "UTC") ?? cal.timeZone
            guard let t = ClockText.parse(now, timeZone: zone) else {
                throw CommandFailure(.usage, CLIText.t("failure.now-not-a-time", ["now": now]))
            }
            instant = t
            if !ClockText.hasOffset(now) {
                warn("wfc: note: --now `\(now)` has no UTC offset: read as \(ClockText.format(t, timeZone: zone)) (\(zone.identifier), \(zoneCalendar == nil ? "UTC: the workflow has no calendar" : "the calendar's time zone"))")
            }
        } else {
            instant = Date()
        }
        // Whole seconds, as the runtime records a step's time.
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        var env = CELEnvironment()
        if let ir {
            env = CaseEnvironment(ir: ir, calendar: CELWorkingDays(cal)).env
        } else {
            env.register(WorkflowFunctions(calendar: CELWorkingDays(cal)))
            env.declare(CaseEnvironment.nowName, .timestamp)
            env.declare(CaseEnvironment.todayName, .date)
        }
        var time: [String: CELValue] = [
            CaseEnvironment.nowName: .timestamp(CELTimestamp(seconds: seconds)),
            CaseEnvironment.todayName: .date(CaseEnvironment.today(atSeconds: seconds, calendar: zoneCalendar)),
        ]
        // A `--decl now=…` retypes the variable: its value then comes from --vars.
        for d in declarations {
            if let name = d.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) { time[name] = nil }
        }
        var data: Data?
        if let vars {
            let file = try input.settings.read(vars)
            if let d = YAMLLoader.overLimitDiagnostic(file) {
                emit(DiagnosticOutput(format: format == .json ? .json : .human, useColor: false).render([d], sources: SourceMap([file])))
                throw CommandFailure(.diagnostics, "")
            }
            data = Data(file.bytes)
        }
        let output: CELExprTool.Output
        do {
            output = try CELExprTool.run(expression, declarations: declarations, variablesJSON: data, environment: env, values: time)
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
            if let name = output.unevaluatedVariable { emit("not evaluated: \(Self.unevaluated(name))\n") }
        case .json:
            var o: [String: Any] = ["type": output.type]
            if let v = output.value { o["value"] = v }
            if let name = output.unevaluatedVariable { o["not_evaluated"] = Self.unevaluated(name) }
            if let e = output.evaluationError { o["error"] = e.message }
            let d = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])
            emit(String(decoding: d, as: UTF8.self) + "\n")
        }
        if let e = output.evaluationError {
            if format == .human { warn(CLIText.t("note.evaluation-failed", ["why": e.message])) }
            throw CommandFailure(.diagnostics, "")
        }
    }

    /// Why an expression was type-checked only.
    static func unevaluated(_ variable: String) -> String {
        "no value for `\(variable)` (type-checked only; give values with --vars)"
    }
}

import ArgumentParser
import Foundation
import WFCCalendar
import WFCDriver
import WFCIR
import WFCScenarios

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: CLIText.abstract("calendar"),
        discussion: CLIText.discussion("calendar"))

    @Argument(help: .text("calendar.id", valueName: "id"))
    var id: String?

    @Option(help: .text("calendar.workflow", valueName: "file"))
    var workflow: String?

    @Flag(help: .text("calendar.provisional"))
    var provisional = false

    @Option(help: .text("calendar.today", valueName: "YYYY-MM-DD"))
    var today: String?

    func validate() throws {
        if let today, CalendarDate(parsing: today) == nil {
            throw ValidationError(CLIText.t("usage.today", ["today": today]))
        }
        if id != nil && workflow != nil { throw ValidationError(CLIText.t("usage.calendar-id-or-workflow")) }
    }

    func run() throws {
        // Noon UTC of --today: the same local date in every zone a calendar uses (UTC−11…+11).
        let now = today.flatMap(CalendarDate.init(parsing:)).map { Date(timeIntervalSince1970: Double($0.daysSinceEpoch) * 86_400 + 43_200) } ?? Date()
        let cwd = FileManager.default.currentDirectoryPath
        if let workflow {
            switch LoadedWorkflow.load(workflow) {
            case .failure(let f):
                throw CommandFailure(.diagnostics, f.diagnostics.isEmpty ? f.message : CLIText.t("failure.does-not-compile", ["file": workflow]))
            case .success(let w):
                guard var cal = w.definition.calendar else { throw CommandFailure(.failure, CLIText.t("failure.no-calendar", ["file": workflow])) }
                if provisional { cal = cal.withProvisionalYear() }
                emit(CalendarInfo.describe(cal, origin: "as \(workflow) compiles", today: now))
            }
            return
        }
        guard let id else {
            emit(CalendarInfo.list(from: cwd, today: now))
            return
        }
        switch CalendarLookup().resolve(id, workflowPath: cwd + "/_", provisional: provisional) {
        case .success(let cal):
            let origin = WorkingCalendar.builtinIDs.contains(id) ? "built in" : "\(CalendarLookup.folder)/\(id).json"
            emit(CalendarInfo.describe(cal, origin: origin, today: now))
        case .failure(let e):
            throw CommandFailure(.usage, e.description)
        }
    }
}

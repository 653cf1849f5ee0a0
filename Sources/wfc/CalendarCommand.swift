import ArgumentParser
import Foundation
import WFCCalendar
import WFCDriver
import WFCIR
import WFCScenarios

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Show working-day calendars: the years covered, their sources and the next gap.",
        discussion: """
            Without an id, lists the built-in calendars and the company calendars in calendars/ at the \
            root of the repository that holds the current directory (the nearest folder with .git or \
            .wfc.yaml). With an id, shows that calendar year by year: official years with their notice, \
            provisional years computed from the holiday law with their days off, and the first year \
            without data. --workflow shows the calendar a workflow file uses, as it compiles.
            """)

    @Argument(help: ArgumentHelp("A calendar id: built in (cn-mainland) or calendars/ID.json in the repository.", valueName: "id"))
    var id: String?

    @Option(help: ArgumentHelp("Show the calendar this workflow uses, with its provisional opt-in.", valueName: "file"))
    var workflow: String?

    @Flag(help: "Add the provisional year computed from the holiday law, as `provisional: law` does.")
    var provisional = false

    @Option(help: ArgumentHelp("The date the next gap is counted from; default: today.", valueName: "YYYY-MM-DD"))
    var today: String?

    func validate() throws {
        if let today, CalendarDate(parsing: today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD, not '\(today)'")
        }
        if id != nil && workflow != nil { throw ValidationError("give a calendar id or --workflow, not both") }
    }

    func run() throws {
        // Noon UTC of --today: the same local date in every zone a calendar uses (UTC−11…+11).
        let now = today.flatMap(CalendarDate.init(parsing:)).map { Date(timeIntervalSince1970: Double($0.daysSinceEpoch) * 86_400 + 43_200) } ?? Date()
        let cwd = FileManager.default.currentDirectoryPath
        if let workflow {
            switch LoadedWorkflow.load(workflow) {
            case .failure(let f):
                throw CommandFailure(.diagnostics, f.diagnostics.isEmpty ? f.message : "\(workflow) does not compile; run `wfc check \(workflow)`")
            case .success(let w):
                guard var cal = w.definition.calendar else { throw CommandFailure(.failure, "\(workflow) names no calendar") }
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

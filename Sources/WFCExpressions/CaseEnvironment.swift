import CEL
import Foundation
import WFCCalendar
import WFCIR

/// The CEL environment of a workflow's expressions, shared by the compiler (to check them)
/// and the runtime (to evaluate them): `case` is a record typed by the case schema, enum
/// fields are enum types, checklist items carry `done`, and the workflow date functions are
/// registered with the given calendar. Every workflow also has `now` (a `timestamp`: the time
/// of the step being processed) and `today` (its `date` in the calendar's time zone).
public struct CaseEnvironment: @unchecked Sendable {
    /// The name of the read-only variable holding the step's time.
    public static let nowName = "now"
    /// The name of the read-only variable holding the step's local date.
    public static let todayName = "today"
    /// Top-level names every expression already has; a foreach `as:` may not take one.
    public static let builtinNames: Set<String> = ["case", nowName, todayName]

    public let env: CELEnvironment
    /// The record type of `case`.
    public let caseType: CELRecordType
    /// The CEL type of each top-level field, by field id.
    public let fieldTypes: [Int: CELType]
    /// The slot of the `case` variable.
    public let caseSlot: Int
    /// Slots of extra variables (a foreach body's item), by name.
    public let extraSlots: [String: Int]
    /// The slot of `now` (a `timestamp`).
    public let nowSlot: Int
    /// The slot of `today` (a `date`).
    public let todaySlot: Int

    /// Builds the environment. `extra` declares further variables (a foreach item);
    /// `calendar` supplies working days to `working_days_between` and `add_working_days`.
    public init(ir: WorkflowIR, extra: [(String, CELType)] = [], calendar: any WorkingDayCalendar = WeekendCalendar()) {
        let env = CELEnvironment()
        var types: [Int: CELType] = [:]
        var fields: [CELRecordType.Field] = []
        for f in ir.fields {
            let t = Self.celType(f.type, name: f.name, env: env)
            types[f.id] = t
            fields.append(CELRecordType.Field(f.name, t, optional: f.optional && f.defaultValue == nil))
        }
        caseType = env.declareRecord("Case", fields: fields)
        caseSlot = env.declare("case", .record(caseType))
        // Declared for every workflow, so the compiler checks against exactly what the runtime
        // binds; a case field cannot clash with them (fields are read as `case.X`).
        nowSlot = env.declare(Self.nowName, .timestamp)
        todaySlot = env.declare(Self.todayName, .date)
        var slots: [String: Int] = [:]
        // The parser rejects an `as:` that names a built-in; skipping one here keeps a
        // hand-written IR from retyping `case`, `now` or `today`.
        for (name, t) in extra where !Self.builtinNames.contains(name) { slots[name] = env.declare(name, t) }
        env.register(WorkflowFunctions(calendar: calendar))
        self.env = env
        self.fieldTypes = types
        self.extraSlots = slots
    }

    /// Binds `now` and `today` in `activation` for a step at `now`.
    public func bindTime(_ activation: CELActivation, now: CELTimestamp, today: CELDate) {
        activation[nowSlot] = .timestamp(now)
        activation[todaySlot] = .date(today)
    }

    /// The local date of the instant `seconds` (since 1970-01-01T00:00:00Z): in `calendar`'s
    /// time zone (Asia/Shanghai for `cn-mainland`), or in UTC without a calendar — the zone
    /// the runtime already uses for the ends of days when a workflow names no calendar.
    public static func today(atSeconds seconds: Int64, calendar: WorkingCalendar?) -> CELDate {
        // `localDate` fails only outside years 1–9999, which a step's time never is.
        if let calendar, let d = try? calendar.localDate(Date(timeIntervalSince1970: TimeInterval(seconds))) {
            return CELDate(daysSinceEpoch: Int64(d.daysSinceEpoch))
        }
        // Floor division, so instants before 1970 fall on the right day.
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        return CELDate(daysSinceEpoch: days)
    }

    /// The CEL type of a schema type. Enum and record types are declared in `env` under
    /// `name` (a field path such as `items[]`).
    public static func celType(_ t: TypeIR, name: String, env: CELEnvironment) -> CELType {
        switch t {
        case .string: return .string
        case .int: return .int
        case .decimal: return .double
        case .bool: return .bool
        case .date: return .date
        case .datetime: return .timestamp
        case .duration: return .duration
        case .enumeration(let members): return .enumType(env.declareEnum(name, members: members))
        case .record(let fields):
            return .record(env.declareRecord(name, fields: fields.map { f in
                CELRecordType.Field(f.name, celType(f.type, name: name + "." + f.name, env: env), optional: f.optional)
            }))
        case .list(let element): return .list(celType(element, name: name + "[]", env: env))
        case .checklist(let fields):
            return .list(.record(env.declareRecord(name + "[]", fields: (fields + [FieldIR.doneFlag]).map { f in
                CELRecordType.Field(f.name, celType(f.type, name: name + "[]." + f.name, env: env), optional: f.optional)
            })))
        }
    }
}

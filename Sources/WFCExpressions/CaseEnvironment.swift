import CEL
import WFCIR

/// The CEL environment of a workflow's expressions, shared by the compiler (to check them)
/// and the runtime (to evaluate them): `case` is a record typed by the case schema, enum
/// fields are enum types, checklist items carry `done`, and the workflow date functions are
/// registered with the given calendar.
public struct CaseEnvironment: @unchecked Sendable {
    public let env: CELEnvironment
    /// The record type of `case`.
    public let caseType: CELRecordType
    /// The CEL type of each top-level field, by field id.
    public let fieldTypes: [Int: CELType]
    /// The slot of the `case` variable.
    public let caseSlot: Int
    /// Slots of extra variables (a foreach body's item), by name.
    public let extraSlots: [String: Int]

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
        var slots: [String: Int] = [:]
        for (name, t) in extra { slots[name] = env.declare(name, t) }
        env.register(WorkflowFunctions(calendar: calendar))
        self.env = env
        self.fieldTypes = types
        self.extraSlots = slots
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

import WFCIR
import Foundation

/// A JSON Schema (2020-12) of the workflow file format, for editors (completion and hover
/// docs through yaml-language-server) and for CI's independent validation. Built from the
/// same key lists the parser uses, so the two cannot drift apart silently.
public enum WorkflowSchema {
    public static let id = "https://wfc.dev/schema/wfc-workflow.schema.json"

    public static func json() -> String {
        let data = (try? JSONSerialization.data(withJSONObject: schema(), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func desc(_ s: String) -> [String: Any] { ["description": s] }
    /// Display text (titles, clauses, messages): a number such as `clause: 8` is text too.
    static var text: [String: Any] { ["type": ["string", "number"]] }
    static var ident: [String: Any] { ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"] }
    static var stringOrList: [String: Any] { ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]] }
    static let durationPattern = "^\\s*[0-9]{1,6}\\s*(working days?|workdays?|days?|calendar days?|weeks?|hours?|minutes?|months?|个工作日|工作日|天|日|个自然日|自然日|周|个星期|星期|小时|个小时|分钟|个月|月)\\s*$"

    static func object(_ props: [String: Any], required: [String] = [], description: String? = nil) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": props, "additionalProperties": false]
        if !required.isEmpty { o["required"] = required }
        if let description { o["description"] = description }
        return o
    }

    /// `clause:` or `assumption:` (not both) on a state or rule.
    static func traced(_ props: [String: Any], required: [String] = [], description: String? = nil) -> [String: Any] {
        var p = props
        p["clause"] = p["clause"] ?? text.merging(["description": "The section of the source policy this implements, e.g. 四.3"]) { $1 }
        p["assumption"] = ["type": "string", "pattern": "\\S",
                           "description": "Not stated by the source policy: the reason it is here anyway, e.g. 原文未规定期限，按公司惯例"]
        var o = object(p, required: required, description: description)
        o["not"] = ["required": ["clause", "assumption"]]
        return o
    }

    static func schema() -> [String: Any] {
        let duration: [String: Any] = ["type": "string", "pattern": durationPattern, "description": "e.g. `3 working days`, `2 days`, `3个工作日`"]
        let expr: [String: Any] = ["type": ["string", "boolean", "number"], "description": "A CEL expression over `case.*`, e.g. `case.notice_days >= 30`"]
        let requirement: [String: Any] = ["oneOf": [
            expr,
            traced(["all_done": ["type": "string", "description": "a checklist field whose items must all be done"], "message": text].filter { WorkflowParser.requirementKeys.contains($0.key) }, required: ["all_done"]),
            traced(["expr": expr, "message": text], required: ["expr"]),
        ]]
        let requires: [String: Any] = ["oneOf": [requirement, ["type": "array", "items": requirement]], "description": "Exit requirements"]
        var transition = traced([
            "back_to": ["type": "array", "items": ["type": "string"],
                        "description": "退回到指定步骤: the earlier steps the actor may send the case back to (chosen in the data's `back_to`), instead of `to`"],
            "by": stringOrList.merging(desc("The role(s) allowed to fire the event")) { $1 },
            "to": ["type": "string", "description": "The target state, or `join` to finish a branch"],
            "when": expr, "set": ["type": "object", "additionalProperties": expr, "description": "Assignments to case fields"],
            "fills": ["type": "array", "items": ["type": "string"], "description": "Fields the actor may fill in the event's data"],
            "requires": requires, "violation": text.merging(["description": "Records a policy violation when taken"]) { $1 },
            "clause": text.merging(["description": "The policy section, e.g. 四.2"]) { $1 }, "title": text, "description": text,
            "assign": stringOrList.merging(desc("Roles bound by this event to the people its data names (not at start)")) { $1 },
        ])
        transition["anyOf"] = [["required": ["to"]], ["required": ["back_to"]]]
        let event: [String: Any] = ["oneOf": [["type": "string"], transition, ["type": "array", "items": transition]]]
        let remind: [String: Any] = ["oneOf": [duration, traced([
            "after": duration.merging(desc("The first reminder, in working days from entering the state")) { $1 },
            "every": duration.merging(desc("Then one every this many working days")) { $1 },
            "times": ["type": "integer", "minimum": 1, "description": "At most this many reminders"],
            "to": stringOrList.merging(desc("Roles to remind instead of whoever has the open task")) { $1 },
        ].filter { WorkflowParser.remindKeys.contains($0.key) }, required: ["after"])], "description": "催办: reminders in working days"]
        let due: [String: Any] = ["oneOf": [duration, traced([
            "within": duration, "by": expr, "remind": remind,
            "overdue": traced(["escalate": stringOrList, "to": ["type": "string"], "violation": text].filter { WorkflowParser.overdueKeys.contains($0.key) }),
        ].filter { WorkflowParser.dueKeys.contains($0.key) })]]
        let signoff: [String: Any] = ["oneOf": [stringOrList, object([
            "all": ["type": "array", "items": ["type": "string"], "description": "Every one of these roles signs"],
            "n": ["type": "integer", "minimum": 1], "of": ["type": "array", "items": ["type": "string"]],
            "also": ["type": "object", "additionalProperties": expr, "description": "Roles that sign when their condition holds"],
            "in_order": ["type": "array", "items": ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]],
                         "description": "依次: these roles sign one after another, in this order; a nested list signs together, in any order"],
            "any": ["type": "array", "items": ["type": "string"], "description": "或签: any one of these roles signs"],
            "add": object([
                "by": stringOrList.merging(desc("加签: roles that may add a signer to the active sign-off")) { $1 },
                "positions": ["type": "array", "items": ["enum": WorkflowParser.addPositions], "description": "Where an added signer may go (default: all three)"],
            ]),
        ])]]
        let rounds: [String: Any] = ["type": "integer", "minimum": 1]
        let maxRounds: [String: Any] = [
            "oneOf": [rounds, traced([
                "limit": ["oneOf": [rounds, ["const": "unbounded", "description": "No bound: the source sets none (give the reason in `assumption:`)"]],
                          "description": "How often the state may be entered, or `unbounded`"],
                "then": ["type": "string", "description": "Where a step goes instead of entering the state once the rounds are used up"],
                "escalate": stringOrList.merging(desc("Roles notified when the rounds are used up")) { $1 },
                "violation": text.merging(["description": "Records a policy violation when the rounds are used up"]) { $1 },
                "clause": text.merging(["description": "The policy section of the bound (and of its violation)"]) { $1 },
            ].filter { WorkflowParser.roundLimitKeys.contains($0.key) }, required: ["limit"])],
            "description": "Bounds a loop: `3`, `{limit: 3, then: STATE, escalate: ROLE, violation: TEXT}`, or `{limit: unbounded, assumption: REASON}`",
        ]
        var stateProps: [String: Any] = [
            "title": text.merging(["description": "The display title, e.g. 交接审核"]) { $1 }, "description": text,
            "clause": text.merging(["description": "The policy section this state implements"]) { $1 },
            "assumption": ["type": "string", "pattern": "\\S",
                           "description": "A state the source policy does not state: the reason it is here anyway (instead of `clause`)"],
            "on": ["type": "object", "additionalProperties": event, "description": "Events and their transitions"],
            "requires": requires, "due": due, "then": ["type": "string"], "max_rounds": maxRounds,
            "fills": ["type": "array", "items": ["type": "string"]], "use": ["type": "string", "description": "A fragment id"],
            "final": ["enum": ["completed", "rejected", "cancelled", "withdrawn"]],
            "choice": ["type": "array", "items": ["oneOf": [object(["when": expr, "to": ["type": "string"]], required: ["when", "to"]),
                                                            object(["otherwise": ["type": "string"]], required: ["otherwise"])]]],
            "signoff": signoff,
            "parallel": ["type": "object", "additionalProperties": ["$ref": "#/$defs/region"]],
            "foreach": expr, "as": ident, "start": ["type": "string"],
            "states": ["$ref": "#/$defs/states"],
            "wait": ["oneOf": [duration, object(["until": expr, "for": duration])]],
            "remind": remind,
            "cc": ["oneOf": [stringOrList, traced(["enter": stringOrList, "leave": stringOrList].filter { WorkflowParser.ccKeys.contains($0.key) })],
                   "description": "抄送: roles notified when the state is entered or left (no task)"],
        ]
        stateProps = stateProps.filter { WorkflowParser.stateKeys.contains($0.key) }
        let field: [String: Any] = ["oneOf": [
            ["type": "string", "description": "A type: string, int, decimal, bool, date, datetime, duration (a trailing ? makes it optional)"],
            ["type": "array", "items": ["type": "string"], "description": "An enum"],
            object([
                "type": ["type": "string"],
                "enum": ["oneOf": [["type": "array", "items": ["type": "string"]],
                                   ["type": "object", "additionalProperties": ["type": "string", "minLength": 1],
                                    "description": "Members with their titles, in order: {resignation: 辞职}"]]],
                "record": ["$ref": "#/$defs/fields"], "list": ["oneOf": [["type": "string"], ["$ref": "#/$defs/fields"]]],
                "checklist": ["$ref": "#/$defs/fields"], "default": [:], "optional": ["type": "boolean"],
                "title": text, "description": text,
            ]),
        ]]
        let calendarID: [String: Any] = ["type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]*$", "examples": KnownCalendars.ids]
        let top: [String: Any] = [
            "workflow": ["type": "string", "pattern": "^[a-z][a-z0-9_-]*$", "description": "The workflow id"],
            "version": ["type": "integer"], "title": text, "description": text,
            "source": text.merging(["description": "The policy document this workflow encodes"]) { $1 },
            "calendar": ["oneOf": [calendarID, object(["id": calendarID, "provisional": ["enum": ["law"], "description": "Compute the year after the calendar's last one from the holiday law (provisional)"]], required: ["id"])],
                         "description": "The working-day calendar: built in (\(KnownCalendars.ids.joined(separator: ", "))) or calendars/ID.json at the repository root"],
            "import": stringOrList, "roles": ["type": "object", "additionalProperties": ["oneOf": [["type": "string"], object(["title": text, "description": text,
                "substitutes": ["type": "boolean", "description": "false: the person bound to the role acts in person, never through a substitute (代理)"]])]]],
            "separate": ["type": "array", "description": "Role groups held by different people",
                         "items": ["oneOf": [["type": "array", "items": ["type": "string"]],
                                             traced(["roles": ["type": "array", "items": ["type": "string"]]].filter { WorkflowParser.separationKeys.contains($0.key) },
                                                    required: ["roles"])]]],
            "case": ["$ref": "#/$defs/fields"],
            "guarantees": ["type": "array", "items": traced(["checklist": ["type": "string"], "signoff": stringOrList].filter { WorkflowParser.guaranteeKeys.contains($0.key) })],
            "omits": ["type": "array", "description": "Clauses of the policy left out on purpose, with the reason",
                      "items": object(["clause": text, "reason": text], required: ["clause", "reason"])],
            "start": ["type": "string"], "states": ["$ref": "#/$defs/states"],
            "reassign": traced(["by": stringOrList.merging(desc("Roles whose holders may reassign")) { $1 },
                                "roles": ["type": "array", "items": ["type": "string"], "description": "The roles that may be reassigned (default: every role)"]]
                                .filter { WorkflowParser.reassignKeys.contains($0.key) }, required: ["by"])
                .merging(["description": "Who may hand an open task, or a role for the rest of the case, to another person (转交); default nobody"]) { $1 },
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": id,
            "title": "wfc workflow",
            "description": "An HR policy workflow checked and run by wfc. See docs/language.md.",
            "oneOf": [
                object(top.filter { WorkflowParser.topKeys.contains($0.key) }, required: ["workflow", "version", "title", "roles", "start", "states"]),
                object(["fragment": ["type": "string"], "title": text, "description": text, "state": ["$ref": "#/$defs/state"]], required: ["fragment", "state"]),
            ],
            "$defs": [
                "state": object(stateProps).merging(["not": ["required": ["clause", "assumption"]]]) { $1 },
                "states": ["type": "object", "propertyNames": ["pattern": "^[A-Za-z_][A-Za-z0-9_]*$"], "additionalProperties": ["$ref": "#/$defs/state"]],
                "region": object(["title": text, "start": ["type": "string"], "states": ["$ref": "#/$defs/states"]], required: ["start", "states"]),
                "fields": ["type": "object", "additionalProperties": field],
            ],
        ]
    }
}

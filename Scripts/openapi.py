#!/usr/bin/env python3
"""Writes docs/openapi.json (the API of `wfc serve`) and its embedded copy
Sources/WFCServer/OpenAPIDocument.swift. Edit this file, run it, commit both outputs;
WFCServerTests checks that the served document equals docs/openapi.json."""
import json, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def arr(x): return {"type": "array", "items": x}
S = {"type": "string"}; I = {"type": "integer"}; B = {"type": "boolean"}
def opt(x): return {"anyOf": [x, {"type": "null"}]}
def obj(props, required=(), extra=False):
    o = {"type": "object", "properties": props, "required": list(required)}
    if not extra: o["additionalProperties"] = False
    return o
def jsonr(schema, desc): return {"description": desc, "content": {"application/json": {"schema": schema}}}
def problem(desc): return {"description": desc, "content": {"application/problem+json": {"schema": ref("Problem")}}}
errors = {
    "400": problem("Malformed request (WFC9004), unsafe text (WFC7012), a reused idempotency key (WFC7013)"),
    "401": problem("No or bad bearer token (WFC9003)"),
    "403": problem("Not authorized: WFC6009/WFC6019/WFC6022/WFC6025 from the policy (recorded), WFC9001 not a participant, WFC9002 missing scope, WFC9012 not a substitute"),
    "404": problem("Unknown case (WFC7001), definition (WFC7018) or route (WFC9007)"),
    "409": problem("Concurrent update (WFC7003, retryable) or a case id that exists (WFC7002)"),
    "413": problem("Body too large (WFC9005)"),
    "422": problem("Refused by the policy (WFC6xxx, recorded for an event), or a workflow with errors"),
}
def errs(*codes): return {c: errors[c] for c in codes}
bearer = [{"bearer": []}]
caseid = {"name": "id", "in": "path", "required": True, "schema": S}
personid = {"name": "id", "in": "path", "required": True, "schema": S, "description": "A person id"}

value = {"description": "Any JSON value (case data is checked against the workflow's schema)"}
diag_pos = obj({"offset": I, "line": I, "column": I}, ["offset", "line", "column"])
diag_loc = obj({"file": S, "start": ref("Position"), "end": ref("Position"), "label": S}, ["file", "start", "end"])
schemas = {
    "Position": diag_pos,
    "Location": diag_loc,
    "Diagnostic": obj({
        "severity": {"type": "string", "enum": ["error", "warning", "note"]}, "code": S, "message": S,
        "file": S, "start": ref("Position"), "end": ref("Position"), "label": S,
        "related": arr(ref("Location")), "notes": arr(S), "help": S,
        "fixes": arr(obj({"message": S, "location": ref("Location"), "replacement": S}, ["message", "location", "replacement"])),
    }, ["severity", "code", "message", "related", "notes", "fixes"]),
    "Problem": obj({
        "type": S, "title": S, "status": I, "detail": S, "instance": S, "code": S,
        "diagnostics": arr(ref("Diagnostic")), "retryable": B, "recordedSeq": I, "requestId": S,
    }, ["type", "title", "status", "detail", "code", "diagnostics"]),
    "DeployResult": obj({"hash": S, "workflow": S, "version": I, "createdAt": S, "created": B, "warnings": arr(ref("Diagnostic"))},
                        ["hash", "workflow", "version", "createdAt", "created", "warnings"]),
    "DeployedDefinition": obj({"hash": S, "workflow": S, "version": I, "createdAt": S}, ["hash", "workflow", "version", "createdAt"]),
    "DefinitionList": obj({"definitions": arr(ref("DeployedDefinition"))}, ["definitions"]),
    "StartCaseRequest": obj({
        "definition": {"type": "string", "description": "A content hash, or a workflow id for its newest deployed definition"},
        "id": S, "data": {"type": "object", "additionalProperties": value},
        "people": {"type": "object", "additionalProperties": S, "description": "role → person"},
    }, ["definition", "people"]),
    "FireRequest": obj({"event": S, "role": S, "item": I, "data": {
        "type": "object", "additionalProperties": value,
        "description": "Fields the event fills; for an event with `back_to:` (退回到指定步骤) also `back_to`: the step chosen, "
                       "one of the policy's list (else 422 WFC6035 with the allowed steps)"},
                        "assign": {"type": "object", "additionalProperties": S,
                                   "description": "Role → person for the roles the event's transition assigns (`assign:`)"},
                        "actingFor": {"type": "string", "description": "Sent as this person's substitute (代理): checked against their substitution at the event's time (WFC9012)"}},
                       ["event"]),
    "ReassignRequest": obj({"role": S, "person": S, "task": S, "item": I, "reason": S}, ["role", "person", "reason"]),
    "AddSignerRequest": obj({"person": {**S, "description": "The person to add"},
                             "position": {"type": "string", "enum": ["before", "after", "parallel"], "description": "Relative to the parties whose turn it is"},
                             "reason": {**S, "description": "Why (kept in the audit log)"}, "role": S, "item": I}, ["person", "position", "reason"]),
    "FireResult": obj({"outcome": {"type": "string", "enum": ["accepted", "replayed"]}, "id": S, "seq": I, "hash": S, "version": I,
                       "status": S, "active": arr(S), "effects": arr(S)},
                      ["outcome", "id", "seq", "hash", "version", "status", "active", "effects"]),
    "CaseView": obj({
        "id": S, "workflow": S, "definition": S, "status": S, "version": I, "headSeq": I, "headHash": S, "active": arr(S),
        "tasks": arr(obj({"state": S, "title": S, "item": I, "events": arr(S), "roles": arr(S), "people": arr(S)}, ["state", "events", "roles", "people"])),
        "signoffs": arr(obj({"state": S, "item": I, "signed": arr(obj({"role": S, "person": S, "at": S}, ["role", "person", "at"])),
                             "missing": arr(S), "quorumLeft": I,
                             "mode": {"type": "string", "enum": ["in_order", "any"], "description": "依次 or 或签; absent for all-of and N of M"},
                             "turn": {**arr(S), "description": "In order: the parties whose turn it is"},
                             "added": {**arr(obj({"party": S, "person": S, "position": {"type": "string", "enum": ["before", "after", "parallel"]},
                                                  "by": S, "byRole": S, "reason": S, "at": S},
                                                 ["party", "person", "position", "by", "byRole", "reason", "at"])),
                                       "description": "Signers added (加签); their party is added:PERSON"}},
                            ["state", "signed", "missing", "quorumLeft"])),
        "deadlines": arr(obj({"state": S, "kind": S, "due": S, "dueLocal": S, "secondsLeft": I, "workingDaysLeft": I, "fired": B,
                              "escalate": arr(S), "provisional": S}, ["state", "kind", "due", "dueLocal", "secondsLeft", "fired", "escalate"])),
        "checklists": arr(obj({"field": S, "done": I, "total": I, "notDone": arr(S)}, ["field", "done", "total", "notDone"])),
        "people": {"type": "object", "additionalProperties": S},
        "data": {"type": "object", "additionalProperties": value},
        "violations": arr(S), "escalations": arr(S),
        "reminders": {**arr(S), "description": "Reminders (催办) sent: `TIME STATE #N: role (person), …`; absent when none"},
        "copies": {**arr(S), "description": "Copies (抄送) sent: `TIME STATE enter|leave: role (person), …`; absent when none"},
    }, ["id", "workflow", "definition", "status", "version", "headSeq", "headHash", "active", "tasks", "signoffs", "deadlines",
        "checklists", "people", "data", "violations", "escalations"]),
    "CaseSummary": obj({"id": S, "workflow": S, "definitionHash": S, "version": I, "status": S, "active": arr(S), "nextDue": S,
                        "overdueSince": S, "createdAt": S, "updatedAt": S},
                       ["id", "workflow", "definitionHash", "version", "status", "active", "createdAt", "updatedAt"]),
    "CasePage": obj({"cases": arr(ref("CaseSummary")), "nextCursor": S}, ["cases"]),
    "AuditEvent": obj({"caseID": S, "seq": I, "kind": {"type": "string", "enum": ["start", "event", "tick", "refused"]}, "name": S,
                       "actor": S, "role": S, "item": I, "payload": S, "idempotencyKey": S, "time": S, "outcome": S, "prevHash": S, "hash": S},
                      ["caseID", "seq", "kind", "name", "payload", "time", "outcome", "prevHash", "hash"]),
    "HistoryResult": obj({"id": S, "events": arr(ref("AuditEvent"))}, ["id", "events"]),
    "VerifyResult": obj({"id": S, "ok": B, "events": I, "firstBadSeq": I, "firstDivergentSeq": I, "problems": arr(S),
                         "diagnostics": arr(ref("Diagnostic"))}, ["id", "ok", "events", "problems", "diagnostics"]),
    "PersonTask": obj({"caseID": S, "workflow": S, "state": S, "title": S, "item": I, "role": S, "events": arr(S), "due": S, "overdue": B,
                       "definition": {"type": "string", "description": "The content hash of the definition the case is pinned to (GET /v1/definitions/{hash})"},
                       "actingFor": {"type": "string", "description": "Open to the person as the substitute of this person (send events with actingFor)"}},
                      ["caseID", "workflow", "state", "role", "events"]),
    "TaskList": obj({"person": S, "tasks": arr(ref("PersonTask"))}, ["person", "tasks"]),
    "SubstituteRequest": obj({
        "substitute": S,
        "from": {"type": "string", "description": "A date (2025-10-01, from the start of that day, China Standard Time) or an RFC 3339 time"},
        "until": {"type": "string", "description": "A date (to the end of that day, included) or an RFC 3339 time (excluded)"},
        "reason": S,
    }, ["substitute", "from", "until"]),
    "Substitution": obj({"id": S, "person": S, "substitute": S, "from": S, "until": S, "reason": S, "createdBy": S, "createdAt": S,
                         "revokedBy": S, "revokedAt": S}, ["id", "person", "substitute", "from", "until", "createdBy", "createdAt"]),
    "SubstituteList": obj({"person": S, "substitutes": arr(ref("Substitution"))}, ["person", "substitutes"]),
    "TickResult": obj({"id": S, "seq": I, "version": I, "effects": arr(S), "error": S, "code": S}, ["id", "effects"]),
    "TickList": obj({"cases": arr(ref("TickResult"))}, ["cases"]),
    "MigrationRequest": obj({"to": {"type": "string", "description": "Content hash of the deployed definition to migrate to"},
                             "plan": {"type": "string", "description": "The migration plan's YAML text (docs/versions.md); its from/to are not read"},
                             "dryRun": B, "cases": arr(S)}, ["to", "plan"]),
    "MigrationCaseResult": obj({"id": S, "outcome": {"type": "string", "enum": ["migrated", "would-migrate", "refused"]}, "seq": I, "hash": S,
                                "version": I, "active": arr(S), "code": S, "kind": S, "message": S, "details": arr(S)}, ["id", "outcome"]),
    "MigrationResult": obj({"from": S, "to": S, "planHash": S, "dryRun": B, "migrated": I, "refused": I,
                            "cases": arr(ref("MigrationCaseResult")), "warnings": arr(ref("Diagnostic"))},
                           ["from", "to", "planHash", "dryRun", "migrated", "refused", "cases", "warnings"]),
}

paths = {
    "/healthz": {"get": {"operationId": "health", "summary": "Liveness", "security": [],
                         "responses": {"200": jsonr(obj({"status": S}, ["status"]), "The server is up")}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics", "security": [],
                         "description": "Open unless the server was started with --metrics-token-file: then `Authorization: Bearer` with that file's token.",
                         "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": S}}},
                                       "401": problem("The metrics token is required and missing or wrong (WFC9003)")}}},
    "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "security": [],
                              "responses": {"200": jsonr({"type": "object"}, "The OpenAPI document")}}},
    "/v1/definitions": {
        "post": {"operationId": "deploy", "summary": "Compile a workflow and pin it by content hash (scope admin)",
                 "parameters": [{"name": "file", "in": "query", "required": False, "schema": S, "description": "File name shown in diagnostics"}],
                 "requestBody": {"required": True, "content": {"application/yaml": {"schema": S}}},
                 "responses": {"201": jsonr(ref("DeployResult"), "Deployed"), "200": jsonr(ref("DeployResult"), "Deployed before (idempotent)"),
                               **errs("400", "401", "403", "413", "422")}},
        "get": {"operationId": "listDefinitions", "summary": "Deployed definitions, newest first",
                "parameters": [{"name": "workflow", "in": "query", "required": False, "schema": S}],
                "responses": {"200": jsonr(ref("DefinitionList"), "Definitions"), **errs("401")}},
    },
    "/v1/definitions/{hash}/migrations": {"post": {
        "operationId": "migrate", "summary": "Migrate the running cases of a definition to another by a plan (scope admin)",
        "description": "Each migrated case gets one `migrate` step in its audit log; a case the plan cannot move is listed as refused and stays on its version. A plan with errors is a 422 with its diagnostics (WFC8130-WFC8169).",
        "parameters": [{"name": "hash", "in": "path", "required": True, "schema": S}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("MigrationRequest")}}},
        "responses": {"200": jsonr(ref("MigrationResult"), "Per case: migrated, would migrate (dry run) or refused"),
                      **errs("400", "401", "403", "404", "409", "413", "422")}}},
    "/v1/cases": {
        "post": {"operationId": "startCase", "summary": "Start a case (scope cases:start or admin)",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": ref("StartCaseRequest")}}},
                 "responses": {"201": jsonr(ref("CaseView"), "Started"), **errs("400", "401", "403", "404", "409", "413", "422")}},
        "get": {"operationId": "listCases", "summary": "Cases, newest first, paged (without admin: the person's own cases)",
                "parameters": [{"name": n, "in": "query", "required": False, "schema": s} for n, s in
                               [("workflow", S), ("state", S), ("status", S), ("overdue", B), ("limit", {"type": "integer", "minimum": 1, "maximum": 500}), ("cursor", S)]],
                "responses": {"200": jsonr(ref("CasePage"), "A page of cases"), **errs("400", "401")}},
    },
    "/v1/cases/{id}": {"get": {"operationId": "showCase", "summary": "The case view (participants and admins)", "parameters": [caseid],
                               "responses": {"200": jsonr(ref("CaseView"), "The case"), **errs("401", "403", "404")}}},
    "/v1/cases/{id}/events": {"post": {
        "operationId": "fire", "summary": "Send an event as the token's person",
        "parameters": [caseid, {"name": "Idempotency-Key", "in": "header", "required": False, "schema": S,
                                "description": "Repeating a request with the same key returns its first outcome"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("FireRequest")}}},
        "responses": {"200": jsonr(ref("FireResult"), "Accepted (or replayed)"), **errs("400", "401", "403", "404", "409", "413", "422")}}},
    "/v1/cases/{id}/reassignments": {"post": {
        "operationId": "reassign", "summary": "Hand an open task, or a role for the rest of the case, to another person (转交) as the token's person",
        "parameters": [caseid, {"name": "Idempotency-Key", "in": "header", "required": False, "schema": S,
                                "description": "Repeating a request with the same key returns its first outcome"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("ReassignRequest")}}},
        "responses": {"200": jsonr(ref("FireResult"), "Accepted (or replayed)"), **errs("400", "401", "404", "409", "413"),
                      "403": problem("Not allowed to reassign: WFC6022 from the policy (recorded), WFC9001 not a participant, WFC9002 missing scope"),
                      "422": problem("Refused by the policy (WFC6023 no such open task, no reason…, WFC6004 separation of duties; recorded)")}}},
    "/v1/cases/{id}/signers": {"post": {
        "operationId": "addSigner", "summary": "Add a signer to an active sign-off (加签) as the token's person: the add_signer event, recorded in the audit log",
        "parameters": [caseid, {"name": "Idempotency-Key", "in": "header", "required": False, "schema": S,
                                "description": "Repeating a request with the same key returns its first outcome"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("AddSignerRequest")}}},
        "responses": {"200": jsonr(ref("FireResult"), "Added (or replayed)"), **errs("400", "401", "403", "404", "409", "413", "422")}}},
    "/v1/cases/{id}/history": {"get": {"operationId": "history", "summary": "The audit log with its hashes", "parameters": [caseid],
                                       "responses": {"200": jsonr(ref("HistoryResult"), "The log"), **errs("401", "403", "404")}}},
    "/v1/cases/{id}/verify": {"post": {"operationId": "verify", "summary": "Re-walk the hash chain and replay the log", "parameters": [caseid],
                                       "responses": {"200": jsonr(ref("VerifyResult"), "The report (ok may be false)"), **errs("401", "403", "404")}}},
    "/v1/tasks": {"get": {"operationId": "myTasks", "summary": "The token's person's open tasks, soonest deadline first",
                          "responses": {"200": jsonr(ref("TaskList"), "Tasks"), **errs("401")}}},
    "/v1/people/{id}/substitutes": {
        "post": {"operationId": "addSubstitute", "summary": "Name a substitute (代理) for a person: their own, or anyone's with scope admin",
                 "parameters": [personid],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": ref("SubstituteRequest")}}},
                 "responses": {"201": jsonr(ref("Substitution"), "Kept"),
                               "400": problem("Malformed request (WFC9004), a bad range (WFC9014) or person (WFC7027)"),
                               "401": errors["401"], "403": problem("Another person's substitutes without scope admin (WFC9013)"),
                               "409": problem("Overlaps a substitution the person has (WFC7025)")}},
        "get": {"operationId": "listSubstitutes", "summary": "A person's substitutions (named=true: those naming them; all=true: revoked too)",
                "parameters": [personid, {"name": "named", "in": "query", "required": False, "schema": B},
                               {"name": "all", "in": "query", "required": False, "schema": B}],
                "responses": {"200": jsonr(ref("SubstituteList"), "Substitutions"), "401": errors["401"],
                              "403": problem("Another person's substitutes without scope admin (WFC9013)")}},
    },
    "/v1/people/{id}/substitutes/{sub}": {"delete": {
        "operationId": "revokeSubstitute", "summary": "End a substitution now",
        "parameters": [personid, {"name": "sub", "in": "path", "required": True, "schema": S}],
        "responses": {"200": jsonr(ref("Substitution"), "Revoked (or revoked already)"), "401": errors["401"],
                      "403": problem("Another person's substitutes without scope admin (WFC9013)"),
                      "404": problem("No such substitution of the person (WFC7026)")}}},
    "/v1/tick": {"post": {"operationId": "tick", "summary": "Fire what is due in every running case (scope admin)",
                          "responses": {"200": jsonr(ref("TickList"), "What fired"), **errs("401", "403")}}},
}

doc = {
    "openapi": "3.1.0",
    "info": {"title": "wfc serve", "version": "0.1.0",
             "description": "HR policy workflows as a service: deploy definitions, start cases, send events, read tasks and audit logs. See docs/service.md."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": bearer,
    "paths": paths,
    "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
}
text = json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
open(os.path.join(root, "docs/openapi.json"), "w").write(text)
assert '"""#' not in text
swift = ('// Generated by Scripts/openapi.py from the same data as docs/openapi.json: do not edit.\n'
         '// WFCServerTests checks that the two are equal.\n\n'
         '/// The OpenAPI 3.1 document served at `GET /openapi.json`.\n'
         'enum OpenAPIDocument {\n    static let json = #"""\n' + text + '"""#\n}\n')
open(os.path.join(root, "Sources/WFCServer/OpenAPIDocument.swift"), "w").write(swift)

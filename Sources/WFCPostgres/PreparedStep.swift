import PostgresNIO
import WFCLedger

/// A step's writes (see ``PostgresRepository/apply(_:_:notifying:)``) as a statement prepared
/// once per connection: the server parses and plans it once, not at every step. One SQL text
/// for every step: whether the case columns, the pinned definition (a migration), the timers and
/// the task index are written is a parameter, and the rows are `jsonb` arrays (empty when there
/// are none).
struct PreparedStep: PostgresPreparedStatement {
    typealias Row = Int

    static let name = "wfc_step_v4"

    static let sql = """
        WITH moved AS (
            UPDATE cases SET
                version = CASE WHEN $2 THEN $3 ELSE version END,
                status = CASE WHEN $2 THEN $4 ELSE status END,
                active = CASE WHEN $2 THEN $5 ELSE active END,
                snapshot = CASE WHEN $2 THEN $6 ELSE snapshot END,
                updated_at = CASE WHEN $2 THEN $7 ELSE updated_at END,
                next_due = CASE WHEN $2 THEN $8 ELSE next_due END,
                definition_hash = COALESCE($31, definition_hash),
                head_seq = $9, head_hash = $10
            WHERE id = $1 AND version = $11 AND head_seq = $12 AND head_hash = $22 AND ($32::text IS NULL OR snapshot = $32)
            RETURNING id),
        new_event AS (
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for)
            SELECT id, $9, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $10, $23 FROM moved),
        timers_gone AS (DELETE FROM timers WHERE case_id = $1 AND $24 AND EXISTS (SELECT 1 FROM moved)),
        timers_new AS (
            INSERT INTO timers (case_id, state, kind, due, fired)
            SELECT moved.id, r.state, r.kind, r.due, r.fired
            FROM moved, jsonb_to_recordset($25::jsonb) AS r(state text, kind text, due text, fired boolean) WHERE $24),
        tasks_gone AS (DELETE FROM tasks WHERE case_id = $1 AND $26 AND EXISTS (SELECT 1 FROM moved)),
        tasks_new AS (
            INSERT INTO tasks (case_id, person, role, state, title, item, events, due)
            SELECT moved.id, r.person, r.role, r.state, r.title, r.item, r.events, r.due
            FROM moved, jsonb_to_recordset($27::jsonb) AS r(person text, role text, state text, title text, item bigint, events text, due text) WHERE $26),
        outbox_new AS (
            INSERT INTO outbox (id, case_id, seq, kind, payload, attempts, created_at, available_at)
            SELECT r.id, r.case_id, r.seq, r.kind, r.payload, 0, r.created_at, r.created_at
            FROM moved, jsonb_to_recordset($28::jsonb) AS r(id text, case_id text, seq bigint, kind text, payload text, created_at text))
        SELECT (SELECT count(*) FROM moved)::bigint,
               (SELECT count(*) FROM (SELECT pg_notify($29, k) FROM moved, unnest($30::text[]) AS k) AS sent)::bigint
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .text, .bool, .int8, .text, .text, .text, .text, .text, .int8, .text, .int8, .int8,   // $1–$12
        .text, .text, .text, .text, .int8, .text, .text, .text, .text, .text, .text,          // $13–$23
        .bool, .text, .bool, .text, .text, .text, .textArray,                                 // $24–$30 (JSON as text, cast in the SQL)
        .text, .text,                                                                         // $31–$32
    ]

    var step: Append
    /// The rows as JSON arrays (``PostgresRepository/timersJSON(_:)`` and its neighbours).
    var timers: String
    var tasks: String
    var outbox: String
    var channel: String
    var notify: [String]

    func makeBindings() throws -> PostgresBindings {
        let a = step.event, c = step.columns
        var b = PostgresBindings(capacity: 32)
        func text(_ s: String?) { if let s { b.append(s) } else { b.appendNull() } }
        func int(_ i: Int?) { if let i { b.append(i) } else { b.appendNull() } }
        b.append(step.caseID)
        b.append(c != nil)
        int(c?.version); text(c?.status); text(c?.active); text(c?.snapshot); text(c?.updatedAt); text(c?.nextDue)
        b.append(a.seq); b.append(a.hash)
        b.append(step.expectedVersion); b.append(step.expectedHeadSeq)
        b.append(a.kind.rawValue); b.append(a.name); text(a.actor); text(a.role); int(a.item); b.append(a.payload)
        text(a.idempotencyKey); b.append(a.time); b.append(a.outcome); b.append(a.prevHash); text(a.actingFor)
        b.append(step.timers != nil); b.append(timers)
        b.append(step.tasks != nil); b.append(tasks)
        b.append(outbox)
        b.append(channel); b.append(notify)
        // A migration pins the case to another definition from this step on.
        text(c == nil ? nil : step.definitionHash)
        // A step prepared from the ledger's cache also requires the snapshot it started from.
        text(step.expectedSnapshot)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode((Int, Int).self).0
    }
}

import PostgresNIO
import WFCLedger
import WFCIR

/// The steps of a group commit as ONE statement, prepared once per connection: the steps are
/// rows of a `jsonb` array; each case row is updated only if it is still at its step's version,
/// chain head (and, for a step prepared from the ledger's cache, snapshot), and only the steps
/// whose case moved write their event, timers, task index and outbox rows. It answers the ids of
/// the cases that moved. A batch was a round trip per step; it is one. The cases of one
/// statement must be distinct (``PostgresRepository/distinctRuns(_:)``): an UPDATE joined to two
/// rows of one case would apply only one of them.
struct PreparedBatch: PostgresPreparedStatement {
    typealias Row = String

    static let name = "wfc_batch_v2"

    static let sql = """
        WITH s AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(
                case_id text, set_columns boolean, version bigint, status text, active text, snapshot text, updated_at text, next_due text,
                definition_hash text, seq bigint, hash text, expected_version bigint, expected_head_seq bigint, expected_snapshot text,
                kind text, name text, actor text, role text, item bigint, payload text, idempotency_key text, time text, outcome text,
                prev_hash text, acting_for text, timers_set boolean, timers jsonb, tasks_set boolean, tasks jsonb, outbox jsonb)),
        moved AS (
            UPDATE cases c SET
                version = CASE WHEN s.set_columns THEN s.version ELSE c.version END,
                status = CASE WHEN s.set_columns THEN s.status ELSE c.status END,
                active = CASE WHEN s.set_columns THEN s.active ELSE c.active END,
                snapshot = CASE WHEN s.set_columns THEN s.snapshot ELSE c.snapshot END,
                updated_at = CASE WHEN s.set_columns THEN s.updated_at ELSE c.updated_at END,
                next_due = CASE WHEN s.set_columns THEN s.next_due ELSE c.next_due END,
                definition_hash = COALESCE(s.definition_hash, c.definition_hash),
                head_seq = s.seq, head_hash = s.hash
            FROM s
            WHERE c.id = s.case_id AND c.version = s.expected_version AND c.head_seq = s.expected_head_seq AND c.head_hash = s.prev_hash
              AND (s.expected_snapshot IS NULL OR c.snapshot = s.expected_snapshot)
            RETURNING c.id),
        ms AS (SELECT s.* FROM s JOIN moved ON moved.id = s.case_id),
        new_events AS (
            INSERT INTO events (case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for)
            SELECT case_id, seq, kind, name, actor, role, item, payload, idempotency_key, time, outcome, prev_hash, hash, acting_for FROM ms),
        timers_gone AS (DELETE FROM timers t USING ms WHERE t.case_id = ms.case_id AND ms.timers_set),
        timers_new AS (
            INSERT INTO timers (case_id, state, kind, due, fired)
            SELECT ms.case_id, r.state, r.kind, r.due, r.fired
            FROM ms, jsonb_to_recordset(ms.timers) AS r(state text, kind text, due text, fired boolean) WHERE ms.timers_set),
        tasks_gone AS (DELETE FROM tasks t USING ms WHERE t.case_id = ms.case_id AND ms.tasks_set),
        tasks_new AS (
            INSERT INTO tasks (case_id, person, role, state, title, item, events, due)
            SELECT ms.case_id, r.person, r.role, r.state, r.title, r.item, r.events, r.due
            FROM ms, jsonb_to_recordset(ms.tasks) AS r(person text, role text, state text, title text, item bigint, events text, due text) WHERE ms.tasks_set),
        outbox_new AS (
            INSERT INTO outbox (id, case_id, seq, kind, payload, attempts, created_at, available_at)
            SELECT r.id, r.case_id, r.seq, r.kind, r.payload, 0, r.created_at, r.created_at
            FROM ms, jsonb_to_recordset(ms.outbox) AS r(id text, case_id text, seq bigint, kind text, payload text, created_at text))
        SELECT id FROM moved
        """

    static let bindingDataTypes: [PostgresDataType] = [.text]

    /// The steps as the JSON array the statement reads.
    var steps: String

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(steps)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> String {
        try row.decode(String.self)
    }

    /// `steps` as the statement's JSON array (keys in any order; `jsonb_to_recordset` matches
    /// them by name).
    static func json(_ steps: [Append]) throws -> String {
        var w = JSONWriter(capacity: 2048 * steps.count)
        try w.list(steps) { w, p in
            let a = p.event, c = p.columns
            w.raw("{")
            w.key("acting_for", first: true); w.optional(a.actingFor)
            w.key("active"); w.optional(c?.active)
            w.key("actor"); w.optional(a.actor)
            w.key("case_id"); w.string(p.caseID)
            w.key("definition_hash"); w.optional(c == nil ? nil : p.definitionHash)
            w.key("expected_head_seq"); w.int(p.expectedHeadSeq)
            w.key("expected_snapshot"); w.optional(p.expectedSnapshot)
            w.key("expected_version"); w.int(p.expectedVersion)
            w.key("hash"); w.string(a.hash)
            w.key("idempotency_key"); w.optional(a.idempotencyKey)
            w.key("item"); if let i = a.item { w.int(i) } else { w.raw("null") }
            w.key("kind"); w.string(a.kind.rawValue)
            w.key("name"); w.string(a.name)
            w.key("next_due"); w.optional(c?.nextDue)
            w.key("outbox"); w.json(PostgresRepository.outboxJSON(p.outbox))
            w.key("outcome"); w.string(a.outcome)
            w.key("payload"); w.string(a.payload)
            w.key("prev_hash"); w.string(a.prevHash)
            w.key("role"); w.optional(a.role)
            w.key("seq"); w.int(a.seq)
            w.key("set_columns"); w.bool(c != nil)
            w.key("snapshot"); w.optional(c?.snapshot)
            w.key("status"); w.optional(c?.status)
            w.key("tasks"); w.json(try PostgresRepository.tasksJSON(p.tasks ?? []))
            w.key("tasks_set"); w.bool(p.tasks != nil)
            w.key("time"); w.string(a.time)
            w.key("timers"); w.json(PostgresRepository.timersJSON(p.timers ?? []))
            w.key("timers_set"); w.bool(p.timers != nil)
            w.key("updated_at"); w.optional(c?.updatedAt)
            w.key("version"); if let v = c?.version { w.int(v) } else { w.raw("null") }
            w.raw("}")
        }
        return w.text
    }
}

import WFCDiagnostics

/// The command line's own texts — the help of every command and option, and the usage errors
/// and failures `wfc` itself reports — in English and Simplified Chinese.
///
/// Keys are stable ids: `COMMAND.abstract`, `COMMAND.discussion` and `COMMAND.OPTION` for help
/// (`case.fire.as`), `common.*` for help several commands share, `usage.*` for usage errors
/// (exit status 2), `failure.*` for other failures and `note.*` for lines written to stderr.
/// Messages that carry values have `{name}` slots, filled by ``text(_:in:_:)``. Both
/// dictionaries have the same keys (WFCCLITests checks it, and that every key `Sources/wfc`
/// uses is here). Option names, value names, file names, codes and command examples are
/// written as typed in every language.
public enum CLIText {
    /// `key` in `language` with its `{slots}` filled; English when the language lacks the key,
    /// the key itself when no catalog has it.
    public static func text(_ key: String, in language: DiagnosticLanguage, _ slots: [String: String] = [:]) -> String {
        guard let template = catalog(language)[key] ?? en[key] else { return key }
        return slots.isEmpty ? template : MessageTemplate(template).render(slots)
    }

    /// The catalog of a language.
    public static func catalog(_ language: DiagnosticLanguage) -> [String: String] {
        switch language {
        case .en: en
        case .zhCN: zhCN
        }
    }

    // MARK: - Wrapping

    /// `text` broken into lines at most `width` terminal columns wide, for text ArgumentParser
    /// cannot wrap itself: it breaks lines only at spaces and counts characters, so a Chinese
    /// sentence (no spaces, two columns a character) would run far past the terminal's edge.
    /// Lines break at spaces and between CJK characters; closing punctuation (`，。）`) stays
    /// with the character before it, opening punctuation (`（“`) with the one after. Existing
    /// line breaks are kept. An indented line (an example, a table row) continues
    /// `hangingIndent` columns further in; others continue at the margin.
    public static func wrap(_ text: String, width: Int, hangingIndent: Int = 2) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: max(width, 20), hangingIndent: hangingIndent) }
            .joined(separator: "\n")
    }

    /// The columns a terminal gives `text`: two for East Asian wide characters.
    public static func displayWidth(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    private static func wrapLine(_ line: String, width: Int, hangingIndent: Int) -> String {
        guard displayWidth(line) > width else { return line }
        let indent = String(line.prefix(while: { $0 == " " }))
        let continuation = indent.isEmpty ? "" : indent + String(repeating: " ", count: hangingIndent)
        // Units that cannot be split: a run of non-CJK, non-space characters; one CJK
        // character with the punctuation that must not start or end a line; a space.
        var units: [String] = []
        var current = ""
        var glueNext = false
        for c in line.dropFirst(indent.count) {
            if c == " " {
                if !current.isEmpty { units.append(current); current = "" }
                units.append(" ")
                glueNext = false
            } else if closing.contains(c) {
                current.append(c)
            } else if isWide(c) {
                if !current.isEmpty && !glueNext { units.append(current); current = "" }
                current.append(c)
                glueNext = opening.contains(c)
            } else {
                // A Latin run after a CJK character starts a unit of its own, unless it follows
                // an opening bracket.
                if let last = current.last, isWide(last) && !glueNext {
                    units.append(current); current = ""
                }
                current.append(c)
                glueNext = false
            }
        }
        if !current.isEmpty { units.append(current) }

        var lines: [String] = []
        var out = indent
        var used = displayWidth(indent)
        var hasText = false
        for unit in units {
            if unit == " " {
                if hasText { out += " "; used += 1 }
                continue
            }
            let w = displayWidth(unit)
            if hasText && used + w > width {
                while out.hasSuffix(" ") { out.removeLast() }
                lines.append(out)
                out = continuation
                used = continuation.count
            }
            out += unit
            used += w
            hasText = true
        }
        while out.hasSuffix(" ") { out.removeLast() }
        lines.append(out)
        return lines.joined(separator: "\n")
    }

    /// Punctuation a line must not start with. (ASCII punctuation is part of the Latin run it
    /// touches: `NAME.test.yaml`, `2.1.0`.)
    private static let closing: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "”", "’", "》", "】"]
    /// Punctuation a line must not end with.
    private static let opening: Set<Character> = ["（", "「", "『", "“", "‘", "《", "【"]

    private static func isWide(_ c: Character) -> Bool {
        c.unicodeScalars.first.map(isWide) ?? false
    }

    private static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }
}

// MARK: - English

extension CLIText {
    /// The English texts: exactly what `wfc` has always printed.
    public static let en: [String: String] = [
        // wfc
        "wfc.abstract": #"Compile, check and run HR policy workflows written in YAML."#,
        "wfc.discussion": """
            EXIT CODES:
              0  clean: no errors (with --strict, no warnings either)
              1  diagnostics with errors were reported (or warnings under --strict), or tests failed
              2  usage error: bad option or argument, or a path that does not exist
                 (any input: the workflow, --data, --events, --vars)
              3  internal or I/O failure: a file could not be read or written
            """,

        // Shared by several commands
        "common.case-id": #"The case id."#,
        "common.item": #"The foreach item index."#,
        "common.key": #"An idempotency key: the same key returns the stored outcome."#,
        "common.now-as-fire": #"The time (default: the clock), as for `wfc case fire`."#,
        "common.workflow-file": #"The workflow file."#,
        "common.workflow-file-stdin": #"The workflow file; - reads standard input."#,
        "common.store": #"The store: a SQLite file, or a postgres://USER@HOST/DB URL (default: $WFC_STORE, else .wfc/store.sqlite)."#,
        "common.color": #"Colour: auto, always or never."#,
        "output.format": #"Output format: human, json (JSON Lines), sarif (SARIF 2.1.0) or github (Actions annotations)."#,
        "output.color": #"Colour: auto, always or never. auto colours a terminal unless NO_COLOR is set."#,
        "output.lang": #"Language of messages: zh-CN or en (default: lang: in .wfc.yaml, else LC_ALL, LC_MESSAGES or LANG, else en). Codes are the same in every language."#,
        "input.max-file-bytes": #"Largest file accepted, in bytes (every input: workflows, imports, data, events, standard input)."#,
        "input.max-depth": #"Deepest nesting of lists and mappings."#,
        "input.max-alias-nodes": #"Nodes that YAML aliases may add in total."#,
        "input.root": #"Imports, and links in checked folders, must stay inside this folder (default: the repository holding the file, found upwards by .git or .wfc.yaml; else the file's folder)."#,

        // check
        "check.abstract": #"Check workflow files and report every problem."#,
        "check.discussion": """
            Directories are searched recursively for *.yaml and *.yml files. Use - to read \
            standard input. Files are checked in parallel; output is sorted by file and position.
            """,
        "check.paths": #"Files or directories to check; - reads standard input."#,
        "check.strict": #"Also report states and rules traced to no clause (WFC5040), and treat warnings as errors (exit 1 when there are any)."#,
        "check.today": #"The date from which calendar data ending within 60 days is warned about (WFC3021); default: today."#,
        "check.config": #"Use this configuration for every file instead of the .wfc.yaml found from each file upwards."#,
        "check.no-config": #"Read no .wfc.yaml (inline # wfc-ignore: comments still apply)."#,
        "check.show-suppressed": #"Also list what ignores and the configuration suppressed, and why (SARIF: as suppressed results)."#,

        // compile, graph
        "compile.abstract": #"Compile a workflow to its typed state graph (IR JSON)."#,
        "compile.discussion": """
            Prints diagnostics and exits 1 when the workflow has errors; otherwise writes the IR \
            with its content hash, as compact JSON (one line; --pretty indents it for people). The \
            hash is over the canonical form, so both print the same hash.
            """,
        "compile.output": #"Write the IR here instead of standard output."#,
        "compile.pretty": #"Indent the IR JSON for people to read."#,
        "graph.abstract": #"Draw a workflow's state graph as Mermaid or Graphviz DOT."#,
        "graph.format": #"mermaid (renders on GitHub) or dot."#,
        "graph.color": #"Colour of diagnostics: auto, always or never."#,

        // schema
        "schema.abstract": #"Print the JSON Schema (2020-12) of the workflow file format."#,
        "schema.discussion": #"Save it and point editors at it with `# yaml-language-server: $schema=PATH` for completion and hover docs."#,

        // expr
        "expr.abstract": #"Check and evaluate one CEL expression; prints its type and value."#,
        "expr.discussion": """
            Try a guard before putting it in a policy:
              wfc expr 'case.notice_days >= 30' --workflow workflows/company-handover.yaml --vars case.json
              wfc expr 'days > 3 && name.startsWith("a")' --decl days=int --decl name=string --vars vars.json
              wfc expr 'days_between(today, date("2025-10-31")) >= 30' --now 2025-09-30T23:59:00+08:00
            --vars is a JSON object of variable values (with --workflow, {"case": {...}}). \
            Without a value for a variable the expression needs, it is type-checked only: the \
            type is printed with "not evaluated", exit status 0.
            `now` is --now (else the clock) and `today` its date in the calendar's time zone.
            """,
        "expr.expression": #"The expression."#,
        "expr.decl": #"Declare a variable, e.g. days=int or tags=list(string)."#,
        "expr.vars": #"A JSON file of variable values."#,
        "expr.workflow": #"Check against this workflow's case schema (`case.*`) and functions."#,
        "expr.calendar": #"The working-day calendar for working_days_between and add_working_days, and the time zone of `today` (default: the workflow's calendar; a workflow without one has `today` in UTC, as at run time; no workflow: cn-mainland)."#,
        "expr.now": #"The time bound as `now` (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the calendar's time zone (a workflow without a calendar: UTC); the time used is then shown."#,
        "expr.format": #"human or json."#,

        // doc
        "doc.abstract": #"Write Markdown documentation of policies: diagrams and clause maps."#,
        "doc.discussion": #"`wfc doc workflows > docs/policies.md`. Scenario and fragment files are skipped."#,
        "doc.paths": #"Workflow files or directories."#,

        // diff
        "diff.abstract": #"Compare two versions of a policy by meaning, with each change's impact on running cases."#,
        "diff.discussion": """
            Compiles both files and compares their typed state graphs: states, events, guards, \
            requirements, roles, separations, fields, deadlines, sign-offs, guarantees, round limits, \
            clauses and titles. Each change is shown on the new file's line (a removal on the old \
            file's) with its impact on running cases: none, needs a mapping, or unsafe \
            (docs/versions.md). Layout and comments are not changes.
            Exit 0 when nothing changed that affects running cases, 1 otherwise (or when a file \
            has errors). One of the files may be - (standard input): \
            `git show main:workflows/x.yaml | wfc diff - workflows/x.yaml`.
            """,
        "diff.old": #"The old version; - reads standard input."#,
        "diff.new": #"The new version; - reads standard input."#,
        "diff.format": #"human (changes with carets, in the --lang language), json (one document), markdown (for a pull request), github (annotations) or sarif."#,
        "diff.a-file": #"a file"#,

        // explain
        "explain.abstract": #"Explain a diagnostic code, with an example and its fix."#,
        "explain.code": #"A code such as WFC1003 (the WFC prefix is optional)."#,
        "explain.list": #"List every code with its summary."#,
        "explain.markdown": #"Print the reference of every code as Markdown (docs/diagnostics.md)."#,

        // test
        "test.abstract": #"Run the scenario tests of workflows (NAME.test.yaml next to NAME.yaml)."#,
        "test.discussion": """
            Each scenario starts a case in memory, runs its steps through the same runtime as \
            `wfc case`, and checks its expectations. Prints one line per scenario, then \
            `N passed, N failed`. Exit status 0 when every scenario passed, 1 otherwise. \
            See docs/testing.md.
            """,
        "test.paths": #"Scenario files, workflow files (their NAME.test.yaml) or directories."#,
        "test.coverage": #"List, per workflow, the states and transitions that no scenario exercised."#,

        // run
        "run.abstract": #"Run a workflow in memory on a case file and a list of events, and print the trace."#,
        "run.discussion": """
            For trying a policy out: nothing is stored. The case file has `people:` (role: person), \
            `data:` and an optional `start:` time; the events file is a list of steps written as in \
            scenario files (`- fire: submit` with `as: zhang.san`, `after: 3 working days`, `tick:`). \
            A refused event is reported with the policy line and the run goes on. Exit status 1 when \
            any step was refused.
            """,
        "run.data": #"The case file: people, data and start time (YAML or JSON)."#,
        "run.events": #"The events file: a list of steps (YAML or JSON)."#,

        // case
        "case.abstract": #"Start, fire, inspect and verify durable cases in a store."#,
        "case.discussion": """
            The store is --store PATH, else $WFC_STORE, else ./.wfc/store.sqlite (created when missing). \
            Cases are pinned to the compiled definition they started with. See docs/store.md.

            Store failures are diagnostics with WFC7xxx codes (`wfc explain WFC7001`).

            EXIT CODES:
              0  done
              1  refused (recorded in the audit log), verify failed (WFC7008-7011,
                 WFC7017), an unusable checkpoint or key (WFC7016), diagnostics in
                 the workflow or case file, a case id that exists (WFC7002), or a
                 conflict with another writer or a busy store (WFC7003, WFC7004:
                 nothing recorded; run the command again)
              2  usage error: bad option, argument or time, a missing file (the
                 workflow or --data), an unknown case id (WFC7001), a case id,
                 person id, event name or key the store rejects (WFC7007, WFC7012),
                 a key reused for another request (WFC7013), a store URL with no
                 backend (WFC7015), or an unknown --state (WFC0003)
              3  the store could not be opened, read or written (WFC7006), is
                 corrupt (WFC7005), or is another application's database (WFC7014)
            """,
        "case.format": #"Output format: human or json."#,
        "case.start.abstract": #"Compile a workflow and start a case with a case file; prints the case id."#,
        "case.start.discussion": #"The case file (YAML or JSON) has `people:` (role: person), `data:` (case fields) and an optional `start:` time. Every problem is listed; nothing is stored if there is any."#,
        "case.start.data": #"The case file: people and data."#,
        "case.start.id": #"The case id (default: WORKFLOW-xxxxxxxx)."#,
        "case.start.as": #"Who starts the case (recorded in the audit log)."#,
        "case.start.now": #"The time (default: the case file's start:, else the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown."#,
        "case.fire.abstract": #"Send an event to a case."#,
        "case.fire.discussion": #"The event runs against the definition the case is pinned to. A refusal is recorded in the audit log and exits 1. With --key, repeating the command returns the first outcome instead of a new step."#,
        "case.fire.event": #"The event name (sign and unsign for sign-offs)."#,
        "case.fire.as": #"The person sending the event."#,
        "case.fire.role": #"The role, when the person signs a sign-off holding several of its roles."#,
        "case.fire.for": #"Send it as the substitute (代理) of this person: their substitution must name --as at the event's time (`wfc people substitute`)."#,
        "case.fire.data": #"A YAML or JSON mapping of the fields the event fills."#,
        "case.fire.now": #"The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown."#,
        "case.fire.assign": #"ROLE=PERSON: a role the event's transition assigns (`assign:`) and the person it binds; repeatable."#,
        "case.reassign.abstract": #"Hand an open task, or a role for the rest of the case, to another person (转交)."#,
        "case.reassign.discussion": #"Allowed to the holders of the roles in the policy's `reassign: {by: …}`. With --task, only that open task moves to the new person; without, the role does for the rest of the case. The reason is recorded in the audit log ("X acting for Y, by Z, because …"). A refusal is recorded and exits 1."#,
        "case.reassign.role": #"The role handed on."#,
        "case.reassign.to": #"The person who takes over."#,
        "case.reassign.as": #"The person reassigning."#,
        "case.reassign.reason": #"Why (required, one line): recorded in the audit log."#,
        "case.reassign.task": #"The open task (state) handed on; without it, the role for the rest of the case."#,
        "case.reassign.item": #"The foreach item of the task."#,
        "case.add-signer.abstract": #"Add a signer to an active sign-off (加签)."#,
        "case.add-signer.discussion": #"Where the sign-off's `add:` lets the sender's role do so, the person signs before, after or alongside the parties whose turn it is. Who added whom, where and why is recorded in the audit log; a refusal is recorded and exits 1."#,
        "case.add-signer.as": #"The person adding the signer."#,
        "case.add-signer.person": #"The person to add."#,
        "case.add-signer.position": #"before, after or parallel: relative to the parties whose turn it is."#,
        "case.add-signer.reason": #"Why the signer is added (kept in the audit log)."#,
        "case.add-signer.role": #"The role to act as, when the sender holds several that may add signers."#,
        "case.show.abstract": #"Show a case: active states, open tasks and who may act, signatures, deadlines, checklists."#,
        "case.show.now": #"The time deadlines are counted from (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the workflow calendar's time zone, UTC when the workflow has none; the time used is then shown."#,
        "case.list.abstract": #"List cases."#,
        "case.list.workflow": #"Only cases of this workflow id."#,
        "case.list.state": #"Only cases with this state active."#,
        "case.list.overdue": #"Only running cases with a deadline that has passed."#,
        "case.list.now": #"The time for --overdue (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in this machine's time zone; the time used is then shown."#,
        "case.history.abstract": #"Print a case's audit trail: every event, refused attempts included, with its hash."#,
        "case.verify.abstract": #"Check cases' hash chains, replay their logs against the pinned definitions, and check a signed checkpoint."#,
        "case.verify.discussion": """
            Checks every column the replay determines (snapshot, workflow, version, status, active states, \
            times, next due, timers). --all verifies every case in one process, a line per case as it is done. \
            --checkpoint FILE --public-key KEY.pub first checks the checkpoint's signature, then that no case \
            lost or changed events up to it (without an id: every case). Exits 1 when anything fails.
            """,
        "case.verify.id": #"The case id (or --all)."#,
        "case.verify.all": #"Verify every case in the store."#,
        "case.verify.checkpoint": #"A checkpoint written by `wfc case checkpoint`."#,
        "case.verify.public-key": #"The public key (KEY.pub) of the key that signed the checkpoint."#,
        "case.checkpoint.abstract": #"Sign the chain heads of all cases with an Ed25519 key kept outside the store."#,
        "case.checkpoint.discussion": """
            --new-key FILE creates a key pair: FILE (the private key, mode 0600, never overwritten) and FILE.pub. \
            --key FILE signs every case's last event number and hash and its pinned definition, and writes the \
            checkpoint to -o FILE (or standard output). `wfc case verify --checkpoint FILE --public-key KEY.pub` \
            later proves that no case lost or changed events up to it. See docs/store.md, "Signed checkpoints".
            """,
        "case.checkpoint.new-key": #"Create a new key pair: FILE and FILE.pub."#,
        "case.checkpoint.key": #"The private key file to sign with."#,
        "case.checkpoint.output": #"Write the checkpoint to this file (default: standard output)."#,
        "case.checkpoint.now": #"The time recorded in the checkpoint (default: now)."#,
        "case.tick.abstract": #"Fire what is overdue in every running case (escalations, overdue transitions, waits)."#,
        "case.tick.now": #"The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in this machine's time zone; the time used is then shown."#,
        "case.migrate.abstract": #"Move running cases to a new version of their policy by a migration plan."#,
        "case.migrate.discussion": """
            The plan (NAME.migrate.yaml, docs/versions.md) names the old and new policy files and maps \
            states, values, people, deadlines and signatures; it is proved first, as `wfc check` does. \
            Each migrated case gets ONE `migrate` step in its audit log (both definition hashes and the \
            plan's hash), and `wfc case verify` replays across it. Without a plan file, give the \
            plan as options: `--old OLD.yaml --new NEW.yaml --state review=manager_review \
            --value 'witness_needed=case.key_post' --person witness=hr.zhao --deadlines keep`; it is \
            proved and applied as the same plan in a file would be. A case the plan cannot move is \
            listed as refused and stays on its version. Exit 0 when every case was (or would be) \
            migrated, 1 when one was refused or the plan has errors, 2 for usage errors.
            """,
        "case.migrate.ids": #"The cases to migrate (or --all-of)."#,
        "case.migrate.plan": #"The migration plan file (or give the plan with --old, --new and the options below)."#,
        "case.migrate.old": #"Without --plan: the old version's policy file."#,
        "case.migrate.new": #"Without --plan: the new version's policy file."#,
        "case.migrate.state": #"Without --plan: map an old state to a new one (repeatable)."#,
        "case.migrate.value": #"Without --plan: a new field's value, CEL over the old data (repeatable)."#,
        "case.migrate.person": #"Without --plan: who holds a new role (repeatable)."#,
        "case.migrate.deadlines": #"Without --plan: keep or recompute open deadlines and waits."#,
        "case.migrate.signatures": #"Without --plan: keep or reset collected signatures."#,
        "case.migrate.to": #"The content hash the plan's `to:` must compile to (a check)."#,
        "case.migrate.all-of": #"Every running case of the definition with this content hash (the plan's `from:`)."#,
        "case.migrate.dry-run": #"Report per case whether it would be migrated or refused, and why; write nothing."#,
        "case.migrate.as": #"Who migrates (recorded in the audit log)."#,
        "case.migrate.now": #"The time (default: the clock): RFC 3339, or without a UTC offset (a date means 09:00) read in the new workflow calendar's time zone."#,

        // people
        "people.abstract": #"Manage people's substitutes (代理) in a store."#,
        "people.discussion": """
            The store is --store PATH, else $WFC_STORE, else ./.wfc/store.sqlite, as for `wfc case`. \
            See docs/cli.md ("wfc people substitute") and docs/language.md ("Substitutes").
            """,
        "people.substitute.abstract": #"Name, list and revoke substitutes (代理, out-of-office, 离职代理)."#,
        "people.substitute.discussion": """
            While a substitution lasts, the tasks open to the person are open to the substitute as \
            well (`wfc case fire … --as SUBSTITUTE --for PERSON`), except in roles the policy \
            declares `substitutes: false`; the audit log records who acted for whom. A person has \
            one substitute at a time.

            EXIT CODES:
              0  done
              1  the range overlaps a substitution the person has (WFC7025)
              2  usage error: a bad range (WFC9014), person or substitute (WFC7027),
                 an unknown substitution id (WFC7026)
              3  the store could not be opened, read or written
            """,
        "people.substitute.add.abstract": #"Name a substitute for a person, for a range of dates or times."#,
        "people.substitute.add.discussion": #"A date (2025-10-01) is a whole day in China Standard Time, the --until day included; an RFC 3339 time (2025-10-01T09:00:00+08:00) is exact, --until excluded. Prints the substitution's id."#,
        "people.substitute.add.person": #"The person who is away."#,
        "people.substitute.add.substitute": #"The person who stands in for them."#,
        "people.substitute.add.from": #"The first day (or time) it applies."#,
        "people.substitute.add.until": #"The last day it applies (or the time it ends)."#,
        "people.substitute.add.reason": #"Why (shown in lists), e.g. 年假 or 离职交接."#,
        "people.substitute.add.as": #"Who names the substitute (default: the person)."#,
        "people.substitute.add.now": #"The time (default: the clock): RFC 3339, or a date (09:00 China Standard Time)."#,
        "people.substitute.list.abstract": #"List a person's substitutes (or, with --named, those naming them as substitute)."#,
        "people.substitute.list.person": #"The person."#,
        "people.substitute.list.named": #"List the substitutions naming the person as substitute instead."#,
        "people.substitute.list.all": #"Include revoked substitutions."#,
        "people.substitute.list.now": #"The time the STATUS column is read at (default: the clock)."#,
        "people.substitute.revoke.abstract": #"End a person's substitution now (it applies no more from then on)."#,
        "people.substitute.revoke.person": #"The person the substitution belongs to."#,
        "people.substitute.revoke.id": #"The substitution id (`sub-…`, from add or list)."#,
        "people.substitute.revoke.as": #"Who revokes it (default: the person)."#,
        "people.substitute.revoke.now": #"The time (default: the clock)."#,

        // calendar
        "calendar.abstract": #"Show working-day calendars: the years covered, their sources and the next gap."#,
        "calendar.discussion": """
            Without an id, lists the built-in calendars and the company calendars in calendars/ at the \
            root of the repository that holds the current directory (the nearest folder with .git or \
            .wfc.yaml). With an id, shows that calendar year by year: official years with their notice, \
            provisional years computed from the holiday law with their days off, and the first year \
            without data. --workflow shows the calendar a workflow file uses, as it compiles.
            """,
        "calendar.id": #"A calendar id: built in (cn-mainland) or calendars/ID.json in the repository."#,
        "calendar.workflow": #"Show the calendar this workflow uses, with its provisional opt-in."#,
        "calendar.provisional": #"Add the provisional year computed from the holiday law, as `provisional: law` does."#,
        "calendar.today": #"The date the next gap is counted from; default: today."#,

        // lsp
        "lsp.abstract": #"Run the language server (LSP 3.17) on standard input and output."#,
        "lsp.discussion": """
            Editors start it themselves; see docs/editors.md for VS Code and Neovim.
            Diagnostics, hover, go to definition, completion, document symbols, rename and
            code actions come from the same compiler as `wfc check`. Imports are read only
            inside the editor's workspace folder.
            """,

        // serve
        "serve.abstract": #"Serve the case store over HTTP, with bearer-token identities (docs/service.md)."#,
        "serve.discussion": """
            Identities: by default, HS256 tokens signed with the secret `jwt-secret` beside the \
            store (created on first start, mode 0600); mint them with `wfc token issue`. In \
            production give --jwt-keys: a JWKS or PEM file of EdDSA/RS256 public keys.

            Due timers (escalations, violations, waits) fire by themselves within about a \
            second; several servers on one store take leases, so none fires a case twice. With \
            --webhook, effects (task opened, escalation, violation, case finished) are POSTed \
            there at least once, signed with HMAC-SHA256 (docs/service.md, "Webhooks").

            The web task inbox for people is at /web (docs/web.md); --no-web leaves it out.

            Stops gracefully on SIGTERM or SIGINT: requests in flight finish.

            EXIT CODES:
              0  stopped by a signal
              2  usage error: a bad --listen, an unreadable key file
              3  the store or the secret could not be opened or created, the address
                 could not be listened on, or a web template is missing (WFC9021)
            """,
        "serve.listen": #"Address and port to listen on; port 0 picks a free one (printed)."#,
        "serve.jwt-secret-file": #"HS256 secret file (default: jwt-secret beside the store)."#,
        "serve.jwt-keys": #"Public keys for tokens: a JWKS file or PEM public keys (EdDSA, RS256)."#,
        "serve.issuer": #"Required `iss` claim of tokens."#,
        "serve.audience": #"Required `aud` claim of tokens."#,
        "serve.max-body-bytes": #"Largest request body, in bytes."#,
        "serve.no-scheduler": #"Do not fire due timers (another server, or `wfc case tick`, does)."#,
        "serve.webhook": #"POST every effect here (http or https), signed with HMAC-SHA256."#,
        "serve.webhook-secret-file": #"The webhook's signing secret (default: webhook-secret beside the store, created on first use, mode 0600)."#,
        "serve.metrics-token-file": #"Require this token (the file's hex secret, mode 0600) as `Authorization: Bearer` on GET /metrics."#,
        "serve.dev-sign-in": #"Let the web inbox's sign-in page pick any person without a token (a trusted laptop only; a red banner says so)."#,
        "serve.test-clock": #"A clock the web inbox can move forward, for tests of deadlines (never in production; timers then fire only by POST /v1/tick)."#,
        "serve.web-dir": #"The web inbox's templates and style sheet (default: wfc_WFCWeb.resources beside wfc, else $WFC_WEB_DIR)."#,
        "serve.no-web": #"Serve the API only, without the web inbox at /web."#,

        // token
        "token.abstract": #"Mint bearer tokens for `wfc serve`'s embedded HS256 secret."#,
        "token.issue.abstract": #"Print a token for a person, signed with the secret beside the store (created when missing)."#,
        "token.issue.discussion": """
            Scopes: `admin` (deploy definitions, read every case, tick) and `cases:start`. \
            Everyone may act in the cases where they hold a role.

            EXIT CODES:
              0  printed
              2  usage error: a bad --ttl or --sub
              3  the secret could not be read or created, or is readable by others
            """,
        "token.issue.sub": #"The person id (the token's `sub`)."#,
        "token.issue.scope": #"A scope to grant: admin or cases:start (repeatable)."#,
        "token.issue.ttl": #"How long the token is valid: 30m, 8h, 7d, or seconds."#,
        "token.issue.store": #"The store whose secret signs (default: $WFC_STORE, else .wfc/store.sqlite)."#,
        "token.issue.jwt-secret-file": #"An HS256 secret file instead of the store's."#,
        "token.issue.issuer": #"The `iss` claim."#,
        "token.issue.audience": #"The `aud` claim."#,

        // Usage errors (exit status 2)
        "usage.give-paths": #"give at least one file or directory, e.g. `wfc check workflows`"#,
        "usage.give-test-paths": #"give at least one file or directory, e.g. `wfc test workflows`"#,
        "usage.today": #"--today must be a date written YYYY-MM-DD, not '{today}'"#,
        "usage.config-and-no-config": #"--config and --no-config cannot be used together"#,
        "usage.no-config-file": #"--config {file}: no such file"#,
        "usage.limits": #"limits must be positive"#,
        "usage.root-not-directory": #"--root {root} is not a directory"#,
        "usage.calendar-id-or-workflow": #"give a calendar id or --workflow, not both"#,
        "usage.one-stdin": #"only one of the two files can be standard input"#,
        "usage.item": #"--item must be 0 or more"#,
        "usage.as-person": #"--as must name a person"#,
        "usage.to-person": #"--to must name a person"#,
        "usage.assign-form": #"--assign takes ROLE=PERSON, not `{value}`"#,
        "usage.assign-twice": #"--assign names a role twice"#,
        "usage.key-or-new-key": #"give --key FILE to sign, or --new-key FILE to create a key"#,
        "usage.output-with-new-key": #"-o is for a checkpoint; --new-key writes FILE and FILE.pub"#,
        "usage.plan-both": #"give the plan either as a file (--plan) or with --old, --new and the plan options, not both"#,
        "usage.plan-missing": #"give the plan: --plan FILE, or --old FILE --new FILE with --state, --value, --person, --deadlines, --signatures"#,
        "usage.id-and-all": #"give a case id or --all, not both"#,
        "usage.id-or-all": #"give a case id, or --all to verify every case"#,
        "usage.checkpoint-needs-key": #"--checkpoint needs --public-key: the public key of the key that signed it"#,
        "usage.public-key-needs-checkpoint": #"--public-key is used with --checkpoint"#,
        "usage.jwt-both": #"give --jwt-secret-file or --jwt-keys, not both"#,
        "usage.listen": #"--listen `{listen}` is not HOST:PORT (e.g. 127.0.0.1:8080)"#,
        "usage.max-body-bytes": #"--max-body-bytes must be positive"#,
        "usage.webhook-url": #"--webhook `{url}` is not an http(s) URL"#,
        "usage.webhook-secret-needs-webhook": #"--webhook-secret-file needs --webhook"#,
        "usage.ttl": #"--ttl `{ttl}` is not a duration of at most a year: give e.g. 30m, 8h, 7d or 3600"#,
        "usage.scope": #"--scope `{scope}` is not a scope: give {admin} or {start}"#,

        // Failures
        "failure.does-not-compile": #"{file} does not compile; run `wfc check {file}`"#,
        "failure.no-calendar": #"{file} names no calendar"#,
        "failure.cannot-write": #"cannot write {file}: {why}"#,
        "failure.is-directory": #"{path} is a directory; give one workflow file"#,
        "failure.fix-errors-first": #"fix the errors above first"#,
        "failure.unknown-code": #"unknown diagnostic code '{code}'; `wfc explain --list` shows them all"#,
        "failure.has-errors": #"{file} has errors; fix them first"#,
        "failure.unknown-calendar": #"unknown calendar '{id}'; known: {known}"#,
        "failure.now-not-a-time": #"--now `{now}` is not a time: give RFC 3339 (2025-09-26T10:00:00+08:00) or a date (2025-09-26)"#,
        "failure.no-scenarios": #"no scenario files (*.test.yaml) under {paths}"#,
        "failure.server-store-keys": #"with a database server as the store, give --jwt-secret-file or --jwt-keys (every server must check tokens with the same key)"#,
        "failure.server-store-webhook": #"with a database server as the store, give --webhook-secret-file with --webhook"#,
        "failure.listen": #"--listen `{listen}` is not HOST:PORT"#,
        "failure.cannot-serve": #"cannot serve on {host}:{port}: {why}"#,
        "failure.token-server-store": #"with a database server as the store, give --jwt-secret-file (the file `wfc serve` checks tokens with)"#,
        "failure.no-such-path": #"no such file or directory: {path}"#,
        "failure.cannot-read-directory": #"cannot read directory: {path}"#,
        "failure.no-yaml-files": #"no .yaml or .yml files under {path}"#,
        "failure.no-such-file": #"no such file: {path}"#,
        "failure.not-regular-file": #"{path} is {kind}; give a file"#,
        "failure.cannot-read": #"cannot read {path}: {why}"#,
        "failure.outside-root": #"cannot read {path}: outside the root"#,
        "failure.no-scenario-file": #"{path} has no scenario file; expected {expected} (see docs/testing.md)"#,

        // Lines on stderr
        "note.fragment": #"{file} is a fragment, not a workflow"#,
        "note.evaluation-failed": #"evaluation failed: {why}"#,
        "note.dev-sign-in": #"--dev-sign-in is on: anyone can sign in to the web inbox as anyone"#,
        "note.test-clock": #"--test-clock is on: the web inbox can move the service's clock forward"#,
    ]
}

// MARK: - Simplified Chinese

extension CLIText {
    /// The Simplified Chinese texts, in the terms of the diagnostics catalog and
    /// docs/language.zh-CN.md (工作流, 制度, 案件, 会签, 代理, 转交, 加签 …).
    public static let zhCN: [String: String] = [
        // wfc
        "wfc.abstract": #"编译、检查并运行用 YAML 编写的人事制度工作流。"#,
        "wfc.discussion": """
            退出状态：
              0  通过：没有错误（加 --strict 时也没有警告）
              1  报告了含错误的诊断（或 --strict 下有警告），或测试未通过
              2  用法错误：选项或参数有误，或路径不存在
                 （任何输入：工作流、--data、--events、--vars）
              3  内部错误或读写失败：无法读取或写入文件
            """,

        // Shared by several commands
        "common.case-id": #"案件 id。"#,
        "common.item": #"foreach 逐项的序号。"#,
        "common.key": #"幂等键：同一个键返回已存储的结果。"#,
        "common.now-as-fire": #"时间（默认：当前时钟），写法同 `wfc case fire`。"#,
        "common.workflow-file": #"工作流文件。"#,
        "common.workflow-file-stdin": #"工作流文件；- 表示读取标准输入。"#,
        "common.store": #"存储：SQLite 文件，或 postgres://USER@HOST/DB URL（默认：$WFC_STORE，否则 .wfc/store.sqlite）。"#,
        "common.color": #"颜色：auto、always 或 never。"#,
        "output.format": #"输出格式：human、json（JSON Lines）、sarif（SARIF 2.1.0）或 github（Actions 注解）。"#,
        "output.color": #"颜色：auto、always 或 never。auto 在终端上着色，除非设置了 NO_COLOR。"#,
        "output.lang": #"消息的语言：zh-CN 或 en（默认：.wfc.yaml 中的 lang:，其次 LC_ALL、LC_MESSAGES 或 LANG，否则 en）。诊断代码在各种语言下都相同。"#,
        "input.max-file-bytes": #"可接受的最大文件字节数（适用于所有输入：工作流、导入、数据、事件、标准输入）。"#,
        "input.max-depth": #"列表和映射的最大嵌套深度。"#,
        "input.max-alias-nodes": #"YAML 别名总共可增加的节点数。"#,
        "input.root": #"导入以及所检查文件夹中的链接都必须位于此文件夹内（默认：包含该文件的仓库，向上按 .git 或 .wfc.yaml 查找；否则为文件所在的文件夹）。"#,

        // check
        "check.abstract": #"检查工作流文件，报告所有问题。"#,
        "check.discussion": #"递归查找目录中的 *.yaml 和 *.yml 文件。用 - 读取标准输入。文件并行检查；输出按文件和位置排序。"#,
        "check.paths": #"要检查的文件或目录；- 表示读取标准输入。"#,
        "check.strict": #"同时报告没有追溯到任何条款的状态和规则（WFC5040），并把警告当作错误（有警告时退出状态为 1）。"#,
        "check.today": #"以此日期为准，对 60 天内结束的日历数据发出警告（WFC3021）；默认：今天。"#,
        "check.config": #"对所有文件使用这个配置，而不是从各文件向上查找到的 .wfc.yaml。"#,
        "check.no-config": #"不读取任何 .wfc.yaml（行内的 # wfc-ignore: 注释仍然有效）。"#,
        "check.show-suppressed": #"同时列出被忽略注释和配置抑制的诊断及原因（SARIF：作为已抑制的结果）。"#,

        // compile, graph
        "compile.abstract": #"把工作流编译为类型化的状态图（IR JSON）。"#,
        "compile.discussion": #"工作流有错误时打印诊断并以状态 1 退出；否则输出 IR 及其内容哈希，为紧凑的 JSON（一行；--pretty 会缩进以便阅读）。哈希按规范形式计算，所以两种输出的哈希相同。"#,
        "compile.output": #"把 IR 写到这个文件，而不是标准输出。"#,
        "compile.pretty": #"缩进 IR JSON，便于阅读。"#,
        "graph.abstract": #"把工作流的状态图画成 Mermaid 或 Graphviz DOT。"#,
        "graph.format": #"mermaid（可在 GitHub 上显示）或 dot。"#,
        "graph.color": #"诊断的颜色：auto、always 或 never。"#,

        // schema
        "schema.abstract": #"打印工作流文件格式的 JSON Schema（2020-12）。"#,
        "schema.discussion": #"保存下来，并在文件中写 `# yaml-language-server: $schema=PATH` 让编辑器使用它，即可获得补全和悬停说明。"#,

        // expr
        "expr.abstract": #"检查并计算一个 CEL 表达式；打印其类型和值。"#,
        "expr.discussion": """
            把守卫写进制度之前，先试一试：
              wfc expr 'case.notice_days >= 30' --workflow workflows/company-handover.yaml --vars case.json
              wfc expr 'days > 3 && name.startsWith("a")' --decl days=int --decl name=string --vars vars.json
              wfc expr 'days_between(today, date("2025-10-31")) >= 30' --now 2025-09-30T23:59:00+08:00
            --vars 是变量值的 JSON 对象（配合 --workflow 时为 {"case": {...}}）。表达式所需的变量没有值时，只做类型检查：打印类型并注明 "not evaluated"，退出状态为 0。
            `now` 是 --now（否则为当前时钟），`today` 是它在日历时区中的日期。
            """,
        "expr.expression": #"表达式。"#,
        "expr.decl": #"声明一个变量，例如 days=int 或 tags=list(string)。"#,
        "expr.vars": #"变量值的 JSON 文件。"#,
        "expr.workflow": #"按这个工作流的案件结构（`case.*`）和函数检查。"#,
        "expr.calendar": #"working_days_between 和 add_working_days 所用的工作日日历，以及 `today` 的时区（默认：工作流的日历；没有日历的工作流，`today` 按 UTC 计算，与运行时相同；没有工作流时：cn-mainland）。"#,
        "expr.now": #"绑定为 `now` 的时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按日历的时区读取（没有日历的工作流：UTC）；随后会显示所用的时间。"#,
        "expr.format": #"human 或 json。"#,

        // doc
        "doc.abstract": #"为制度生成 Markdown 文档：流程图和条款对照。"#,
        "doc.discussion": #"`wfc doc workflows > docs/policies.md`。场景文件和片段文件会被跳过。"#,
        "doc.paths": #"工作流文件或目录。"#,

        // diff
        "diff.abstract": #"比较制度两个版本的语义差异，及其对进行中案件的影响。"#,
        "diff.discussion": """
            编译两个文件并比较它们的类型化状态图：状态、事件、守卫、要求、角色、职责分离、字段、期限、会签、保证、轮次上限、条款和标题。每处改动显示在新文件的对应行上（删除则显示在旧文件的行上），并注明对进行中案件的影响：无、需要映射或不安全（docs/versions.md）。排版和注释不算改动。
            没有影响进行中案件的改动时退出状态为 0，否则为 1（文件有错误时也为 1）。其中一个文件可以是 -（标准输入）：
            `git show main:workflows/x.yaml | wfc diff - workflows/x.yaml`。
            """,
        "diff.old": #"旧版本；- 表示读取标准输入。"#,
        "diff.new": #"新版本；- 表示读取标准输入。"#,
        "diff.format": #"human（用插入符标出改动，使用 --lang 的语言）、json（一个文档）、markdown（用于拉取请求）、github（注解）或 sarif。"#,
        "diff.a-file": #"某个文件"#,

        // explain
        "explain.abstract": #"解释一个诊断代码，附示例和修正方法。"#,
        "explain.code": #"诊断代码，如 WFC1003（前缀 WFC 可省略）。"#,
        "explain.list": #"列出所有代码及其摘要。"#,
        "explain.markdown": #"以 Markdown 输出所有代码的参考文档（docs/diagnostics.md）。"#,

        // test
        "test.abstract": #"运行场景测试（NAME.yaml 旁的 NAME.test.yaml）。"#,
        "test.discussion": #"每个场景在内存中开始一个案件，用与 `wfc case` 相同的运行时执行其步骤，并检查预期结果。每个场景打印一行，最后打印 `N passed, N failed`。所有场景都通过时退出状态为 0，否则为 1。见 docs/testing.md。"#,
        "test.paths": #"场景文件、工作流文件（取其 NAME.test.yaml）或目录。"#,
        "test.coverage": #"按工作流列出没有任何场景经过的状态和转移。"#,

        // run
        "run.abstract": #"用案件文件和事件列表在内存中试运行工作流，打印轨迹。"#,
        "run.discussion": #"用于试用制度：不保存任何内容。案件文件包含 `people:`（角色: 人员）、`data:` 和可选的 `start:` 时间；事件文件是步骤列表，写法与场景文件相同（`- fire: submit` 配合 `as: zhang.san`、`after: 3 working days`、`tick:`）。被拒绝的事件会连同制度中的对应行一起报告，运行继续进行。有任何步骤被拒绝时退出状态为 1。"#,
        "run.data": #"案件文件：人员、数据和开始时间（YAML 或 JSON）。"#,
        "run.events": #"事件文件：步骤列表（YAML 或 JSON）。"#,

        // case
        "case.abstract": #"在存储中开始、推进、查看和校验持久化的案件。"#,
        "case.discussion": """
            存储为 --store PATH，否则 $WFC_STORE，否则 ./.wfc/store.sqlite（不存在时创建）。案件固定在开始时所用的编译定义上。见 docs/store.md。

            存储故障是代码为 WFC7xxx 的诊断（`wfc explain WFC7001`）。

            退出状态：
              0  完成
              1  被拒绝（已记入审计日志）、校验失败（WFC7008-7011、WFC7017）、
                 检查点或密钥不可用（WFC7016）、工作流或案件文件中有诊断、
                 案件 id 已存在（WFC7002），或与另一个写入者冲突、存储正忙
                 （WFC7003、WFC7004：未记录任何内容；请再次运行该命令）
              2  用法错误：选项、参数或时间有误，缺少文件（工作流或 --data），
                 未知的案件 id（WFC7001），存储拒绝的案件 id、人员 id、事件名
                 或键（WFC7007、WFC7012），键被另一个请求重复使用（WFC7013），
                 存储 URL 没有对应的后端（WFC7015），或未知的 --state（WFC0003）
              3  无法打开、读取或写入存储（WFC7006），存储已损坏（WFC7005），
                 或是另一个应用程序的数据库（WFC7014）
            """,
        "case.format": #"输出格式：human 或 json。"#,
        "case.start.abstract": #"编译工作流，并用案件文件开始一个案件；打印案件 id。"#,
        "case.start.discussion": #"案件文件（YAML 或 JSON）包含 `people:`（角色: 人员）、`data:`（案件字段）和可选的 `start:` 时间。所有问题都会列出；只要有问题，就不保存任何内容。"#,
        "case.start.data": #"案件文件：人员和数据。"#,
        "case.start.id": #"案件 id（默认：WORKFLOW-xxxxxxxx）。"#,
        "case.start.as": #"开始案件的人（记入审计日志）。"#,
        "case.start.now": #"时间（默认：案件文件的 start:，否则当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按工作流日历的时区读取，工作流没有日历时按 UTC；随后会显示所用的时间。"#,
        "case.fire.abstract": #"向案件发送一个事件。"#,
        "case.fire.discussion": #"事件按案件固定的定义执行。被拒绝时记入审计日志，并以状态 1 退出。给出 --key 时，重复同一命令返回第一次的结果，不会产生新的步骤。"#,
        "case.fire.event": #"事件名（会签用 sign 和 unsign）。"#,
        "case.fire.as": #"发送事件的人。"#,
        "case.fire.role": #"此人担任会签中的多个角色时，以哪个角色签字。"#,
        "case.fire.for": #"以代理人身份代此人发送（代理）：事件发生时，此人的代理须指定 --as 所给的人（`wfc people substitute`）。"#,
        "case.fire.data": #"事件所填字段的 YAML 或 JSON 映射。"#,
        "case.fire.now": #"时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按工作流日历的时区读取，工作流没有日历时按 UTC；随后会显示所用的时间。"#,
        "case.fire.assign": #"ROLE=PERSON：事件的转移所指定（`assign:`）的角色及其绑定的人；可重复。"#,
        "case.reassign.abstract": #"把待办或案件余下流程中的角色交给另一个人（转交）。"#,
        "case.reassign.discussion": #"只有制度 `reassign: {by: …}` 中所列角色的担任者可以转交。给出 --task 时，只有该待办转给新的人；不给时，该角色在案件余下的流程中都由新的人担任。原因记入审计日志（谁代谁办理、由谁转交、原因）。被拒绝时也会记录，并以状态 1 退出。"#,
        "case.reassign.role": #"转交的角色。"#,
        "case.reassign.to": #"接手的人。"#,
        "case.reassign.as": #"执行转交的人。"#,
        "case.reassign.reason": #"原因（必填，一行）：记入审计日志。"#,
        "case.reassign.task": #"转交的待办（状态）；不给时，转交该角色在案件余下流程中的职责。"#,
        "case.reassign.item": #"该待办的 foreach 逐项序号。"#,
        "case.add-signer.abstract": #"在进行中的会签中加一位签字人（加签）。"#,
        "case.add-signer.discussion": #"会签的 `add:` 允许发送者的角色加签时，所加的人在当前轮到的各方之前、之后或与其同时签字。谁在何处加了谁、为什么，都记入审计日志；被拒绝时也会记录，并以状态 1 退出。"#,
        "case.add-signer.as": #"加签的人。"#,
        "case.add-signer.person": #"要加的签字人。"#,
        "case.add-signer.position": #"before、after 或 parallel：相对于当前轮到的各方。"#,
        "case.add-signer.reason": #"加签的原因（记入审计日志）。"#,
        "case.add-signer.role": #"发送者担任多个可加签的角色时，以哪个角色办理。"#,
        "case.show.abstract": #"显示案件的活动状态、待办与办理人、签名、期限和清单。"#,
        "case.show.now": #"计算期限所依据的时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按工作流日历的时区读取，工作流没有日历时按 UTC；随后会显示所用的时间。"#,
        "case.list.abstract": #"列出案件。"#,
        "case.list.workflow": #"只列出这个工作流 id 的案件。"#,
        "case.list.state": #"只列出这个状态处于活动中的案件。"#,
        "case.list.overdue": #"只列出有期限已过的进行中案件。"#,
        "case.list.now": #"--overdue 所用的时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按本机的时区读取；随后会显示所用的时间。"#,
        "case.history.abstract": #"打印案件的审计轨迹：每个事件（含被拒绝的尝试）及哈希。"#,
        "case.verify.abstract": #"检查哈希链，按固定的定义重放日志，并检查签名的检查点。"#,
        "case.verify.discussion": #"检查重放所决定的每一列（快照、工作流、版本、状态、活动状态、时间、下一个到期时间、计时器）。--all 在一个进程中校验所有案件，每校验完一个案件输出一行。--checkpoint FILE --public-key KEY.pub 先检查检查点的签名，再检查到该检查点为止没有案件丢失或改动过事件（不给 id 时：所有案件）。有任何检查失败时以状态 1 退出。"#,
        "case.verify.id": #"案件 id（或用 --all）。"#,
        "case.verify.all": #"校验存储中的所有案件。"#,
        "case.verify.checkpoint": #"由 `wfc case checkpoint` 写出的检查点。"#,
        "case.verify.public-key": #"签署检查点的密钥所对应的公钥（KEY.pub）。"#,
        "case.checkpoint.abstract": #"用存储外保管的 Ed25519 密钥签署所有案件的哈希链头。"#,
        "case.checkpoint.discussion": #"--new-key FILE 创建一对密钥：FILE（私钥，权限 0600，绝不覆盖）和 FILE.pub。--key FILE 对每个案件的最后事件序号、哈希及其固定的定义签名，并把检查点写到 -o FILE（或标准输出）。之后用 `wfc case verify --checkpoint FILE --public-key KEY.pub` 可以证明到该检查点为止没有案件丢失或改动过事件。见 docs/store.md 的 "Signed checkpoints"。"#,
        "case.checkpoint.new-key": #"创建一对新密钥：FILE 和 FILE.pub。"#,
        "case.checkpoint.key": #"用于签名的私钥文件。"#,
        "case.checkpoint.output": #"把检查点写到这个文件（默认：标准输出）。"#,
        "case.checkpoint.now": #"记录在检查点中的时间（默认：现在）。"#,
        "case.tick.abstract": #"触发进行中案件里已到期的事项（升级、超期转移、等待）。"#,
        "case.tick.now": #"时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按本机的时区读取；随后会显示所用的时间。"#,
        "case.migrate.abstract": #"按迁移计划把进行中的案件迁到其制度的新版本。"#,
        "case.migrate.discussion": """
            计划（NAME.migrate.yaml，docs/versions.md）指明新旧制度文件，并映射状态、值、人员、期限和签名；它会先像 `wfc check` 那样经过证明。每个迁移的案件在审计日志中得到一个 `migrate` 步骤（含两个定义的哈希和计划的哈希），`wfc case verify` 会跨过它重放。没有计划文件时，用选项给出计划：
              `--old OLD.yaml --new NEW.yaml --state review=manager_review --value 'witness_needed=case.key_post' --person witness=hr.zhao --deadlines keep`
            它会像写在文件中的同一计划那样被证明和执行。计划无法迁移的案件会列为被拒绝，并留在原版本上。所有案件都已（或将会）迁移时退出状态为 0，有案件被拒绝或计划有错误时为 1，用法错误为 2。
            """,
        "case.migrate.ids": #"要迁移的案件（或用 --all-of）。"#,
        "case.migrate.plan": #"迁移计划文件（或用 --old、--new 和下面的选项给出计划）。"#,
        "case.migrate.old": #"不用 --plan 时：旧版本的制度文件。"#,
        "case.migrate.new": #"不用 --plan 时：新版本的制度文件。"#,
        "case.migrate.state": #"不用 --plan 时：把旧状态映射到新状态（可重复）。"#,
        "case.migrate.value": #"不用 --plan 时：新字段的值，为基于旧数据的 CEL 表达式（可重复）。"#,
        "case.migrate.person": #"不用 --plan 时：新角色由谁担任（可重复）。"#,
        "case.migrate.deadlines": #"不用 --plan 时：保留（keep）或重新计算（recompute）未到的期限和等待。"#,
        "case.migrate.signatures": #"不用 --plan 时：保留（keep）或重置（reset）已收集的签名。"#,
        "case.migrate.to": #"计划的 `to:` 编译后必须得到的内容哈希（用于核对）。"#,
        "case.migrate.all-of": #"内容哈希为此值的定义（计划的 `from:`）的所有进行中案件。"#,
        "case.migrate.dry-run": #"逐个案件报告是会迁移还是会被拒绝，以及原因；不写入任何内容。"#,
        "case.migrate.as": #"执行迁移的人（记入审计日志）。"#,
        "case.migrate.now": #"时间（默认：当前时钟）：RFC 3339，或不带 UTC 偏移的时间（只写日期表示 09:00），按新工作流日历的时区读取。"#,

        // people
        "people.abstract": #"在存储中管理人员的代理人（代理）。"#,
        "people.discussion": #"存储为 --store PATH，否则 $WFC_STORE，否则 ./.wfc/store.sqlite，与 `wfc case` 相同。见 docs/cli.md（"wfc people substitute"）和 docs/language.zh-CN.md（“代理”）。"#,
        "people.substitute.abstract": #"指定、列出和撤销代理人（休假外出、离职代理等）。"#,
        "people.substitute.discussion": """
            代理期间，本人可办理的待办，代理人也可以办理（`wfc case fire … --as SUBSTITUTE --for PERSON`），但制度中声明了 `substitutes: false` 的角色除外；审计日志会记录谁代谁办理。一个人同一时间只有一个代理人。

            退出状态：
              0  完成
              1  时间范围与此人已有的代理重叠（WFC7025）
              2  用法错误：时间范围有误（WFC9014），人员或代理人有误（WFC7027），
                 未知的代理 id（WFC7026）
              3  无法打开、读取或写入存储
            """,
        "people.substitute.add.abstract": #"为某人指定一段日期或时间内的代理人。"#,
        "people.substitute.add.discussion": #"日期（2025-10-01）表示中国标准时间的一整天，包含 --until 当天；RFC 3339 时间（2025-10-01T09:00:00+08:00）是精确时刻，不含 --until。打印该代理的 id。"#,
        "people.substitute.add.person": #"不在岗的人。"#,
        "people.substitute.add.substitute": #"代其办理的人。"#,
        "people.substitute.add.from": #"开始生效的第一天（或时刻）。"#,
        "people.substitute.add.until": #"生效的最后一天（或结束的时刻）。"#,
        "people.substitute.add.reason": #"原因（显示在列表中），例如 年假 或 离职交接。"#,
        "people.substitute.add.as": #"指定代理人的人（默认：本人）。"#,
        "people.substitute.add.now": #"时间（默认：当前时钟）：RFC 3339，或日期（中国标准时间 09:00）。"#,
        "people.substitute.list.abstract": #"列出某人的代理人（--named：此人是谁的代理人）。"#,
        "people.substitute.list.person": #"人员。"#,
        "people.substitute.list.named": #"改为列出指定此人为代理人的代理。"#,
        "people.substitute.list.all": #"包括已撤销的代理。"#,
        "people.substitute.list.now": #"读取 STATUS 列所依据的时间（默认：当前时钟）。"#,
        "people.substitute.revoke.abstract": #"立即结束某人的代理（从此刻起不再生效）。"#,
        "people.substitute.revoke.person": #"代理所属的人。"#,
        "people.substitute.revoke.id": #"代理 id（`sub-…`，来自 add 或 list）。"#,
        "people.substitute.revoke.as": #"撤销代理的人（默认：本人）。"#,
        "people.substitute.revoke.now": #"时间（默认：当前时钟）。"#,

        // calendar
        "calendar.abstract": #"显示工作日日历：覆盖的年份、数据来源和下一个数据缺口。"#,
        "calendar.discussion": #"不给 id 时，列出内置日历，以及当前目录所在仓库（最近的含 .git 或 .wfc.yaml 的文件夹）根目录下 calendars/ 中的公司日历。给出 id 时，逐年显示该日历：官方年份及其公告，按节假日法规推算的临时年份及其放假日，以及第一个没有数据的年份。--workflow 显示某个工作流文件编译时所用的日历。"#,
        "calendar.id": #"日历 id：内置的（cn-mainland）或仓库中的 calendars/ID.json。"#,
        "calendar.workflow": #"显示这个工作流所用的日历，包括它是否选用临时年份。"#,
        "calendar.provisional": #"加上按节假日法规推算的临时年份，与 `provisional: law` 的作用相同。"#,
        "calendar.today": #"计算下一个缺口的起始日期；默认：今天。"#,

        // lsp
        "lsp.abstract": #"在标准输入和输出上运行语言服务器（LSP 3.17）。"#,
        "lsp.discussion": """
            由编辑器自行启动；VS Code 和 Neovim 的配置见 docs/editors.md。
            诊断、悬停提示、跳转到定义、补全、文档符号、重命名和代码操作都来自与 `wfc check` 相同的编译器。只读取编辑器工作区文件夹内的导入。
            """,

        // serve
        "serve.abstract": #"通过 HTTP 提供案件存储，用持有者令牌识别身份。"#,
        "serve.discussion": """
            身份：默认使用 HS256 令牌，由存储旁边的密钥 `jwt-secret` 签名（首次启动时创建，权限 0600）；用 `wfc token issue` 签发令牌。生产环境请给出 --jwt-keys：包含 EdDSA/RS256 公钥的 JWKS 或 PEM 文件。

            到期的计时器（升级、违规、等待）会在约一秒内自动触发；多个服务器共用一个存储时会取得租约，所以不会有案件被触发两次。给出 --webhook 时，各种效果（待办产生、升级、违规、案件结束）会至少一次 POST 到该地址，并以 HMAC-SHA256 签名（docs/service.md 的 "Webhooks"）。

            面向人员的网页待办位于 /web（docs/web.md）；--no-web 不提供它。

            收到 SIGTERM 或 SIGINT 时平稳停止：正在处理的请求会完成。

            退出状态：
              0  被信号停止
              2  用法错误：--listen 有误，密钥文件无法读取
              3  无法打开或创建存储或密钥，无法监听该地址，
                 或缺少网页模板（WFC9021）
            """,
        "serve.listen": #"监听的地址和端口；端口 0 表示选一个空闲端口（会打印出来）。"#,
        "serve.jwt-secret-file": #"HS256 密钥文件（默认：存储旁边的 jwt-secret）。"#,
        "serve.jwt-keys": #"令牌的公钥：JWKS 文件或 PEM 公钥（EdDSA、RS256）。"#,
        "serve.issuer": #"令牌必须带有的 `iss` 声明。"#,
        "serve.audience": #"令牌必须带有的 `aud` 声明。"#,
        "serve.max-body-bytes": #"请求体的最大字节数。"#,
        "serve.no-scheduler": #"不触发到期的计时器（由另一个服务器或 `wfc case tick` 触发）。"#,
        "serve.webhook": #"把每个效果 POST 到这里（http 或 https），以 HMAC-SHA256 签名。"#,
        "serve.webhook-secret-file": #"webhook 的签名密钥（默认：存储旁边的 webhook-secret，首次使用时创建，权限 0600）。"#,
        "serve.metrics-token-file": #"要求 GET /metrics 以 `Authorization: Bearer` 带上这个令牌（文件中的十六进制密钥，权限 0600）。"#,
        "serve.dev-sign-in": #"允许在网页待办的登录页不用令牌选择任何人登录（仅限可信的个人电脑；页面上会有红色横幅提示）。"#,
        "serve.test-clock": #"网页待办可以向前拨动的时钟，用于测试期限（切勿用于生产；此时计时器只由 POST /v1/tick 触发）。"#,
        "serve.web-dir": #"网页待办的模板和样式表（默认：wfc 旁边的 wfc_WFCWeb.resources，否则 $WFC_WEB_DIR）。"#,
        "serve.no-web": #"只提供 API，不提供 /web 的网页待办。"#,

        // token
        "token.abstract": #"为 `wfc serve` 的内置 HS256 密钥签发持有者令牌。"#,
        "token.issue.abstract": #"为某人打印令牌，用存储旁的密钥签名（缺少时创建）。"#,
        "token.issue.discussion": """
            权限范围：`admin`（部署定义、读取所有案件、tick）和 `cases:start`。每个人都可以在自己担任角色的案件中办理。

            退出状态：
              0  已打印
              2  用法错误：--ttl 或 --sub 有误
              3  无法读取或创建密钥，或密钥可被他人读取
            """,
        "token.issue.sub": #"人员 id（令牌的 `sub`）。"#,
        "token.issue.scope": #"授予的权限范围：admin 或 cases:start（可重复）。"#,
        "token.issue.ttl": #"令牌的有效期：30m、8h、7d 或秒数。"#,
        "token.issue.store": #"用其密钥签名的存储（默认：$WFC_STORE，否则 .wfc/store.sqlite）。"#,
        "token.issue.jwt-secret-file": #"用这个 HS256 密钥文件代替存储的密钥。"#,
        "token.issue.issuer": #"`iss` 声明。"#,
        "token.issue.audience": #"`aud` 声明。"#,

        // Usage errors (exit status 2)
        "usage.give-paths": #"请至少给出一个文件或目录，例如 `wfc check workflows`"#,
        "usage.give-test-paths": #"请至少给出一个文件或目录，例如 `wfc test workflows`"#,
        "usage.today": #"--today 必须是 YYYY-MM-DD 格式的日期，不能是 '{today}'"#,
        "usage.config-and-no-config": #"--config 和 --no-config 不能同时使用"#,
        "usage.no-config-file": #"--config {file}：文件不存在"#,
        "usage.limits": #"上限必须为正数"#,
        "usage.root-not-directory": #"--root {root} 不是目录"#,
        "usage.calendar-id-or-workflow": #"请给出日历 id 或 --workflow，不要同时给出"#,
        "usage.one-stdin": #"两个文件中只能有一个是标准输入"#,
        "usage.item": #"--item 必须为 0 或更大"#,
        "usage.as-person": #"--as 必须指定一个人"#,
        "usage.to-person": #"--to 必须指定一个人"#,
        "usage.assign-form": #"--assign 的写法是 ROLE=PERSON，不能是 `{value}`"#,
        "usage.assign-twice": #"--assign 两次指定了同一个角色"#,
        "usage.key-or-new-key": #"请给出 --key FILE 以签名，或 --new-key FILE 以创建密钥"#,
        "usage.output-with-new-key": #"-o 用于检查点；--new-key 写出的是 FILE 和 FILE.pub"#,
        "usage.plan-both": #"请用文件（--plan）或用 --old、--new 和计划选项给出计划，不要同时使用两者"#,
        "usage.plan-missing": #"请给出计划：--plan FILE，或 --old FILE --new FILE 加上 --state、--value、--person、--deadlines、--signatures"#,
        "usage.id-and-all": #"请给出案件 id 或 --all，不要同时给出"#,
        "usage.id-or-all": #"请给出案件 id，或用 --all 校验所有案件"#,
        "usage.checkpoint-needs-key": #"--checkpoint 需要 --public-key：签署它的密钥所对应的公钥"#,
        "usage.public-key-needs-checkpoint": #"--public-key 要与 --checkpoint 一起使用"#,
        "usage.jwt-both": #"请给出 --jwt-secret-file 或 --jwt-keys，不要同时给出"#,
        "usage.listen": #"--listen `{listen}` 不是 HOST:PORT（例如 127.0.0.1:8080）"#,
        "usage.max-body-bytes": #"--max-body-bytes 必须为正数"#,
        "usage.webhook-url": #"--webhook `{url}` 不是 http(s) URL"#,
        "usage.webhook-secret-needs-webhook": #"--webhook-secret-file 需要与 --webhook 一起使用"#,
        "usage.ttl": #"--ttl `{ttl}` 不是不超过一年的时长：请写成例如 30m、8h、7d 或 3600"#,
        "usage.scope": #"--scope `{scope}` 不是权限范围：请给出 {admin} 或 {start}"#,

        // Failures
        "failure.does-not-compile": #"{file} 无法编译；请运行 `wfc check {file}`"#,
        "failure.no-calendar": #"{file} 没有指定日历"#,
        "failure.cannot-write": #"无法写入 {file}：{why}"#,
        "failure.is-directory": #"{path} 是目录；请给出一个工作流文件"#,
        "failure.fix-errors-first": #"请先修正上面的错误"#,
        "failure.unknown-code": #"未知的诊断代码 '{code}'；`wfc explain --list` 会列出所有代码"#,
        "failure.has-errors": #"{file} 有错误；请先修正"#,
        "failure.unknown-calendar": #"未知的日历 '{id}'；已知的有：{known}"#,
        "failure.now-not-a-time": #"--now `{now}` 不是时间：请给出 RFC 3339 时间（2025-09-26T10:00:00+08:00）或日期（2025-09-26）"#,
        "failure.no-scenarios": #"{paths} 下没有场景文件（*.test.yaml）"#,
        "failure.server-store-keys": #"以数据库服务器作为存储时，请给出 --jwt-secret-file 或 --jwt-keys（每个服务器都必须用同一个密钥检查令牌）"#,
        "failure.server-store-webhook": #"以数据库服务器作为存储时，请随 --webhook 给出 --webhook-secret-file"#,
        "failure.listen": #"--listen `{listen}` 不是 HOST:PORT"#,
        "failure.cannot-serve": #"无法在 {host}:{port} 上提供服务：{why}"#,
        "failure.token-server-store": #"以数据库服务器作为存储时，请给出 --jwt-secret-file（即 `wfc serve` 用来检查令牌的文件）"#,
        "failure.no-such-path": #"没有这个文件或目录：{path}"#,
        "failure.cannot-read-directory": #"无法读取目录：{path}"#,
        "failure.no-yaml-files": #"{path} 下没有 .yaml 或 .yml 文件"#,
        "failure.no-such-file": #"没有这个文件：{path}"#,
        "failure.not-regular-file": #"{path} 不是普通文件（{kind}）；请给出一个文件"#,
        "failure.cannot-read": #"无法读取 {path}：{why}"#,
        "failure.outside-root": #"无法读取 {path}：它不在根目录内"#,
        "failure.no-scenario-file": #"{path} 没有场景文件；应为 {expected}（见 docs/testing.md）"#,

        // Lines on stderr
        "note.fragment": #"{file} 是片段，不是工作流"#,
        "note.evaluation-failed": #"计算失败：{why}"#,
        "note.dev-sign-in": #"--dev-sign-in 已开启：任何人都可以以任何人的身份登录网页待办"#,
        "note.test-clock": #"--test-clock 已开启：网页待办可以把服务的时钟向前拨"#,
    ]
}

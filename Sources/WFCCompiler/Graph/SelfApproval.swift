import WFCIR
import WFCDiagnostics

/// A review that can send work back to the person who submitted it, where nothing keeps the
/// submitter and the reviewer apart: one person holding both roles could approve their own
/// work (a leaver who is also their own supervisor, or their receiver's).
///
/// A state is a review when one of its events sends the case back, into the loop the work came
/// from, to a state nearer the start. Its submitters are the roles whose events there
/// bring the work back to it; its reviewers, the roles of its own events.
enum SelfApproval: GraphCheck {
    static func run(_ g: GraphModel, _ d: inout [Diagnostic]) {
        let ir = g.ir
        guard ir.states.contains(where: { !$0.transitions.isEmpty }) else { return }
        func separated(_ a: Int, _ b: Int) -> Bool { ir.separations.contains { $0.contains(a) && $0.contains(b) } }
        // Per-state bookkeeping in arrays indexed by state id (-1: none), not dictionaries:
        // this runs for every file. Entries set for a region are cleared after it.
        let n = ir.states.count
        var depth = [Int](repeating: -1, count: n)
        var componentOf: [Int] = []
        /// Steps from the region's start (`Int.max` when not reached).
        func distance(_ s: Int) -> Int { s >= 0 && s < n && depth[s] >= 0 ? depth[s] : .max }
        func component(_ s: Int) -> Int { s >= 0 && s < componentOf.count ? componentOf[s] : -1 }
        for region in ir.regions {
            guard let start = region.start else { continue }
            // Steps from the start: a step to a state no further from it goes back.
            depth[start] = 0
            var queue = [start]
            defer { for s in queue { depth[s] = -1 } }
            var qi = 0
            while qi < queue.count {
                let x = queue[qi]
                qi += 1
                for e in g.edges[x] {
                    if let t = e.to, t >= 0, t < n, depth[t] < 0, ir.states[t].region == region.id {
                        depth[t] = depth[x] + 1
                        queue.append(t)
                    }
                }
            }
            // Only a step back towards the start can send work back: most regions have none,
            // and need no components.
            let hasBackStep = region.states.contains { sid in
                let here = distance(sid)
                guard here != .max else { return false }
                return ir.states[sid].transitions.contains { t in t.target.map { $0 != sid && distance($0) < here } ?? false }
            }
            guard hasBackStep else { continue }
            componentOf = [Int](repeating: -1, count: n)
            for (i, c) in g.components(region: region.id).enumerated() where c.count > 1 { for s in c { componentOf[s] = i } }
            for sid in region.states where ir.states.indices.contains(sid) {
                let s = ir.states[sid]
                let comp = componentOf[sid]
                guard comp >= 0 else { continue }
                // Sent back: an event whose target is in the same loop; the submitters are the
                // roles whose events there bring the work to this state again.
                let here = distance(sid)
                guard here != .max,
                      let back = s.transitions.first(where: { t in t.target.map { $0 != sid && component($0) == comp && distance($0) < here } ?? false }),
                      let returnedTo = back.target, ir.states.indices.contains(returnedTo) else { continue }
                var submitters: [Int] = []
                for t in ir.states[returnedTo].transitions where t.target == sid {
                    for r in t.roles where !submitters.contains(r) { submitters.append(r) }
                }
                var reported = Set<[Int]>()
                for t in s.transitions {
                    for r in t.roles {
                        for p in submitters where p != r && !separated(p, r) {
                            guard reported.insert([p, r]).inserted else { continue }
                            let submitter = ir.roles[p].name, reviewer = ir.roles[r].name
                            d.append(Diagnostic(
                                SelfApprovalMessage(state: s.name, submitter: submitter, reviewer: reviewer),
                                at: g.source(back.span), label: "sends the work back to `\(submitter)`",
                                secondary: [Label(g.source(ir.roles[r].span), "not kept apart from `\(submitter)`")],
                                notes: ["one person holding both `\(submitter)` and `\(reviewer)` could submit the work and approve it"],
                                help: "add `[\(submitter), \(reviewer)]` to `separate:` (or add `\(reviewer)` to a group with `\(submitter)`)"))
                        }
                    }
                }
            }
        }
    }
}

struct SelfApprovalMessage: DiagnosticMessage {
    static let descriptor = DiagnosticDescriptor(
        code: "WFC5021", severity: .warning, name: "self-approval",
        summary: "A reviewer and the person whose work they review could be the same person.",
        explanation: """
            A review state checks work that another role submits, and can send it back. Unless \
            `separate:` keeps the submitting role and the reviewing role apart, the runtime lets \
            one person hold both, and that person approves their own work: a leaver who is \
            their own supervisor, or their own receiver's. Add the pair to a `separate:` group.
            """,
        example: "roles: {handover: 交接人, manager: 直接上级}\nstates:\n  prepare: {on: {ready: {by: handover, to: review}}}\n  review: {on: {approve: {by: manager, to: done}, reject: {by: manager, to: prepare}}}\n",
        fix: "roles: {handover: 交接人, manager: 直接上级}\nseparate: [[handover, manager]]\nstates:\n  prepare: {on: {ready: {by: handover, to: review}}}\n  review: {on: {approve: {by: manager, to: done}, reject: {by: manager, to: prepare}}}\n")
    var state: String
    var submitter: String
    var reviewer: String
    var message: String { "`\(reviewer)` reviews in `\(state)` what `\(submitter)` submits, but nothing keeps them apart" }
}

import Foundation
import KodeKernel

/// The monitor pane's feed: governance events as one-line entries, with filter tabs.
package struct MonitorModel: Sendable {
    /// The filter tabs, in order.
    package enum Filter: String, Sendable, CaseIterable {
        case all = "All", state = "State", tools = "Tools", usage = "Usage", errors = "Errors", lineage = "Agents"
    }

    /// One line of the feed.
    package struct Entry: Sendable, Hashable {
        package var time: Date
        package var category: Filter
        package var text: String
        package var role: StyleRole
    }

    package private(set) var entries: [Entry] = []
    package var filter: Filter = .all
    /// Entries scrolled up from the tail; 0 follows the tail.
    package var scrollBack = 0
    /// Whether an entry wider than the pane wraps onto more lines (else it is cut at the edge).
    package var wrap = false
    /// The most entries kept (oldest dropped first).
    package static let capacity = 20_000

    /// An empty feed.
    package init() {}

    /// The entries the current filter shows.
    package var visible: [Entry] {
        filter == .all ? entries : entries.filter { $0.category == filter }
    }

    /// Folds one event in (Monitor and Control events; Progress only for tool errors).
    package mutating func apply(_ envelope: EventEnvelope) {
        let t = envelope.timestamp
        switch envelope.event {
        case .stateChanged(let e):
            add(t, .state, "state \(e.from.rawValue) → \(e.to.rawValue)", .dim)
        case .breakpointChanged(let e):
            add(t, .state, "breakpoint \(e.from.rawValue) → \(e.to.rawValue)", .dim)
        case .toolExecuted(let e):
            let ms = e.durationMs.map { Format.duration($0) } ?? "-"
            let role: StyleRole = e.isError || e.state == .failed ? .error : (e.state == .denied || e.state == .sealed ? .warning : .tool)
            add(t, .tools, "\(e.name) \(e.state.rawValue.lowercased()) \(ms) \(e.approval) \(e.outputBytes)B  \(e.inputPreview)", role)
        case .permissionRequired(let e):
            let asker = e.agentId.map { "sub-agent \($0): " } ?? ""
            // A preview of a tool without a shape of its own starts with the tool's name already.
            let what = e.inputPreview.hasPrefix(e.call.name + " ") ? e.inputPreview : "\(e.call.name) \(e.inputPreview)"
            add(t, .tools, "approval needed: \(asker)\(what) — \(e.reason)", .warning)
        case .permissionDecided(let e):
            add(t, .tools, "\(e.decision == .allow ? "allowed" : "denied") \(e.callId) by \(e.decidedBy) (\(e.scope.rawValue))" + (e.note.map { ": " + $0 } ?? ""), e.decision == .allow ? .success : .warning)
        case .permissionRuleChanged(let e):
            add(t, .tools, "rule \(e.change.rawValue): \(e.rule.decision.rawValue) \(e.rule.pattern)", .hint)
        case .tokenUsage(let e):
            let cost = e.totalCostUSD.map { String(format: " $%.4f", $0) } ?? ""
            add(t, .usage, "tokens in \(e.usage.input) out \(e.usage.output) · total \(e.total.input + e.total.output)\(cost)", .dim)
        case .error(let e):
            let role: StyleRole = e.severity == .info ? .dim : (e.severity == .warning ? .warning : .error)
            add(t, .errors, "[\(e.severity.rawValue)] \(e.phase.rawValue): \(e.message)" + (e.detail.map { " — " + $0 } ?? ""), role)
        case .toolError(let e):
            add(t, .errors, "[error] tool \(e.name): \(e.message)", .error)
        case .agentResumed(let e):
            add(t, .lineage, "resumed at \(e.breakpoint.rawValue): sealed \(e.sealedCalls.count), discarded \(e.discardedPartialBytes)B, pending \(e.pendingApprovals.count)", .hint)
        case .checkpointCreated(let e):
            add(t, .lineage, "checkpoint \(e.checkpoint.label ?? e.checkpoint.id): \(e.checkpoint.preview)", .accent)
        case .modelChanged(let e):
            add(t, .state, "model → \(e.provider.name)/\(e.provider.model) (by \(e.by))", .accent)
        case .subagentStarted(let e):
            let how = e.reattached ? "re-attached to" : "started"
            add(t, .lineage, "sub-agent \(how) \(e.child) by \(e.parent) (\(e.template ?? "parent's config"), \(e.model), depth \(e.depth))", .accent)
        case .subagentFinished(let e):
            add(t, .lineage, "sub-agent \(e.child) \(e.outcome.rawValue) in \(Format.duration(Double(e.durationMs))): \(e.preview)", e.outcome == .completed ? .success : .warning)
        case .schedulerTriggered(let e):
            add(t, .state, "scheduler: \(e.name ?? e.triggerId) (\(e.schedule)) → \(e.action)" + (e.missed > 0 ? ", \(e.missed) missed" : ""), .accent)
        case .scheduleChanged(let e):
            add(t, .state, "trigger \(e.change.rawValue): \(e.trigger.displayName) \(e.trigger.spec.schedule.summary)", .hint)
        case .agentRenamed(let e):
            add(t, .state, e.title.map { "renamed \"\($0)\" (by \(e.by))" } ?? "title removed (by \(e.by))", .accent)
        case .agentForked(let e):
            add(t, .lineage, "forked \(e.child) from \(e.parent.agentId)@\(e.parent.seq)", .accent)
        case .todoChanged(let e):
            add(t, .state, "todos: \(e.todos.count)", .dim)
        case .todoReminder(let e):
            add(t, .state, "todo reminder: \(e.message)", .hint)
        case .fileChanged(let e):
            add(t, .tools, "file \(e.action.rawValue) \(e.path)", .dim)
        case .contextCompression(let e):
            add(t, .state, "context compressed \(e.beforeChars) → \(e.afterChars) chars (\(e.compressedResults) results)", .dim)
        case .done(let e):
            add(t, .state, "turn \(e.reason.rawValue)", e.reason == .completed ? .success : .warning)
        default:
            break
        }
    }

    /// Adds a line from the app itself (a failed action, a fork, …).
    package mutating func note(_ text: String, role: StyleRole, category: Filter = .errors, at time: Date) {
        add(time, category, text, role)
    }

    private mutating func add(_ t: Date, _ c: Filter, _ text: String, _ role: StyleRole) {
        entries.append(Entry(time: t, category: c, text: Sanitizer.oneLine(text), role: role))
        if entries.count > MonitorModel.capacity { entries.removeFirst(entries.count - MonitorModel.capacity) }
    }
}

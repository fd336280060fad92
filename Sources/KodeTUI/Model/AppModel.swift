import Foundation
import KodeKernel

/// Where the conversation pane is scrolled to.
package struct ConversationScroll: Sendable, Hashable {
    /// Showing the newest lines, moving as output arrives.
    package var follow = true
    /// When not following: the first visible line (item index, line within the item).
    package var topItem = 0
    package var topLine = 0
    /// Output arrived while not following ("new output" hint).
    package var newOutput = false
    /// The entry Enter expands (nil: the newest expandable one).
    package var selected: Int?
}

/// The whole state of the front end. `update` changes it; `Renderer` draws it.
package struct AppModel {
    package var info: SessionInfo
    package var conversation = ConversationModel()
    package var scroll = ConversationScroll()
    package var composer = Composer()
    package var approvals = ApprovalQueue()
    package var monitor = MonitorModel()
    package var tree = CheckpointTree()
    /// The workspace mode a fork preselects (`[workspace] fork_mode`).
    package var forkMode: WorkspaceForkMode = .copy
    package var focus: Pane = .composer
    package var overlays: [Overlay] = []
    package var width: Int
    package var height: Int
    /// Unicode glyphs and borders (false when the locale is not UTF-8).
    package var unicode: Bool
    package var keymap: Keymap
    /// The last search query per pane, for `n`/`N`.
    package var searchQuery: [Pane: String] = [:]
    /// A one-line message in the status line until `flashUntil`.
    package var flash: String?
    package var flashUntil: Date?
    package var lastCtrlC: Date?
    /// Set by `update` when the app should exit.
    package var quitting = false
    /// Calls this app answered: a decision arriving for any other pending call was made
    /// elsewhere (another terminal, `kode approve`) and is announced as such.
    package var decidedHere: Set<String> = []
    /// Why the event stream ended while the app runs (the host went away), if it did.
    package var lostHost: String?
    /// The "always" rules granted to the agent (`/rules`), from its state and then the events.
    package var rules: [PermissionRule] = []
    /// When to ring the bell and send desktop notifications.
    package var notifications = NotificationSettings()
    /// Mouse reporting is on (`[app] mouse`): wheel and clicks reach `Update.mouse`.
    package var mouse = false
    /// The row of the slash-command popup that Tab completes and Enter runs.
    package var slashSelection = 0
    /// Line caches for the conversation (see `WrapCache`).
    package let wrapCache = WrapCache()
    /// Incremental markdown layout of replies still streaming (see `MarkdownStreamCache`).
    package let markdownStreams = MarkdownStreamCache()
    /// The approval modal's laid-out input (see `ApprovalLayoutCache`).
    package let approvalLayout = ApprovalLayoutCache()
    /// Calls whose file has been asked for, for the diff of their approval.
    package var baseRequested: Set<String> = []
    /// The activation guard: keys this soon after the modal appears are ignored.
    package static let activationGuard: TimeInterval = 0.25
    /// A second Ctrl+C within this quits.
    package static let quitWindow: TimeInterval = 1.5

    /// A model for an agent, at a terminal size.
    package init(info: SessionInfo, width: Int, height: Int, unicode: Bool = true, keymap: Keymap = Keymap()) {
        self.info = info
        self.width = width
        self.height = height
        self.unicode = unicode
        self.keymap = keymap
        tree.current = info.agentId
    }

    /// The approval modal is up whenever calls wait for a person.
    package var modalVisible: Bool { !approvals.isEmpty }

    /// True while a turn runs or waits.
    package var isBusy: Bool { info.state != .ready }

    /// Folds an agent event into every part that cares.
    package mutating func apply(_ envelope: EventEnvelope, now: Date) {
        let shownBefore = approvals.current?.callId
        if case .permissionDecided(let e) = envelope.event, approvals.pending.contains(where: { $0.callId == e.callId }),
           decidedHere.remove(e.callId) == nil {
            flash("\(e.decision == .allow ? "allowed" : "denied") by \(e.decidedBy)" + (e.note.map { ": " + $0 } ?? ""), now: now)
        }
        info.apply(envelope)
        switch envelope.event {
        // A finished reply is laid out whole from now on: its incremental state can go.
        case .textChunkEnd(let b):
            if let i = conversation.streamIndex["t" + b.messageId] { markdownStreams.remove(conversation.items[i].id) }
        case .done:
            markdownStreams.removeAll()
        default:
            break
        }
        conversation.apply(envelope)
        approvals.apply(envelope)
        monitor.apply(envelope)
        if case .checkpointCreated(let e) = envelope.event {
            tree.add(e.checkpoint, to: envelope.agentId)
        }
        if case .permissionRuleChanged(let e) = envelope.event {
            switch e.change {
            case .granted: if !rules.contains(where: { $0.id == e.rule.id }) { rules.append(e.rule) }
            case .revoked: rules.removeAll { $0.id == e.rule.id }
            }
        }
        // A new request in front of the person (first one, or the next after a decision) arms
        // the activation guard again, so a repeated key cannot answer it unseen.
        if let shown = approvals.current?.callId, shown != shownBefore { approvals.markShown(at: now) }
        if !scroll.follow {
            switch envelope.event {
            case .textChunk, .thinkChunk, .toolStart, .toolEnd, .done: scroll.newOutput = true
            default: break
            }
        }
    }

    /// Shows `text` in the status line for a few seconds.
    package mutating func flash(_ text: String, now: Date, seconds: TimeInterval = 3) {
        flash = Sanitizer.oneLine(text)
        flashUntil = now.addingTimeInterval(seconds)
    }
}

import Foundation
import KodeKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run loop: one task owns the model and the backend; input (its own thread), agent
/// events, timers and effect results arrive as messages; redraws are coalesced to at most 60
/// per second; agent calls run in their own tasks, so nothing blocks the UI path. It reaches
/// agents only through the client API, so an embedded agent and a hosted one look the same.
package final class AppLoop {
    private let backend: any TerminalBackend
    private let hub: any AgentHub
    private let hosted: Bool
    private var handle: any AgentHandle
    private var model: AppModel
    /// Called with the model after every message (tests watch the app through it).
    package var observe: ((AppModel) -> Void)?
    private var events: AgentEvents?
    /// Counts subscriptions, so the end of one cancelled by a switch is not taken for a lost host.
    private var generation = 0
    private var reason: TUIOutcome.Reason = .quit
    private var canvas: Canvas
    private let stream: AsyncStream<LoopMessage>
    private let sink: AsyncStream<LoopMessage>.Continuation
    private var subscription: Task<Void, Never>?
    private var ticker: Task<Void, Never>?
    private var reader: InputReader?
    private var pacer = FramePacer()
    /// When the pending wake-up for a frame fires (nil: none pending).
    private var wakeAt: Date?
    private var running = true
    /// Inside tmux: notifications and clipboard sequences are wrapped for its passthrough.
    package var tmux = !(ProcessInfo.processInfo.environment["TMUX"] ?? "").isEmpty
    /// The agents view reading titles; replaced when the view asks again.
    private var details: Task<Void, Never>?

    /// A loop showing `model` for `handle`, drawing on `backend`.
    package init(backend: any TerminalBackend, hub: any AgentHub, handle: any AgentHandle, model: AppModel, hosted: Bool) {
        self.backend = backend
        self.hub = hub
        self.handle = handle
        self.model = model
        self.hosted = hosted
        canvas = Canvas(width: model.width, height: model.height)
        (stream, sink) = AsyncStream.makeStream(of: LoopMessage.self, bufferingPolicy: .unbounded)
    }

    /// A handle to post messages from other threads (the input reader, tests).
    package var post: @Sendable (LoopMessage) -> Void {
        let sink = self.sink
        return { sink.yield($0) }
    }

    /// Runs until the person quits or detaches, the terminal hangs up, or SIGTERM. Returns why,
    /// with the handle shown last, not released: what becomes of the agent is the caller's call.
    package func run(reader: InputReader?, since: Bookmark) async -> TUIOutcome {
        self.reader = reader
        reader?.start()
        // The first frame comes from the state alone; the live stream follows from its bookmark.
        render(force: true)
        await subscribe(since: since)
        startTicker()
        loadTree()
        for await message in stream {
            switch message {
            case .action(let action):
                if case .event(let env) = action, env.agentId != model.info.agentId { continue }  // the agent switched away from
                let effects = Update.apply(action, to: &model)
                if case .input = action { pacer.changed(byInput: true) } else { pacer.changed(byInput: false) }
                for e in effects { await perform(e) }
            case .signal(let sig):
                await handleSignal(sig)
            case .render:
                if let w = wakeAt, w <= Date() { wakeAt = nil }
            case .switched(let next, let notice, let draft):
                await switchTo(next, notice: notice, draft: draft)
            case .streamEnded(let ended):
                if ended == generation { streamEnded() }
            }
            observe?(model)
            if model.quitting || !running { break }
            scheduleRender()
        }
        generation += 1
        events?.cancel()
        subscription?.cancel()
        ticker?.cancel()
        reader?.stop()
        return TUIOutcome(reason: reason, handle: handle)
    }

    // MARK: rendering

    private func scheduleRender() {
        let now = Date()
        guard let wait = pacer.delay(now: now) else { return }
        if wait <= 0 {
            render(force: false)
            return
        }
        // `.render` is only a wake-up: the pacer decides again when it arrives.
        let deadline = now.addingTimeInterval(wait)
        if let w = wakeAt, w <= deadline { return }
        wakeAt = deadline
        let post = self.post
        Task {
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            post(.render)
        }
    }

    private func render(force: Bool) {
        if force { backend.invalidate() }
        model.width = backend.width
        model.height = backend.height
        let cursor = Renderer.render(model, into: &canvas, now: Date())
        backend.flush(canvas, cursor: cursor)
        pacer.drew(at: Date())
    }

    // MARK: sources

    private func subscribe(since: Bookmark) async {
        generation += 1
        events?.cancel()
        subscription?.cancel()
        let post = self.post
        let events: AgentEvents
        do {
            events = try await handle.subscribe(since: since)
        } catch {
            post(.action(.hostLost("cannot follow its events: \(error)")))
            return
        }
        self.events = events
        let generation = self.generation
        subscription = Task {
            for await env in events {
                if Task.isCancelled { return }
                post(.action(.event(env)))
            }
            if !Task.isCancelled { post(.streamEnded(generation: generation)) }
        }
    }

    /// The stream ended without being cancelled: the host is gone for good (a remote handle
    /// reconnects by itself until it gives up) or the agent was closed under the app. The
    /// status call says why, when it can; the app stays up so the person can read it and quit.
    private func streamEnded() {
        let handle = self.handle
        let post = self.post
        let hosted = self.hosted
        Task {
            do {
                _ = try await handle.status()
                post(.action(.hostLost(hosted ? "its event stream ended" : "the agent was closed")))
            } catch {
                post(.action(.hostLost("\(error)")))
            }
        }
    }

    private func startTicker() {
        let post = self.post
        ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                post(.action(.tick))
            }
        }
    }

    private func loadTree() {
        let hub = self.hub
        let post = self.post
        Task {
            do {
                post(.action(.agentsLoaded(try await SessionLoader.agents(in: hub))))
            } catch {
                post(.action(.failed("cannot list the agents: \(error)")))
            }
        }
    }

    // MARK: signals

    private func handleSignal(_ sig: Int32) async {
        switch sig {
        case SIGWINCH:
            if backend.updateSize() { render(force: true) }
        case SIGTSTP:
            suspendToShell()
        case SIGCONT:
            backend.resume()
            render(force: true)
        case SIGHUP:
            // The terminal is gone (SSH dropped): the caller hands the agent to a host or
            // releases it; its log is durable either way.
            reason = .hangUp
            running = false
        case SIGTERM, SIGINT:
            reason = .signal(sig)
            running = false
        default:
            break
        }
    }

    private func suspendToShell() {
        reader?.pause()
        backend.suspend()
        SignalRelay.stopSelf()
        backend.resume()
        reader?.resume()
        render(force: true)
    }

    // MARK: effects

    private func perform(_ effect: Effect) async {
        let handle = self.handle
        let hub = self.hub
        let post = self.post
        func background(_ what: String, _ body: @escaping @Sendable () async throws -> AppAction?) {
            Task {
                do {
                    if let action = try await body() { post(.action(action)) }
                } catch {
                    post(.action(.failed("\(what): \(error)")))
                }
            }
        }
        switch effect {
        case .send(let text):
            background("send") { .sent(inputId: try await handle.send(text), text: text) }
        case .decide(let callId, let decision, let note, let scope):
            background("decision") {
                try await handle.decide(callId, decision, note: note, scope: scope, by: "user")
                return nil
            }
        case .interrupt:
            background("interrupt") {
                try await handle.interrupt()
                return nil
            }
        case .continueTurn:
            background("continue") {
                try await handle.continueTurn()
                return nil
            }
        case .checkpoint(let label, let at):
            background("checkpoint") {
                let cp = try await handle.checkpoint(label: label.isEmpty ? nil : label, at: at)
                return .done(label.isEmpty ? "label removed from \(cp.id)" : "labelled \(cp.id) \"\(label)\"")
            }
        case .fork(let parentId, let checkpoint, let previous, let mode):
            background("fork") {
                try await AgentSwitching.fork(parentId, at: checkpoint, previous: previous, workspace: mode, current: handle, hub: hub, post: post)
                return nil
            }
        case .newAgent(let prompt):
            background("new agent") {
                let opened = try await hub.create(handle.manifest.config)
                if let prompt { _ = try await opened.send(prompt) }
                post(.action(.forked(AgentNode(manifest: opened.manifest))))
                post(.switched(opened, notice: "new agent \(opened.id); \(handle.id) keeps running"))
                return nil
            }
        case .listAgents:
            background("list the agents") { .agentsListed(try await hub.list().map(AgentRow.init(listing:))) }
        case .agentDetails(let ids):
            details?.cancel()
            details = Task {
                for id in ids {
                    if Task.isCancelled { return }
                    guard let view = try? await hub.state(of: id, at: nil) else {
                        post(.action(.agentDetail(id, title: nil, activity: .failed)))
                        continue
                    }
                    post(.action(.agentDetail(id, title: AgentRow.title(from: view.state), activity: AgentActivity(view.state))))
                }
            }
        case .rename(let id, let title):
            background("rename") {
                if id == handle.id {
                    if let stored = try await handle.rename(to: title, by: "user") { return .renamed(id, title: stored) }
                    return .renamed(id, title: AgentTitle.of(try await handle.state()))
                }
                // Another agent: attach for the call only, without cutting a turn it may be in.
                let other = try await hub.open(id, options: OpenOptions())
                do {
                    var shown = try await other.rename(to: title, by: "user")
                    if shown == nil { shown = AgentTitle.of(try await other.state()) }
                    await other.release(.background)
                    return .renamed(id, title: shown)
                } catch {
                    await other.release(.background)
                    throw error
                }
            }
        case .switchModel(let provider):
            background("model") {
                var config = provider
                let stored = handle.manifest.config.provider
                // The same provider keeps its endpoint and script; another starts from its defaults.
                if config.name == stored.name {
                    config.baseURL = stored.baseURL
                    config.scriptPath = stored.scriptPath
                }
                let info = try await handle.switchModel(to: config, by: "user")
                return .done("model from the next turn on: \(info.name)/\(info.model)")
            }
        case .theme(let name):
            do {
                let theme = try ThemeLoader.load(name: name, environment: ProcessInfo.processInfo.environment)
                backend.use(theme)
                render(force: true)
                _ = Update.apply(.done("theme \(name)"), to: &model)
            } catch {
                _ = Update.apply(.failed("theme: \(error)"), to: &model)
            }
        case .export(let path):
            background("export") {
                let state = try await handle.state()
                let url = TranscriptExport.destination(path, agent: handle.id)
                try TranscriptExport.write(state, manifest: handle.manifest, to: url)
                return .done("wrote \(state.messages.count) messages to \(url.path)")
            }
        case .compact(let instructions):
            background("compact") {
                try await handle.compact(instructions: instructions)
                return .done("compacted: the model is sent a summary of the older conversation from now on")
            }
        case .revokeRule(let id):
            background("revoke") {
                try await handle.revokeRule(id)
                return .done("revoked \(id)")
            }
        case .copy(let text):
            if let bytes = TerminalEscapes.clipboard(text, tmux: tmux) {
                backend.emit(bytes)
            } else {
                _ = Update.apply(.failed("too long for the terminal's clipboard (\(text.utf8.count) bytes)"), to: &model)
            }
        case .notify(let title, let body):
            let settings = model.notifications
            if settings.bell { backend.emit(TerminalEscapes.bell) }
            backend.emit(TerminalEscapes.notification(title: title, body: body, style: settings.desktop, tmux: tmux))
        case .open(let id):
            background("open \(id)") {
                post(.switched(try await hub.open(id, options: OpenOptions()), notice: "opened \(id)"))
                return nil
            }
        case .loadFileChanges(let id, let after):
            background("file changes of \(id)") { .fileChangesLoaded(id, try await hub.workspaceChanges(of: id, after: after)) }
        case .planRewind(let cp):
            background("rewind") { .rewindPlanned(try await handle.rewindPlan(to: cp.id)) }
        case .rewind(let cp):
            background("rewind") {
                let outcome = try await handle.rewind(to: cp.id)
                // The conversation changed under the view: show it afresh.
                post(.switched(handle, notice: "rewound to \(cp.label ?? cp.id); r on \(outcome.before.id) undoes it"))
                return nil
            }
        case .loadCheckpoints(let id) where id == handle.id:
            // The open agent's newest checkpoints come with an empty window, not its whole state.
            background("checkpoints of \(id)") {
                .checkpointsLoaded(id, SessionLoader.checkpoints(try await handle.window(messages: 0).state, manifest: handle.manifest))
            }
            background("file changes of \(id)") { .fileChangesLoaded(id, try await hub.workspaceChanges(of: id)) }
        case .loadCheckpoints(let id):
            background("checkpoints of \(id)") { .checkpointsLoaded(id, try await SessionLoader.checkpoints(of: id, in: hub)) }
            background("file changes of \(id)") { .fileChangesLoaded(id, try await hub.workspaceChanges(of: id)) }
        case .preview(let id, let cp):
            background("preview") {
                let files: [String]
                do {
                    files = CheckpointActions.lines(of: try await hub.workspaceDiff(of: id, at: cp.id))
                } catch {
                    files = ["(\(error))"]
                }
                return .previewReady(title: "\(id) at \(cp.label ?? cp.id)", conversation: try await SessionLoader.preview(of: id, at: cp, in: hub), files: files)
            }
        case .loadOlder(let range):
            background("earlier messages") { .olderLoaded(try await handle.transcript(range)) }
        case .refreshInputs:
            background("input from elsewhere") {
                let status = try await handle.status()
                let newest = try await handle.transcript(max(0, status.messageCount - 8)..<status.messageCount)
                return .inputsSeen(queued: status.queuedInputs, newest: newest.messages)
            }
        case .readBaseFile(let callId, let path):
            background("reading \(path)") { .baseFileRead(callId: callId, base: BaseFile.read(path)) }
        case .editor(let text):
            reader?.pause()
            backend.suspend()
            let result: AppAction
            do {
                result = .editorClosed(try await EditorLauncher.edit(text))
            } catch {
                result = .failed("editor: \(error)")
            }
            backend.resume()
            reader?.resume()
            _ = Update.apply(result, to: &model)
            render(force: true)
        case .suspend:
            suspendToShell()
        case .redraw:
            render(force: true)
        case .quit:
            reason = .quit
            running = false
        case .detach:
            reason = .detach
            running = false
        }
    }

    private func switchTo(_ next: any AgentHandle, notice: String, draft: String?) async {
        // Stop following the agent shown so far, then let go of it without cutting its turn:
        // it finishes in the background (in this process, or in the host that runs it).
        generation += 1
        events?.cancel()
        subscription?.cancel()
        let previous = handle
        handle = next
        // The same agent again (after a rewind): only the view is rebuilt.
        if previous.id != next.id { await previous.release(.background) }
        let keepTree = model.tree
        let keepHistory = model.composer
        let keepForkMode = model.forkMode
        do {
            let (fresh, since) = try await SessionLoader.model(
                for: next, width: backend.width, height: backend.height, unicode: model.unicode, keymap: model.keymap, hosted: hosted)
            let keepNotifications = model.notifications
            let keepMouse = model.mouse
            model = fresh
            model.notifications = keepNotifications
            model.mouse = keepMouse
            model.composer = keepHistory
            model.forkMode = keepForkMode
            if let draft {
                model.composer.setText(draft)
                model.focus = .composer
            }
            model.tree = keepTree
            model.tree.current = next.id
            model.tree.expand(next.id)
            model.tree.select(agent: next.id)
            model.flash(notice, now: Date())
            render(force: true)
            await subscribe(since: since)
            loadTree()
            await perform(.loadCheckpoints(next.id))
        } catch {
            _ = Update.apply(.failed("cannot show \(next.id): \(error)"), to: &model)
        }
        render(force: true)
    }
}

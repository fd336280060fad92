import Foundation
import KodeKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run loop: one task owns the model and the backend; input (its own thread), agent
/// events, timers and effect results arrive as messages; redraws are coalesced to at most 60
/// per second; agent calls run in their own tasks, so nothing blocks the UI path.
final class AppLoop {
    private let backend: any TerminalBackend
    private let store: any AgentStore
    private let openAgent: @Sendable (AgentID) async throws -> Agent
    private var agent: Agent
    private var model: AppModel
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

    init(backend: any TerminalBackend, store: any AgentStore, agent: Agent, model: AppModel, openAgent: @escaping @Sendable (AgentID) async throws -> Agent) {
        self.backend = backend
        self.store = store
        self.agent = agent
        self.model = model
        self.openAgent = openAgent
        canvas = Canvas(width: model.width, height: model.height)
        (stream, sink) = AsyncStream.makeStream(of: LoopMessage.self, bufferingPolicy: .unbounded)
    }

    /// A handle to post messages from other threads (the input reader, tests).
    var post: @Sendable (LoopMessage) -> Void {
        let sink = self.sink
        return { sink.yield($0) }
    }

    /// Runs until the person quits, the terminal hangs up, or SIGTERM. Returns the exit status.
    func run(reader: InputReader?, since: Bookmark?) async -> Int32 {
        self.reader = reader
        reader?.start()
        subscribe(since: since)
        startTicker()
        loadTree()
        render(force: true)
        var status: Int32 = 0
        for await message in stream {
            switch message {
            case .action(let action):
                let effects = Update.apply(action, to: &model)
                if case .input = action { pacer.changed(byInput: true) } else { pacer.changed(byInput: false) }
                for e in effects { await perform(e) }
            case .signal(let sig):
                status = await handleSignal(sig) ?? status
            case .render:
                if let w = wakeAt, w <= Date() { wakeAt = nil }
            case .switched(let next, let notice):
                await switchTo(next, notice: notice)
            }
            if model.quitting || !running { break }
            scheduleRender()
        }
        subscription?.cancel()
        ticker?.cancel()
        reader?.stop()
        // Idle: close normally. Mid-turn or waiting for approvals (a quit, a hang-up): detach, so
        // pending approvals stay pending and a running tool is sealed on the next open, exactly
        // as after a crash but with everything recorded synced.
        if await agent.status().runtimeState == .ready {
            await agent.close()
        } else {
            await agent.detach()
        }
        return status
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

    private func subscribe(since: Bookmark?) {
        subscription?.cancel()
        let events = agent.subscribe(since: since)
        let post = self.post
        subscription = Task {
            for await env in events {
                if Task.isCancelled { break }
                post(.action(.event(env)))
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
        let store = self.store
        let post = self.post
        Task {
            do {
                post(.action(.agentsLoaded(try await SessionLoader.agents(in: store))))
            } catch {
                post(.action(.failed("cannot list the store: \(error)")))
            }
        }
    }

    // MARK: signals

    private func handleSignal(_ sig: Int32) async -> Int32? {
        switch sig {
        case SIGWINCH:
            if backend.updateSize() { render(force: true) }
        case SIGTSTP:
            suspendToShell()
        case SIGCONT:
            backend.resume()
            render(force: true)
        case SIGHUP:
            // The terminal is gone (SSH dropped): close the agent cleanly; its log is durable.
            running = false
            return 129
        case SIGTERM, SIGINT:
            running = false
            return 128 + sig
        default:
            break
        }
        return nil
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
        let agent = self.agent
        let store = self.store
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
            background("send") { .sent(inputId: try await agent.send(text), text: text) }
        case .decide(let callId, let decision, let note, let scope):
            background("decision") {
                try await agent.decide(callId, decision, note: note, scope: scope, by: "user")
                return nil
            }
        case .interrupt:
            background("interrupt") {
                await agent.interrupt()
                return nil
            }
        case .continueTurn:
            background("continue") {
                try await agent.continueTurn()
                return nil
            }
        case .checkpoint(let label):
            background("checkpoint") {
                _ = try await agent.checkpoint(label: label.isEmpty ? nil : label)
                return nil
            }
        case .fork(let parentId, let checkpoint):
            let openAgent = self.openAgent
            background("fork") {
                let at = checkpoint?.id ?? "latest"
                let child = parentId == agent.id ? try await agent.fork(at: at) : try await Agent.fork(parentId, at: at, store: store)
                let manifest = try await store.manifest(of: child)
                post(.action(.forked(AgentNode(manifest: manifest))))
                await agent.close()
                let opened = try await openAgent(child)
                post(.switched(opened, notice: "forked from \(parentId) at \(checkpoint.map { $0.label ?? $0.id } ?? "its latest safe point")"))
                return nil
            }
        case .open(let id):
            let openAgent = self.openAgent
            background("open \(id)") {
                await agent.close()
                let opened = try await openAgent(id)
                post(.switched(opened, notice: "opened \(id)"))
                return nil
            }
        case .loadCheckpoints(let id):
            background("checkpoints of \(id)") { .checkpointsLoaded(id, try await SessionLoader.checkpoints(of: id, in: store)) }
        case .preview(let id, let cp):
            background("preview") {
                .previewReady(title: "\(id) at \(cp.label ?? cp.id)", conversation: try await SessionLoader.preview(of: id, at: cp, in: store))
            }
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
            running = false
        }
    }

    private func switchTo(_ next: Agent, notice: String) async {
        subscription?.cancel()
        agent = next
        let keepTree = model.tree
        let keepHistory = model.composer
        do {
            let (fresh, since) = try await SessionLoader.model(for: next, store: store, width: backend.width, height: backend.height, unicode: model.unicode, keymap: model.keymap)
            model = fresh
            model.composer = keepHistory
            model.tree = keepTree
            model.tree.current = next.id
            model.tree.expand(next.id)
            model.tree.select(agent: next.id)
            model.flash(notice, now: Date())
            subscribe(since: since)
            loadTree()
            await perform(.loadCheckpoints(next.id))
        } catch {
            _ = Update.apply(.failed("cannot show \(next.id): \(error)"), to: &model)
        }
        render(force: true)
    }
}

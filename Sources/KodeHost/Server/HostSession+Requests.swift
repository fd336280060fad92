import Foundation
import KodeKernel

extension HostSession {
    /// Answers one request. Every failure becomes an error reply naming what was wrong; nothing
    /// a client sends can take the host down.
    func answer(_ head: MessageHead, _ bytes: [UInt8]) async {
        guard let id = head.id, let op = head.op.flatMap(HostOp.init(rawValue:)) else { return }
        do {
            try await perform(op, id: id, bytes)
        } catch let error as WireError {
            reply(error: error, to: id)
        } catch let error as DecodingError {
            var detail = WireJSON.describe(error)
            // The head was read, so the text is JSON: Foundation says "not valid JSON" for a number
            // that does not fit its field (a negative seq, a fraction), without naming the field.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                detail = "a field holds a number out of range for it (counts and ids are whole numbers ≥ 0)"
            }
            reply(error: WireError(code: "bad_arguments", message: "\(op.rawValue): \(detail)"), to: id)
        } catch {
            reply(error: Self.wireError(error), to: id)
        }
    }

    /// Errors of the kernel and the store with a stable code.
    static func wireError(_ error: any Error) -> WireError {
        switch error {
        case let e as StoreError:
            let code: String
            switch e {
            case .notFound: code = "not_found"
            case .alreadyExists: code = "exists"
            case .locked: code = "locked"
            case .hasChildren: code = "has_children"
            case .readOnly: code = "read_only"
            case .corrupted: code = "corrupted"
            default: code = "store"
            }
            return WireError(code: code, message: e.description)
        case let e as AgentError:
            return WireError(code: "agent", message: "\(e)")
        case let e as ScheduleError:
            if case .notFound = e { return WireError(code: "not_found", message: e.description) }
            return WireError(code: "bad_arguments", message: e.description)
        case let e as ClientError:
            switch e {
            case .inUse: return WireError(code: "in_use", message: e.description)
            case .provider(let m): return WireError(code: "provider", message: m)
            case .busy(let m): return WireError(code: "busy", message: m)
            default: return WireError(code: "client", message: e.description)
            }
        default:
            return WireError(code: "internal", message: "\(error)")
        }
    }

    private func args<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try WireJSON.decode(T.self, from: bytes)
    }

    private func handle(_ number: UInt32) throws -> any AgentHandle {
        guard let handle = state.withLock({ $0.handles[number] }) else {
            throw WireError(code: "bad_handle", message: "no open handle \(number) on this connection (open the agent first)")
        }
        return handle
    }

    private func register(_ handle: any AgentHandle) -> UInt32? {
        state.withLock { s -> UInt32? in
            guard !s.ended else { return nil }
            let number = s.nextHandle
            s.nextHandle += 1
            s.handles[number] = handle
            return number
        }
    }

    private func opened(_ handle: any AgentHandle, id: UInt32) async {
        guard let number = register(handle) else {
            // The client went away while the agent was opening.
            await handle.release(.leave)
            return
        }
        reply(OpenResult(handle: number, manifest: handle.manifest), to: id)
    }

    private func perform(_ op: HostOp, id: UInt32, _ bytes: [UInt8]) async throws {
        let hub = server.hub
        switch op {
        case .list:
            reply(ListResult(agents: try await hub.list()), to: id)
        case .manifest:
            reply(ManifestResult(manifest: try await hub.manifest(of: try args(AgentArgs.self, bytes).agent)), to: id)
        case .create:
            let a = try args(CreateArgs.self, bytes)
            await opened(try await hub.create(a.config), id: id)
        case .open:
            let a = try args(OpenArgs.self, bytes)
            await opened(try await hub.open(a.agent, options: a.options ?? OpenOptions()), id: id)
        case .remove:
            try await hub.remove(try args(AgentArgs.self, bytes).agent)
            reply(Empty(), to: id)
        case .fork:
            let a = try args(ForkArgs.self, bytes)
            reply(ChildResult(child: try await hub.fork(a.agent, at: a.at)), to: id)
        case .state:
            let a = try args(StateArgs.self, bytes)
            let view = try await hub.state(of: a.agent, at: a.seq)
            reply(StateResult(manifest: view.manifest, state: Data(StateWire.encode(view.state)).base64EncodedString()), to: id)
        case .send:
            let a = try args(SendArgs.self, bytes)
            reply(SendResult(inputId: try await handle(a.handle).send(a.text)), to: id)
        case .decide:
            let a = try args(DecideArgs.self, bytes)
            try await handle(a.handle).decide(a.callId, a.decision, note: a.note, scope: a.scope ?? .once, by: a.by ?? "user")
            reply(Empty(), to: id)
        case .interrupt:
            try await handle(args(HandleArgs.self, bytes).handle).interrupt()
            reply(Empty(), to: id)
        case .continue:
            try await handle(args(HandleArgs.self, bytes).handle).continueTurn()
            reply(Empty(), to: id)
        case .checkpoint:
            let a = try args(CheckpointArgs.self, bytes)
            reply(CheckpointResult(checkpoint: try await handle(a.handle).checkpoint(label: a.label, at: a.at)), to: id)
        case .forkAt:
            let a = try args(ForkAtArgs.self, bytes)
            reply(ChildResult(child: try await handle(a.handle).fork(at: a.at)), to: id)
        case .status:
            reply(StatusResult(status: try await handle(args(HandleArgs.self, bytes).handle).status()), to: id)
        case .agentState:
            let state = try await handle(args(HandleArgs.self, bytes).handle).state()
            reply(StateResult(manifest: nil, state: Data(StateWire.encode(state)).base64EncodedString()), to: id)
        case .window:
            let a = try args(WindowArgs.self, bytes)
            reply(try await handle(a.handle).window(messages: a.messages), to: id)
        case .transcript:
            let a = try args(TranscriptArgs.self, bytes)
            guard a.from <= a.to else { throw WireError(code: "bad_arguments", message: "transcript: 'from' (\(a.from)) is after 'to' (\(a.to))") }
            reply(try await handle(a.handle).transcript(a.from..<a.to), to: id)
        case .revoke:
            let a = try args(RevokeArgs.self, bytes)
            try await handle(a.handle).revokeRule(a.rule)
            reply(Empty(), to: id)
        case .compact:
            let a = try args(CompactArgs.self, bytes)
            try await handle(a.handle).compact(instructions: a.instructions)
            reply(Empty(), to: id)
        case .setModel:
            let a = try args(SetModelArgs.self, bytes)
            reply(ProviderResult(provider: try await handle(a.handle).switchModel(to: a.provider, by: a.by ?? "user")), to: id)
        case .rename:
            let a = try args(RenameArgs.self, bytes)
            reply(TitleResult(title: try await handle(a.handle).rename(to: a.title, by: a.by ?? "user")), to: id)
        case .waitIdle:
            try await handle(args(HandleArgs.self, bytes).handle).waitUntilIdle()
            reply(Empty(), to: id)
        case .schedule:
            let a = try args(ScheduleArgs.self, bytes)
            reply(TriggerResult(trigger: try await handle(a.handle).addTrigger(a.spec, by: a.by ?? "user")), to: id)
        case .unschedule:
            let a = try args(UnscheduleArgs.self, bytes)
            reply(TriggerResult(trigger: try await handle(a.handle).removeTrigger(a.trigger, by: a.by ?? "user")), to: id)
        case .release:
            let a = try args(ReleaseArgs.self, bytes)
            let released = state.withLock { s -> (any AgentHandle)? in
                defer { s.handles[a.handle] = nil }
                return s.handles[a.handle]
            }
            guard let released else { throw WireError(code: "bad_handle", message: "no open handle \(a.handle) on this connection") }
            // A hosted agent keeps running whatever the client asked: that is the point of a host.
            await released.release(.leave)
            cancelSubscriptions(of: a.handle)
            reply(Empty(), to: id)
        case .subscribe:
            let a = try args(SubscribeArgs.self, bytes)
            let h = try handle(a.handle)
            // "Live only" becomes "after the newest seq now": the same events, and a client that
            // reconnects later knows where it started.
            var since = a.since ?? 0
            if a.since == nil { since = try await h.status().lastSeq }
            let events = try await h.subscribe(
                channels: a.channels.map(Set.init) ?? Set(EventChannel.allCases),
                since: Bookmark(seq: since, timestamp: Date(timeIntervalSince1970: 0)),
                kinds: a.kinds.map(Set.init))
            let sub = state.withLock { s -> UInt32 in
                defer { s.nextSub += 1 }
                return s.nextSub
            }
            // Reply first, so the client knows the id before the first event frame arrives.
            reply(SubscribeResult(sub: sub, since: since), to: id)
            let pump = Task { [self] in await self.pump(events, sub: sub) }
            let kept = state.withLock { s -> Bool in
                guard !s.ended else { return false }
                s.subscriptions[sub] = Subscription(handle: a.handle, events: events, pump: pump)
                return true
            }
            if !kept {
                events.cancel()
                pump.cancel()
            }
        case .unsubscribe:
            let a = try args(UnsubscribeArgs.self, bytes)
            let removed = state.withLock { $0.subscriptions.removeValue(forKey: a.sub) }
            removed?.events.cancel()
            reply(Empty(), to: id)
        case .hostStatus:
            reply(await server.status(), to: id)
        case .stop:
            let a = try args(StopArgs.self, bytes)
            reply(Empty(), to: id)
            server.onStopRequest(a.graceMs.map { .milliseconds($0) })
        }
    }

    private func cancelSubscriptions(of handle: UInt32) {
        let subs = state.withLock { s -> [Subscription] in
            let mine = s.subscriptions.filter { $0.value.handle == handle }
            for key in mine.keys { s.subscriptions[key] = nil }
            return Array(mine.values)
        }
        for sub in subs { sub.events.cancel() }
    }

    /// Moves one subscription's events onto the socket. Waiting for room in the outbox stops it
    /// from taking events off the bus, which lets the bus drop this subscriber's buffer and
    /// catch it up from the store later: the agent never waits for a client.
    ///
    /// Whatever the bus handed over at once goes out as one frame (one encoding call, one
    /// outbox hand-over, one decode on the client): a client that falls behind a fast stream
    /// catches up in few large frames instead of paying the per-frame cost for every event.
    private func pump(_ events: AgentEvents, sub: UInt32) async {
        var iterator = events.makeAsyncIterator()
        var records: [UInt8] = []
        while let batch = await iterator.nextBatch(limit: Self.eventsPerFrame) {
            records.removeAll(keepingCapacity: true)
            do {
                try EnvelopeWire.append(batch, to: &records)
            } catch {
                // One bad event must not cost the others: encode them one by one, skip it.
                records.removeAll(keepingCapacity: true)
                for envelope in batch {
                    do {
                        try EnvelopeWire.append(CollectionOfOne(envelope), to: &records)
                    } catch {
                        server.logger.error("cannot encode an event", metadata: ["seq": "\(envelope.seq)", "error": "\(error)"])
                    }
                }
                if records.isEmpty { continue }
            }
            var frame: [UInt8] = []
            frame.reserveCapacity(Frame.headerSize + 4 + records.count)
            Frame.appendHeader(kind: .events, payloadCount: 4 + records.count, to: &frame)
            frame.append(UInt8(sub >> 24))
            frame.append(UInt8(sub >> 16 & 0xFF))
            frame.append(UInt8(sub >> 8 & 0xFF))
            frame.append(UInt8(sub & 0xFF))
            frame.append(contentsOf: records)
            guard await connection.sendWhenRoom(frame) else { return }
        }
        let ended = state.withLock { s -> Bool in
            guard !s.ended else { return false }
            return s.subscriptions.removeValue(forKey: sub) != nil
        }
        // Ended by the agent (it closed), not by the client: say so.
        if ended || !Task.isCancelled {
            connection.send(Frame(kind: .message, payload: WireJSON.encode(EndOfSubscription(sub: sub, reason: "the agent closed"))))
        }
    }
}

import Foundation
import KodeKernel
import Logging
import Synchronization

/// One client of the host: its handshake, its open handles and subscriptions, and the order of
/// its requests. Requests are answered one after another in arrival order (so input typed in one
/// terminal joins the queue in the order it was sent), except `wait_idle` and `compact`, which may
/// take long.
final class HostSession: Sendable {
    let id: UInt64
    let connection: SocketConnection
    let server: HostServer

    struct State {
        var greeted = false
        var handles: [UInt32: any AgentHandle] = [:]
        var subscriptions: [UInt32: Subscription] = [:]
        var nextHandle: UInt32 = 1
        var nextSub: UInt32 = 1
        var ended = false
    }

    struct Subscription: Sendable {
        var handle: UInt32
        var events: AgentEvents
        var pump: Task<Void, Never>
    }

    let state = Mutex(State())
    /// Most events in one pushed frame: enough to spread the per-frame cost thin, few enough
    /// that a catch-up from the store (large tool outputs among it) stays a modest frame.
    static let eventsPerFrame = 128
    private let requests: AsyncStream<(MessageHead, [UInt8])>
    private let requestSink: AsyncStream<(MessageHead, [UInt8])>.Continuation

    init(id: UInt64, fd: Int32, server: HostServer) {
        self.id = id
        self.server = server
        (requests, requestSink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        // A client that stops reading for this long is cut off (its writer would block forever);
        // when it reads again it sees the disconnect and reconnects from its bookmark.
        UnixSocket.setSendTimeout(fd, seconds: 30)
        connection = SocketConnection(fd: fd, maxInboundFrame: ProtocolVersion.maxRequestFrame)
    }

    func start() {
        let sink = requestSink
        // The session lives until its connection closes: the server holds it until then.
        connection.start(
            onFrame: { [self] frame in received(frame, sink: sink) },
            onClose: { [self] reason in closed(reason) })
        let requests = self.requests
        Task { [self] in
            for await (head, bytes) in requests {
                // Both may take as long as a model call; later requests (an interrupt) go on.
                if head.op == HostOp.waitIdle.rawValue || head.op == HostOp.compact.rawValue {
                    Task { await self.answer(head, bytes) }
                } else {
                    await answer(head, bytes)
                }
            }
        }
    }

    // MARK: input

    /// On the reader thread: the handshake, or a request queued for `start`'s loop.
    private func received(_ frame: Frame, sink: AsyncStream<(MessageHead, [UInt8])>.Continuation) {
        guard frame.kind == .message else {
            fail("bad_frame", "a client sends JSON messages (kind 1) only, not kind \(frame.kind.rawValue)")
            return
        }
        let head: MessageHead
        do {
            head = try WireJSON.decode(MessageHead.self, from: frame.payload)
        } catch {
            fail("bad_message", "not a message: \(WireJSON.describe(error))")
            return
        }
        let greeted = state.withLock { $0.greeted }
        if !greeted {
            greet(head, frame.payload)
            return
        }
        guard head.type == "request" else {
            fail("bad_message", "expected a request, got a message of type '\(head.type)'")
            return
        }
        guard let id = head.id else {
            fail("bad_message", "a request needs a numeric 'id'")
            return
        }
        guard let op = head.op, HostOp(rawValue: op) != nil else {
            reply(error: WireError(code: "unknown_request", message: "unknown request '\(head.op ?? "")' (known: \(HostOp.allCases.map(\.rawValue).joined(separator: ", ")))"), to: id)
            return
        }
        sink.yield((head, frame.payload))
    }

    private func greet(_ head: MessageHead, _ bytes: [UInt8]) {
        guard head.type == "hello" else {
            fail("handshake", "the first message must be 'hello', not '\(head.type)'")
            return
        }
        let hello: Hello
        do {
            hello = try WireJSON.decode(Hello.self, from: bytes)
        } catch {
            fail("handshake", "bad hello: \(WireJSON.describe(error))")
            return
        }
        guard hello.version == ProtocolVersion.current else {
            fail("version", "this host speaks protocol version \(ProtocolVersion.current); the client speaks \(hello.version)")
            return
        }
        state.withLock { $0.greeted = true }
        let welcome = Welcome(version: ProtocolVersion.current, pid: getpid(), store: server.storeDescription)
        connection.send(Frame(kind: .message, payload: WireJSON.encode(welcome)))
    }

    /// A connection-level error: say what was wrong, then end the connection.
    private func fail(_ code: String, _ message: String) {
        server.logger.notice("client error", metadata: ["client": "\(id)", "code": "\(code)", "message": "\(message)"])
        connection.send(Frame(kind: .message, payload: WireJSON.encode(ConnectionError(code: code, message: message))))
        connection.close(reason: message)
    }

    // MARK: output

    func reply(_ result: some Encodable, to id: UInt32) {
        connection.send(Frame(kind: .message, payload: WireJSON.encode(Reply(id: id, result: result))))
    }

    func reply(error: WireError, to id: UInt32) {
        connection.send(Frame(kind: .message, payload: WireJSON.encode(ErrorReply(id: id, error: error))))
    }

    // MARK: ending

    /// The connection ended (the client went away or misbehaved): drop its subscriptions and let
    /// go of its agents; they keep running in the host.
    private func closed(_ reason: String) {
        requestSink.finish()
        let (subs, handles) = state.withLock { s -> ([Subscription], [any AgentHandle]) in
            s.ended = true
            defer {
                s.subscriptions.removeAll()
                s.handles.removeAll()
            }
            return (Array(s.subscriptions.values), Array(s.handles.values))
        }
        for sub in subs {
            sub.events.cancel()
            sub.pump.cancel()
        }
        server.sessionEnded(id)
        Task {
            for handle in handles { await handle.release(.leave) }
        }
    }

    /// The host is stopping: say so, then close.
    func end(bye reason: String) async {
        connection.send(Frame(kind: .message, payload: WireJSON.encode(Bye(reason: reason))))
        connection.close(reason: reason)
    }
}

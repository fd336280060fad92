import Foundation
import KodeKernel
import Synchronization

/// One connection to a host: requests with replies matched by id, and pushed events routed to
/// their subscription, both on the connection's reader thread in the order the host sent them.
package final class HostClient: Sendable {
    /// Why a subscription stopped receiving.
    package enum SubscriptionEnd: Sendable, Hashable {
        /// The host ended it (the agent closed there).
        case ended(String)
        /// The connection went away; resubscribing from the last seq loses nothing.
        case disconnected(String)
    }

    struct Route: Sendable {
        var agentId: AgentID
        var deliver: @Sendable ([EventEnvelope]) -> Void
        var ended: @Sendable (SubscriptionEnd) -> Void
    }

    private struct Pending: Sendable {
        var continuation: CheckedContinuation<[UInt8], any Error>
        /// Runs on the reader thread with the reply, before the caller resumes (a subscription
        /// must be routable before its first event frame is read).
        var onReply: (@Sendable ([UInt8]) -> Void)?
    }

    private struct State {
        var nextId: UInt32 = 1
        var pending: [UInt32: Pending] = [:]
        var routes: [UInt32: Route] = [:]
        var closedReason: String?
        var welcome: CheckedContinuation<Welcome, any Error>?
    }

    package let socketPath: String
    private let connection: SocketConnection
    private let state = Mutex(State())

    private init(socketPath: String, fd: Int32) {
        self.socketPath = socketPath
        connection = SocketConnection(fd: fd, maxInboundFrame: ProtocolVersion.maxReplyFrame)
    }

    /// Connects and shakes hands. Fails with the host's own message when it refuses.
    package static func connect(to socketPath: String, client: String = "kode") async throws -> HostClient {
        let fd = try UnixSocket.connect(to: socketPath)
        let host = HostClient(socketPath: socketPath, fd: fd)
        host.connection.start(onFrame: { [host] in host.received($0) }, onClose: { [host] in host.closed($0) })
        _ = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Welcome, any Error>) in
            let reason = host.state.withLock { s -> String? in
                if let reason = s.closedReason { return reason }
                s.welcome = c
                return nil
            }
            if let reason {
                c.resume(throwing: ClientError.disconnected(reason))
                return
            }
            host.connection.send(Frame(kind: .message, payload: WireJSON.encode(Hello(version: ProtocolVersion.current, client: client))))
        }
        return host
    }

    /// False once the connection ended.
    package var isOpen: Bool { state.withLock { $0.closedReason == nil } }

    /// Ends the connection; the host releases what this client had open.
    package func close() {
        connection.close(reason: "closed by the client")
    }

    // MARK: requests

    /// Sends a request and waits for its reply's result.
    package func call<Result: Decodable>(_ op: HostOp, _ args: some Encodable, as: Result.Type, onReply: (@Sendable ([UInt8]) -> Void)? = nil) async throws -> Result {
        let bytes = try await withCheckedThrowingContinuation { (c: CheckedContinuation<[UInt8], any Error>) in
            let outcome = state.withLock { s -> Result2 in
                if let reason = s.closedReason { return .closed(reason) }
                let id = s.nextId
                s.nextId &+= 1
                s.pending[id] = Pending(continuation: c, onReply: onReply)
                return .sent(id)
            }
            switch outcome {
            case .closed(let reason): c.resume(throwing: ClientError.disconnected(reason))
            case .sent(let id):
                connection.send(Frame(kind: .message, payload: WireJSON.encode(Request(id: id, op: op, args: args))))
            }
        }
        let reply = try WireJSON.decode(ReplyEnvelope<Result>.self, from: bytes)
        if let error = reply.error { throw ClientError.host(code: error.code, message: error.message) }
        guard let result = reply.result else { throw ClientError.host(code: "bad_reply", message: "a reply with neither result nor error") }
        return result
    }

    private enum Result2 {
        case sent(UInt32)
        case closed(String)
    }

    /// Subscribes through `handle`; `deliver` gets the events in order on the reader thread.
    package func subscribe(
        _ args: SubscribeArgs, agentId: AgentID,
        deliver: @escaping @Sendable ([EventEnvelope]) -> Void,
        ended: @escaping @Sendable (SubscriptionEnd) -> Void
    ) async throws -> SubscribeResult {
        let route = Route(agentId: agentId, deliver: deliver, ended: ended)
        let result = try await call(.subscribe, args, as: SubscribeResult.self) { [self] bytes in
            guard let reply = try? WireJSON.decode(ReplyEnvelope<SubscribeResult>.self, from: bytes), let sub = reply.result?.sub else { return }
            state.withLock { $0.routes[sub] = route }
        }
        return result
    }

    /// Stops a subscription; no more of its events are delivered.
    package func unsubscribe(_ sub: UInt32) {
        let route = state.withLock { $0.routes.removeValue(forKey: sub) }
        guard route != nil, isOpen else { return }
        Task { _ = try? await call(.unsubscribe, UnsubscribeArgs(sub: sub), as: Empty.self) }
    }

    // MARK: input (reader thread)

    private func received(_ frame: Frame) {
        switch frame.kind {
        case .events: receivedEvents(frame.payload)
        case .message: receivedMessage(frame.payload)
        }
    }

    private func receivedEvents(_ payload: [UInt8]) {
        guard payload.count >= 4 else {
            connection.close(reason: "the host sent an event frame without a subscription id")
            return
        }
        let sub = UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
        // Events of a subscription this client just cancelled may still be in flight.
        guard let route = state.withLock({ $0.routes[sub] }) else { return }
        do {
            let envelopes = try payload.withUnsafeBytes { raw in
                try EnvelopeWire.decode(UnsafeRawBufferPointer(rebasing: raw[4...]), agentId: route.agentId)
            }
            route.deliver(envelopes)
        } catch {
            connection.close(reason: "the host sent damaged events: \(error)")
        }
    }

    private func receivedMessage(_ payload: [UInt8]) {
        guard let head = try? WireJSON.decode(MessageHead.self, from: payload) else {
            connection.close(reason: "the host sent a message that is not JSON")
            return
        }
        switch head.type {
        case "welcome":
            let waiter = state.withLock { s -> CheckedContinuation<Welcome, any Error>? in
                defer { s.welcome = nil }
                return s.welcome
            }
            do {
                let welcome = try WireJSON.decode(Welcome.self, from: payload)
                guard welcome.version == ProtocolVersion.current else {
                    waiter?.resume(throwing: ClientError.host(code: "version", message: "the host speaks protocol version \(welcome.version); this client speaks \(ProtocolVersion.current)"))
                    connection.close(reason: "protocol version mismatch")
                    return
                }
                waiter?.resume(returning: welcome)
            } catch {
                waiter?.resume(throwing: ClientError.host(code: "handshake", message: "bad welcome: \(WireJSON.describe(error))"))
            }
        case "reply":
            guard let id = head.id, let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
            pending.onReply?(payload)
            pending.continuation.resume(returning: payload)
        case "end":
            guard let sub = head.sub, let route = state.withLock({ $0.routes.removeValue(forKey: sub) }) else { return }
            let reason = (try? WireJSON.decode(EndOfSubscription.self, from: payload))?.reason ?? "ended by the host"
            route.ended(.ended(reason))
        case "error":
            let error = try? WireJSON.decode(ConnectionError.self, from: payload)
            let message = error?.message ?? "the host reported an error"
            // The host closes after a connection-level error; a handshake waiting gets the reason.
            let waiter = state.withLock { s -> CheckedContinuation<Welcome, any Error>? in
                defer { s.welcome = nil }
                return s.welcome
            }
            waiter?.resume(throwing: ClientError.host(code: error?.code ?? "error", message: message))
            connection.close(reason: message)
        case "bye":
            let bye = try? WireJSON.decode(Bye.self, from: payload)
            connection.close(reason: "the host is stopping" + (bye.map { ": \($0.reason)" } ?? ""))
        default:
            break
        }
    }

    private func closed(_ reason: String) {
        let (pending, routes, welcome) = state.withLock { s -> ([Pending], [Route], CheckedContinuation<Welcome, any Error>?) in
            s.closedReason = reason
            defer {
                s.pending.removeAll()
                s.routes.removeAll()
                s.welcome = nil
            }
            return (Array(s.pending.values), Array(s.routes.values), s.welcome)
        }
        welcome?.resume(throwing: ClientError.disconnected(reason))
        for p in pending { p.continuation.resume(throwing: ClientError.disconnected(reason)) }
        for r in routes { r.ended(.disconnected(reason)) }
    }
}

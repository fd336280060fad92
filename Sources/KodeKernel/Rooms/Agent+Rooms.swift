import Foundation

/// What an agent does for the rooms it is in: take delivered messages into its log, say how far
/// it has received, and say when it has nothing left to do.
extension Agent {
    /// Queues room messages as user input, durable before this returns, and starts a turn —
    /// only when no turn is running (then returns false and records nothing: the room delivers
    /// again when the turn ends). Each becomes a queued input whose id is
    /// ``RoomMessage/messageId(room:seq:)``: that id in the log is what says it arrived.
    func receiveRoomMessagesIfIdle(_ messages: [RoomMessage], room: String, member: String) async throws -> Bool {
        guard !messages.isEmpty else { return true }
        try ensureWritable()
        guard turnTask == nil else { return false }
        for message in messages {
            record(.inputQueued(QueuedInput(id: RoomMessage.messageId(room: room, seq: message.seq), text: message.rendered(room: room, for: member))))
        }
        try await commit(.durable)
        if state.pendingApprovals.isEmpty { startTurnIfIdle() }
        return true
    }

    /// The newest seq of `room` in this agent's log (0 when none): what it has received.
    /// Counts queued inputs too (accepted, not yet answered). A fork inherits its parent's.
    func roomCursor(_ room: String) -> UInt64 {
        state.roomCursor(room)
    }

    /// Returns once the agent has no turn running or is waiting for a person's decision.
    public func waitUntilSettled() async {
        let events = subscribe(kinds: [.done, .permissionRequired])
        defer { events.cancel() }
        if isSettled { return }
        for await _ in events where isSettled { return }
    }

    private var isSettled: Bool {
        closed || turnTask == nil || !state.pendingApprovals.isEmpty
    }
}

extension AgentState {
    /// The newest seq of `room` among this agent's messages and queued inputs (0 when none).
    public func roomCursor(_ room: String) -> UInt64 {
        let prefix = "room:\(room):"
        var newest: UInt64 = 0
        for input in queuedInputs where input.id.hasPrefix(prefix) {
            newest = max(newest, UInt64(input.id.dropFirst(prefix.count)) ?? 0)
        }
        if newest > 0 { return newest }
        // Messages arrive in seq order, so the newest is the last one found.
        for message in messages.reversed() where message.role == .user && message.id.hasPrefix(prefix) {
            if let seq = UInt64(message.id.dropFirst(prefix.count)) { return seq }
        }
        return 0
    }

    /// The rooms this agent has received messages in, with the member name it had there and the
    /// newest seq, ordered by room name. Derived from the conversation (a fork lists its parent's
    /// rooms up to the fork point); the room's own log is what decides membership.
    public var roomPresence: [RoomPresence] {
        var found: [String: RoomPresence] = [:]
        let texts = messages.lazy.filter { $0.role == .user && $0.id.hasPrefix("room:") }.map(\.text)
            + queuedInputs.lazy.filter { $0.id.hasPrefix("room:") }.map(\.text)
        for text in texts {
            guard let header = RoomMessageHeader(text) else { continue }
            found[header.room] = RoomPresence(room: header.room, member: header.member, lastSeq: header.seq)
        }
        return found.values.sorted { $0.room < $1.room }
    }
}

/// A room as one agent's log shows it.
public struct RoomPresence: Sendable, Hashable {
    public var room: String
    /// The member name the agent had in it.
    public var member: String
    /// The newest message it received.
    public var lastSeq: UInt64

    public init(room: String, member: String, lastSeq: UInt64) {
        self.room = room
        self.member = member
        self.lastSeq = lastSeq
    }
}

import Foundation

/// A room: agents that joined it under a name exchange messages by `@name` mention or
/// broadcast (docs/MULTI-AGENT.md, "Rooms").
///
/// The room's log (a ``RoomLog``) holds its creation, its members and every message with the
/// room's seq, on stable storage before anyone receives the message. Each receiver then gets it
/// as a user message in its own log (id `room:<room>:<seq>`, durable before the next message is
/// delivered). Reopening the room reads how far each member's log got and delivers the rest, so
/// a crash anywhere loses no message and delivers none twice; each receiver gets its messages
/// in increasing seq.
///
/// Members must be ``attach(_:as:)``ed (or ``join(_:agent:)``ed) to receive; messages for a
/// member not attached wait in the room's log until it is.
public actor Room {
    /// The room's name.
    public nonisolated let name: String
    let log: any RoomLog
    let directory: RoomDirectory?
    var state: RoomState
    /// Open agents of members, by member name.
    var attached: [String: Agent] = [:]
    /// The newest seq each attached member's log holds.
    var delivered: [String: UInt64] = [:]
    var gate = RoomGate()
    var closed = false
    /// Per attached member: delivers what waited when its turn ends.
    var watchers: [String: Task<Void, Never>] = [:]

    init(log: any RoomLog, state: RoomState, directory: RoomDirectory?) {
        self.name = state.name
        self.log = log
        self.state = state
        self.directory = directory
    }

    /// Creates a room in `rooms`. `directory` lets members' `room_send` find it.
    public static func create(_ name: String, in rooms: any RoomStore, directory: RoomDirectory? = nil) async throws -> Room {
        let log = try await offPool { try rooms.create(name, time: Date()) }
        return Room(log: log, state: RoomState(name: name, created: Date()), directory: directory)
    }

    /// Opens an existing room of `rooms` (one process at a time).
    public static func open(_ name: String, in rooms: any RoomStore, directory: RoomDirectory? = nil) async throws -> Room {
        let log = try await offPool { try rooms.open(name) }
        do {
            return Room(log: log, state: try RoomState(entries: log.entries, source: log.location), directory: directory)
        } catch {
            log.close()
            throw error
        }
    }

    // MARK: Members

    /// Members in joining order.
    public func members() -> [RoomMember] { state.members }

    /// Every message, in seq order.
    public func messages() -> [RoomMessage] { state.messages }

    /// The room's folded log.
    public func snapshot() -> RoomState { state }

    /// Adds `agent` as member `member` (durably) and attaches it. It receives the messages
    /// posted from now on.
    public func join(_ member: String, agent: Agent) async throws {
        try await exclusively {
            try checkJoinable(member)
            if let existing = state.members.first(where: { $0.agent == agent.id }) {
                throw RoomError.alreadyMember(room: name, member: existing.name, agent: agent.id)
            }
            let entry = RoomEntry.joined(member: member, agent: agent.id, after: state.lastSeq, time: Date())
            try await append([entry])
            try state.apply(entry, source: log.location)
            seat(agent, as: member, delivered: state.lastSeq)
        }
    }

    /// Throws what `join` would for the name `member` (not a valid name, or taken) without
    /// joining: a caller that makes an agent for the join asks first.
    public func checkJoinable(_ member: String) throws {
        try RoomNames.validate(member, kind: "member")
        if let existing = state.member(member) { throw RoomError.alreadyMember(room: name, member: member, agent: existing.agent) }
    }

    /// Attaches the open agent of an existing member, then delivers what its log is missing
    /// (messages posted while it was not attached, or cut by a crash). Returns how many.
    @discardableResult
    public func attach(_ agent: Agent, as member: String) async throws -> Int {
        guard let record = state.member(member) else { throw unknownMember(member) }
        guard record.agent == agent.id else {
            throw RoomError.alreadyMember(room: name, member: member, agent: record.agent)
        }
        return try await exclusively {
            let cursor = await agent.roomCursor(name)
            seat(agent, as: member, delivered: cursor)
            let missed = state.messages(for: record, after: cursor).count
            try await flush(member)
            return missed
        }
    }

    /// Forks member `member`'s agent at its newest safe fork point (mid-turn is fine) and opens
    /// the child with `open`. The fork does not join: its conversation holds the room up to the
    /// fork point and nothing after. With `joiningAs`, it joins under that name and receives what
    /// is posted from then on.
    public func fork(
        _ member: String, joiningAs newMember: String? = nil,
        open: @Sendable (AgentID) async throws -> Agent
    ) async throws -> Agent {
        guard let agent = attached[member] else {
            if state.member(member) == nil { throw unknownMember(member) }
            throw RoomError.notAttached(room: name, member: member)
        }
        if let newMember {
            try RoomNames.validate(newMember, kind: "member")
            if state.member(newMember) != nil { throw RoomError.alreadyMember(room: name, member: newMember, agent: state.member(newMember)!.agent) }
        }
        let childId = try await agent.fork(at: "latest")
        let child = try await open(childId)
        if let newMember { try await join(newMember, agent: child) }
        return child
    }

    // MARK: Posting

    /// Posts as member `member`: it must be a member. Returns once the message is in the room's
    /// log and in the log of every attached receiver not in a turn (the others get it when
    /// their turn ends).
    @discardableResult
    public func post(_ text: String, as member: String) async throws -> RoomMessage {
        guard state.member(member) != nil else { throw unknownMember(member) }
        return try await post([(text, member)])[0]
    }

    /// Posts from outside the room (a person, a program): `sender` must not be a member's name.
    @discardableResult
    public func post(_ text: String, by sender: String = "user") async throws -> RoomMessage {
        try RoomNames.validate(sender, kind: "sender")
        if state.member(sender) != nil {
            throw RoomError.senderIsMember(room: name, sender: sender)
        }
        return try await post([(text, sender)])[0]
    }

    /// Posts several messages at once: one sync of the room's log and one of each receiver's
    /// for the whole batch. Every sender must be a member or an outside name.
    @discardableResult
    public func post(_ batch: [(text: String, from: String)]) async throws -> [RoomMessage] {
        guard !batch.isEmpty else { return [] }
        for post in batch {
            if post.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw RoomError.emptyMessage }
            try RoomNames.validate(post.from, kind: "sender")
        }
        return try await exclusively {
            var messages: [RoomMessage] = []
            var seq = state.lastSeq
            let now = Date()
            for post in batch {
                seq += 1
                messages.append(RoomMessage(seq: seq, from: post.from, to: try mentions(in: post.text, from: post.from), text: post.text, time: now))
            }
            let entries = messages.map(RoomEntry.posted)
            try await append(entries)
            for entry in entries { try state.apply(entry, source: log.location) }
            for member in state.members.map(\.name) where attached[member] != nil {
                try await flush(member)
            }
            return messages
        }
    }

    /// The members `message` is delivered to.
    public func receivers(of message: RoomMessage) -> [String] {
        state.members.map(\.name).filter { message.isDelivered(to: $0) }
    }

    /// `@name` mentions in order, each a member; a mention of the sender is dropped (it never
    /// receives its own message). `@` right after a letter or digit (an e-mail address) is no
    /// mention.
    func mentions(in text: String, from sender: String) throws -> [String] {
        var names: [String] = []
        var mentionedSelf = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            defer { i += 1 }
            guard scalars[i] == "@", i == 0 || !Self.isNameScalar(scalars[i - 1]) else { continue }
            var j = i + 1
            while j < scalars.count, Self.isNameScalar(scalars[j]) { j += 1 }
            guard j > i + 1 else { continue }
            var name = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
            // A sentence may end right after a name: "@bob-" is "@bob" followed by a dash.
            while name.hasSuffix("-"), state.member(name) == nil { name.removeLast() }
            guard state.member(name) != nil else { throw unknownMember(name) }
            if name == sender { mentionedSelf = true } else if !names.contains(name) { names.append(name) }
            i = j - 1
        }
        // Addressed only to itself: delivered to nobody rather than broadcast.
        if names.isEmpty, mentionedSelf { return [sender] }
        return names
    }

    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_" || s == "-"
    }

    // MARK: Quiet

    /// Returns once no post is in flight, every attached member has no turn running (or waits
    /// for a person's decision) and each idle member's log holds everything for it; checked
    /// again after each wait, so a message one member sent at the end of its turn is answered.
    public func waitUntilQuiet() async {
        while !closed {
            let before = state.lastSeq
            for agent in attached.values { await agent.waitUntilSettled() }
            // Let a post in flight finish, and deliver what waited for a turn's end.
            var delivering = false
            _ = try? await exclusively {
                for member in Array(attached.keys) {
                    let had = delivered[member]
                    try await flush(member)
                    if delivered[member] != had { delivering = true }
                }
            }
            if state.lastSeq == before && !delivering { return }
        }
    }

    /// Closes the room's log. The agents stay open (their owner closes them).
    public func close() {
        guard !closed else { return }
        closed = true
        directory?.unregister(room: name)
        for watcher in watchers.values { watcher.cancel() }
        watchers.removeAll()
        attached.removeAll()
        log.close()
    }

    // MARK: Internals

    func seat(_ agent: Agent, as member: String, delivered cursor: UInt64) {
        attached[member] = agent
        delivered[member] = cursor
        directory?.register(agent.id, in: self, as: member)
        let ends = agent.subscribe(kinds: [.done])
        watchers[member]?.cancel()
        watchers[member] = Task { [weak self] in
            for await _ in ends {
                guard let self else { return }
                await self.turnEnded(member)
            }
        }
    }

    /// Delivers to `member` everything for it that its log lacks, in seq order, unless its agent
    /// is in a turn: then the messages wait (durable in the room's log) until the turn ends,
    /// and arrive together as the input of the next one. A message never joins a running turn,
    /// so each member sees the room between its turns and a scripted room plays the same way
    /// every time.
    func flush(_ member: String) async throws {
        guard let agent = attached[member], let record = state.member(member) else { return }
        let missing = state.messages(for: record, after: delivered[member] ?? 0)
        guard let last = missing.last else { return }
        if try await agent.receiveRoomMessagesIfIdle(missing, room: name, member: member) {
            delivered[member] = last.seq
        }
    }

    /// Delivers what waited for `member`'s turn to end (called when its `done` arrives).
    func turnEnded(_ member: String) async {
        guard !closed else { return }
        do {
            try await exclusively { try await flush(member) }
        } catch {
            // The member's agent is read-only or closed; its messages stay in the room's log
            // and reach it when it is attached again.
        }
    }

    /// Whether every attached member's log holds every message for it.
    var everythingDelivered: Bool {
        for (member, _) in attached {
            guard let record = state.member(member) else { continue }
            if !state.messages(for: record, after: delivered[member] ?? 0).isEmpty { return false }
        }
        return true
    }

    func append(_ entries: [RoomEntry]) async throws {
        if closed { throw RoomError.storage(path: log.location, message: "the room is closed") }
        let log = self.log
        try await Self.offPool { try log.append(entries) }
    }

    func unknownMember(_ member: String) -> RoomError {
        .unknownMember(room: name, member: member, members: state.members.map(\.name))
    }

    /// Runs `body` while holding the room's gate (FIFO with every other posting, joining and
    /// attaching).
    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if gate.busy {
            await withCheckedContinuation { gate.waiting.append($0) }
        } else {
            gate.busy = true
        }
        defer { gate.release() }
        return try await body()
    }

    /// The room's file work (appends with a sync) runs off the cooperative pool.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

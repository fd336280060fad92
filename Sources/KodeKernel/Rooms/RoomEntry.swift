import Foundation

/// One line of a room's log: the room is the fold of these, in order.
public enum RoomEntry: Sendable, Hashable, Codable {
    /// The room was created (always the first entry).
    case created(name: String, time: Date)
    /// `member` joined as agent `agent`; it receives the messages with a seq above `after`.
    case joined(member: String, agent: AgentID, after: UInt64, time: Date)
    /// A message was accepted. It is here before any receiver's log has it.
    case posted(RoomMessage)
}

/// A member of a room.
public struct RoomMember: Sendable, Hashable, Codable {
    /// The name others mention it by (`@name`).
    public var name: String
    /// The agent behind it.
    public var agent: AgentID
    /// It receives messages with a seq above this (the room's last seq when it joined).
    public var joinedAfter: UInt64

    public init(name: String, agent: AgentID, joinedAfter: UInt64) {
        self.name = name
        self.agent = agent
        self.joinedAfter = joinedAfter
    }
}

/// What a room's log folds to.
public struct RoomState: Sendable, Hashable {
    public var name: String
    public var created: Date
    /// Members in joining order.
    public var members: [RoomMember] = []
    /// Every message, in seq order.
    public var messages: [RoomMessage] = []

    /// The seq of the newest message (0 before any).
    public var lastSeq: UInt64 { messages.last?.seq ?? 0 }

    public init(name: String, created: Date) {
        self.name = name
        self.created = created
    }

    /// Folds a log; the first entry must be `created`.
    init(entries: [RoomEntry], source: String) throws {
        guard case .created(let name, let time)? = entries.first else {
            throw RoomError.storage(path: source, message: "the log does not start with the room's creation")
        }
        self.init(name: name, created: time)
        for entry in entries.dropFirst() { try apply(entry, source: source) }
    }

    mutating func apply(_ entry: RoomEntry, source: String) throws {
        switch entry {
        case .created:
            throw RoomError.storage(path: source, message: "a second creation entry")
        case .joined(let member, let agent, let after, _):
            members.append(RoomMember(name: member, agent: agent, joinedAfter: after))
        case .posted(let message):
            guard message.seq == lastSeq + 1 else {
                throw RoomError.storage(path: source, message: "message #\(message.seq) follows #\(lastSeq): the room's sequence has a gap")
            }
            messages.append(message)
        }
    }

    /// The member called `name`.
    public func member(_ name: String) -> RoomMember? { members.first { $0.name == name } }

    /// The messages `member` receives with a seq above `after`, in seq order.
    public func messages(for member: RoomMember, after: UInt64) -> [RoomMessage] {
        let from = max(after, member.joinedAfter)
        // Seqs are dense from 1, so the first candidate's index is known.
        guard from < lastSeq else { return [] }
        return messages[Int(from)...].filter { $0.isDelivered(to: member.name) }
    }
}

extension RoomState {
    /// A room's state read from `rooms` without opening it for writing (it may be open elsewhere).
    public static func read(_ name: String, from rooms: any RoomStore) throws -> RoomState {
        try RoomState(entries: try rooms.entries(of: name), source: name)
    }
}

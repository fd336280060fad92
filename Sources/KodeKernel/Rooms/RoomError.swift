import Foundation

/// Why a room operation was refused. Each message names the room (and member) involved and
/// what to do instead.
public enum RoomError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A room or member name outside `[A-Za-z0-9_-]`, empty or longer than 40 characters.
    case invalidName(kind: String, name: String)
    /// No room of that name in the store.
    case unknownRoom(String, available: [String])
    /// A room of that name exists already.
    case roomExists(String)
    /// `@name` (or a sender) that is not a member.
    case unknownMember(room: String, member: String, members: [String])
    /// The member name is taken, or the agent is a member under another name.
    case alreadyMember(room: String, member: String, agent: AgentID)
    /// The text is empty.
    case emptyMessage
    /// The room's log could not be read or written.
    case storage(path: String, message: String)
    /// The room is open in another process.
    case locked(room: String, path: String)
    /// The agent is not in any room, or in several and the call named none.
    case noRoom(agent: AgentID, rooms: [String])
    /// An outside sender used a member's name (post as the member instead).
    case senderIsMember(room: String, sender: String)
    /// The member's agent is not open in this process.
    case notAttached(room: String, member: String)

    public var description: String {
        switch self {
        case .invalidName(let kind, let name):
            return "invalid \(kind) name '\(Self.shown(name))': use 1 to 40 letters, digits, '-' or '_'"
        case .unknownRoom(let name, let available):
            let list = available.isEmpty ? "there are no rooms yet (create one with 'kode room create NAME')" : "rooms: \(available.joined(separator: ", "))"
            return "no room '\(Self.shown(name))' in this store; \(list)"
        case .roomExists(let name):
            return "room '\(name)' exists already"
        case .unknownMember(let room, let member, let members):
            let list = members.isEmpty ? "it has no members yet" : "members: " + members.map { "@" + $0 }.joined(separator: ", ")
            return "room '\(room)' has no member @\(Self.shown(member)); \(list)"
        case .alreadyMember(let room, let member, let agent):
            return "room '\(room)' already has @\(member) (agent \(agent))"
        case .emptyMessage:
            return "the message is empty"
        case .storage(let path, let message):
            return "room log \(path): \(message)"
        case .locked(let room, let path):
            return "room '\(room)' is open in another process (lock on \(path) is held); wait for it to finish"
        case .senderIsMember(let room, let sender):
            return "'\(sender)' is a member of room \(room): post as the member instead (--as \(sender))"
        case .notAttached(let room, let member):
            return "@\(member) of room \(room) is not open in this process: attach its agent first"
        case .noRoom(let agent, let rooms):
            return rooms.isEmpty ? "agent \(agent) is in no room" : "agent \(agent) is in several rooms (\(rooms.joined(separator: ", "))): name one with \"room\""
        }
    }

    /// Names come from people and models: shown with control characters escaped and cut short.
    static func shown(_ name: String) -> String {
        let escaped = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return escaped.count > 60 ? String(escaped.prefix(60)) + "…" : escaped
    }
}

/// The rule for room and member names: short, and safe inside message ids and file names.
enum RoomNames {
    static func validate(_ name: String, kind: String) throws {
        let allowed = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
        guard !name.isEmpty, name.utf8.count <= 40, allowed else { throw RoomError.invalidName(kind: kind, name: name) }
    }
}

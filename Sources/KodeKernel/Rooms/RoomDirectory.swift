import Foundation
import Synchronization

/// Which open rooms each agent is a member of, and under which name: how `room_send` finds
/// the room of the agent calling it. One directory is shared by the rooms of a process and the
/// tool registered in their agents.
public final class RoomDirectory: Sendable {
    struct Seat {
        let room: Room
        let member: String
    }

    let seats = Mutex<[AgentID: [String: Seat]]>([:])

    public init() {}

    func register(_ agent: AgentID, in room: Room, as member: String) {
        seats.withLock { $0[agent, default: [:]][room.name] = Seat(room: room, member: member) }
    }

    func unregister(room: String) {
        seats.withLock { seats in
            for agent in seats.keys { seats[agent]?[room] = nil }
        }
    }

    /// The room `agent` posts to: the one named, or its only room.
    func seat(of agent: AgentID, room name: String?) throws -> Seat {
        let rooms = seats.withLock { $0[agent] ?? [:] }
        if let name {
            guard let seat = rooms[name] else { throw RoomError.noRoom(agent: agent, rooms: rooms.keys.sorted()) }
            return seat
        }
        guard rooms.count == 1, let seat = rooms.values.first else { throw RoomError.noRoom(agent: agent, rooms: rooms.keys.sorted()) }
        return seat
    }

    /// The rooms `agent` is seated in here, with its member name, sorted by room.
    public func rooms(of agent: AgentID) -> [(room: String, member: String)] {
        seats.withLock { ($0[agent] ?? [:]).map { ($0.key, $0.value.member) } }.sorted { $0.room < $1.room }
    }
}

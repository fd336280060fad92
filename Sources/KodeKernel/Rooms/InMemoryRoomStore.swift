import Foundation
import Synchronization

/// Rooms kept in memory, for tests and embedders with an `InMemoryStore`. A room reopened from
/// the same object continues where it was; nothing survives the process.
public final class InMemoryRoomStore: RoomStore {
    let rooms = Mutex<[String: [RoomEntry]]>([:])

    public init() {}

    public func names() throws -> [String] { rooms.withLock { $0.keys.sorted() } }

    public func create(_ name: String, time: Date) throws -> any RoomLog {
        try RoomNames.validate(name, kind: "room")
        try rooms.withLock { rooms in
            guard rooms[name] == nil else { throw RoomError.roomExists(name) }
            rooms[name] = [.created(name: name, time: time)]
        }
        return Log(store: self, name: name, entries: [.created(name: name, time: time)])
    }

    public func open(_ name: String) throws -> any RoomLog {
        Log(store: self, name: name, entries: try entries(of: name))
    }

    public func entries(of name: String) throws -> [RoomEntry] {
        try rooms.withLock { rooms in
            guard let entries = rooms[name] else { throw RoomError.unknownRoom(name, available: rooms.keys.sorted()) }
            return entries
        }
    }

    struct Log: RoomLog {
        let store: InMemoryRoomStore
        let name: String
        let entries: [RoomEntry]
        var location: String { "memory:\(name)" }
        func append(_ entries: [RoomEntry]) throws {
            store.rooms.withLock { $0[name, default: []].append(contentsOf: entries) }
        }
        func close() {}
    }
}

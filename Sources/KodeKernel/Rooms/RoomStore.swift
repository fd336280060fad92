import Foundation

/// Where rooms are kept: one durable log per room. A room is opened by one process at a time.
public protocol RoomStore: Sendable {
    /// The names of the rooms, sorted.
    func names() throws -> [String]
    /// Creates the log of a new room with its first entry; throws ``RoomError/roomExists(_:)``.
    func create(_ name: String, time: Date) throws -> any RoomLog
    /// Opens the log of an existing room for appending; throws ``RoomError/unknownRoom(_:available:)``.
    func open(_ name: String) throws -> any RoomLog
    /// Reads a room's entries without opening it for writing (for `kode room show`).
    func entries(of name: String) throws -> [RoomEntry]
}

/// One room's log, open for appending.
public protocol RoomLog: Sendable {
    /// Every entry, oldest first (read when the log was opened).
    var entries: [RoomEntry] { get }
    /// Where the log is, for messages.
    var location: String { get }
    /// Appends entries; they are on stable storage when this returns.
    func append(_ entries: [RoomEntry]) throws
    /// Releases the log (and its lock).
    func close()
}

extension RoomStore {
    /// The room store that goes with an agent store: files beside the agents of a `FileStore`
    /// (`<root>/rooms/`), nil for other stores (pass an ``InMemoryRoomStore`` or your own).
    public static func beside(_ store: any AgentStore) -> (any RoomStore)? {
        guard let files = store as? FileStore else { return nil }
        return FileRoomStore(directory: files.root.appendingPathComponent("rooms"))
    }
}

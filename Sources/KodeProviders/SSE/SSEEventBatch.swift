/// The events one network chunk completed, with their `data` bytes kept in one reusable buffer
/// instead of a String each.
struct SSEEventBatch: SSEEventSink {
    struct Entry {
        var name: String
        var start: Int
        var count: Int
    }

    /// Every event's data, back to back.
    private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []

    /// An empty batch; it allocates nothing until `reserve()` or the first event.
    init() {}

    /// Room for a typical chunk's events, so the first ones do not grow the storage step by step.
    mutating func reserve() {
        bytes.reserveCapacity(4096)
        entries.reserveCapacity(16)
    }

    var isEmpty: Bool { entries.isEmpty }

    mutating func receive(event name: String, data: UnsafeRawBufferPointer, id: String?, retry: Int?) {
        entries.append(Entry(name: name, start: bytes.count, count: data.count))
        bytes.append(contentsOf: data)
    }

    /// Empties the batch, keeping its storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }
}

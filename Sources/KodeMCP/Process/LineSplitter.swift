/// Cuts a byte stream into newline-terminated lines, holding back an unfinished tail. Lines
/// longer than `limit` are cut there (an MCP message can be large, but one without a newline for
/// many megabytes is a broken server, and must not grow memory without bound).
struct LineSplitter {
    let limit: Int
    private var pending: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    /// Adds bytes; returns the lines they completed, without their newlines (a `\r` before the
    /// newline is dropped too).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                lines.append(pending)
                pending.removeAll(keepingCapacity: true)
            } else if pending.count < limit {
                pending.append(byte)
            }
        }
        return lines
    }

    /// What is left when the stream ends without a final newline.
    mutating func finish() -> [UInt8]? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : pending
    }
}

/// Bytes a process has written and nobody has read yet, bounded in memory.
///
/// A foreground command keeps the *first* `limit` bytes (the start of a build log usually says
/// what is being built; the count of what was cut goes into a visible notice). A background shell
/// keeps the *last* `limit` unread bytes, because `bash_logs` is about what happened lately.
package struct OutputBuffer: Sendable {
    /// Which end survives when more than `limit` bytes are unread.
    package enum Keep: Sendable {
        case head
        case tail
    }

    let limit: Int
    let keep: Keep
    private(set) var unread: [UInt8] = []
    /// Bytes thrown away because `unread` was full; reported to the reader, then reset.
    private(set) var dropped = 0
    /// Everything ever written, for statistics.
    package private(set) var total = 0

    package init(limit: Int, keep: Keep) {
        self.limit = max(limit, 1)
        self.keep = keep
    }

    package mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        total += bytes.count
        switch keep {
        case .head:
            let room = limit - unread.count
            if room >= bytes.count {
                unread.append(contentsOf: bytes)
            } else {
                unread.append(contentsOf: bytes.prefix(max(room, 0)))
                dropped += bytes.count - max(room, 0)
            }
        case .tail:
            unread.append(contentsOf: bytes)
            if unread.count > limit {
                let excess = unread.count - limit
                unread.removeFirst(excess)
                dropped += excess
            }
        }
    }

    /// Takes at most `maxBytes` unread bytes (cut back to a UTF-8 character boundary).
    /// Returns the bytes, how many were dropped before them, and how many remain unread.
    package mutating func take(maxBytes: Int) -> (bytes: [UInt8], droppedBefore: Int, remaining: Int) {
        var cut = min(maxBytes, unread.count)
        if cut < unread.count {
            // Never split a multi-byte character: back off over continuation bytes.
            while cut > 0 && (unread[cut] & 0b1100_0000) == 0b1000_0000 { cut -= 1 }
        }
        let bytes = Array(unread.prefix(cut))
        unread.removeFirst(cut)
        let droppedBefore = dropped
        dropped = 0
        return (bytes, droppedBefore, unread.count)
    }
}

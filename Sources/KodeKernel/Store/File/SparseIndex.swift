import Foundation

/// A sparse map from seq to the log position just after that seq's record, so reading from the
/// middle of a long log (tailing with `records(after:)`, opening after a snapshot) starts near
/// the right place instead of decoding everything before it.
///
/// Entries come from snapshots (which record their position), from every `stride`-th record a
/// scan passes, and from where each read ended (the tail cursor a follower polls from). They stay
/// valid because the log only grows: a torn-tail cut never removes a good record.
struct SparseIndex: Sendable {
    /// How many records a scan passes between two entries.
    static let stride: UInt64 = 1024

    private(set) var entries: [(seq: UInt64, end: LogPosition)] = []

    /// Remembers that the record `seq` ends at `end`.
    mutating func note(seq: UInt64, end: LogPosition) {
        // Binary search for the insertion point; the common case (a new tail) appends.
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].seq < seq { low = mid + 1 } else { high = mid }
        }
        if low < entries.count && entries[low].seq == seq {
            entries[low].end = end
        } else {
            entries.insert((seq, end), at: low)
        }
    }

    /// The latest entry with `seq <= after`: every record after `after` lies at or past its position.
    func start(after: UInt64) -> (seq: UInt64, end: LogPosition)? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].seq <= after { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : entries[low - 1]
    }

    /// The entry with the highest position (where a tail scan can resume).
    var last: (seq: UInt64, end: LogPosition)? { entries.last }
}

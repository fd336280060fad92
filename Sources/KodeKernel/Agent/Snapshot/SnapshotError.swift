import Foundation

/// A snapshot whose bytes arrived intact (the store verified its checksum) but whose state this
/// build cannot read. Opening the agent is refused rather than silently rebuilt: the message
/// says which file, where, and how to recover.
public enum SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The state encoding is damaged at `offset` (a byte offset into the encoded state).
    case unreadable(source: String, offset: Int, detail: String)
    /// The state was written by a newer build.
    case unsupportedVersion(source: String, version: Int, newestReadable: Int)

    public var description: String {
        let remedy = "the log holds everything a snapshot does: moving the file aside makes the next open rebuild the state from the log"
        switch self {
        case .unreadable(let source, let offset, let detail):
            return "cannot read the agent state in \(source) at byte \(offset) of the state: \(detail); \(remedy)"
        case .unsupportedVersion(let source, let version, let newest):
            return "\(source) holds agent state format version \(version); this build reads versions up to \(newest) (and the JSON of older snapshots); \(remedy)"
        }
    }
}

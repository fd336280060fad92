import Foundation

/// One name in a directory of a workspace snapshot.
///
/// `mtimeNanos` and `inode` are the stat cache: a later snapshot reuses `hash` without reading the
/// file when size, mtime and inode are unchanged. Rewind and diff compare kind, mode, hash and
/// link target only.
public struct WorkspaceEntry: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case file = 1
        case directory = 2
        case symlink = 3
        /// Present but not captured (too large, unreadable, a socket or device): left alone by
        /// rewind, listed in the snapshot record with `reason`.
        case notCaptured = 4
    }

    public var name: String
    public var kind: Kind
    /// Permission bits (`0o7777`).
    public var mode: UInt32
    public var size: Int64
    /// File: the content blob. Directory: its tree object's blob. Otherwise empty.
    public var hash: String
    /// Symlink: the link's target, as stored (never followed). Not captured: why.
    public var detail: String
    public var mtimeNanos: Int64
    public var inode: UInt64

    public init(name: String, kind: Kind, mode: UInt32, size: Int64, hash: String, detail: String = "", mtimeNanos: Int64 = 0, inode: UInt64 = 0) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.size = size
        self.hash = hash
        self.detail = detail
        self.mtimeNanos = mtimeNanos
        self.inode = inode
    }

    /// Same content as `other` for a rewind (the stat cache aside).
    func sameContent(as other: WorkspaceEntry) -> Bool {
        kind == other.kind && mode == other.mode && hash == other.hash && detail == other.detail
    }
}

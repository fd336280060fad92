import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file by device and inode rather than by path: after a store is removed and made again at
/// the same path, the lock, socket and pid file at its paths are other files, possibly another
/// host's.
package struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64

    /// The file at `path` (not following a final symbolic link), or nil if it cannot be read.
    package init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The file `fd` is open on, or nil.
    package init?(descriptor fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
    }

    /// Removes `path` if it is still this file. Another process could replace it between the
    /// look and the unlink; a host stopping is the only caller, and a new store's host makes its
    /// files after it holds its own lock, long after the old one looked.
    package func removeIfStill(at path: String) {
        if FileIdentity(path: path) == self { unlink(path) }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files and directories one operation changed, made durable together: every file's
/// writeback is started before the first is waited for, so the file system commits them in a
/// few journal transactions instead of one per file; then each directory whose entries changed
/// is synced once. Unlike `syncfs`, this does not wait for everything else dirty on the file
/// system (other programs' builds, say), which is what made rewinds slow under load.
struct SyncSet {
    private(set) var files: [String] = []
    private(set) var directories: Set<String> = []
    /// Past this many paths one `syncfs` is cheaper.
    let limit: Int

    init(limit: Int = 4_000) {
        self.limit = limit
    }

    var count: Int { files.count + directories.count }

    /// `path`'s contents or mode changed.
    mutating func file(_ path: String) { files.append(path) }

    /// `path`'s entries (or its own mode) changed. It may be removed later in the same operation.
    mutating func directory(_ path: String) { directories.insert(path) }

    /// Makes every change durable; `fileSystem` names the file system for the `syncfs` used
    /// when the set is large.
    func sync(fileSystem: String) throws {
        guard count > 0 else { return }
        if count > limit {
            try PosixFiles.syncFileSystem(containing: fileSystem)
            return
        }
        var opened: [(Int32, String)] = []
        defer { for (fd, _) in opened { close(fd) } }
        for path in files {
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot open to sync") }
            opened.append((fd, path))
            #if canImport(Glibc)
            _ = kode_sync_file_range(fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE: start writeback, do not wait */)
            #endif
        }
        for (fd, path) in opened where fsync(fd) != 0 { throw WorkspaceIOError.errno(path, "fsync failed") }
        // Deepest first: a new directory's own entries before the entry naming it. One removed
        // after its entries changed is gone: its removal is in its parent, also in the set.
        for directory in directories.sorted(by: { $0.count > $1.count }) where PosixFiles.lstat(directory)?.kind == .directory {
            try PosixFiles.fsyncPath(directory)
        }
    }
}

#if canImport(Glibc)
/// `sync_file_range(2)`: declared by Glibc only under `_GNU_SOURCE`.
@_silgen_name("sync_file_range") private func kode_sync_file_range(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
#endif

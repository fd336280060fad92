import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of a workspace file operation, with the path and the system's message.
public struct WorkspaceIOError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var code: Int32

    public var description: String { "\(path): \(message)" }

    static func errno(_ path: String, _ what: String) -> WorkspaceIOError {
        let code = Foundation.errno
        return WorkspaceIOError(path: path, message: "\(what): \(String(cString: strerror(code)))", code: code)
    }
}

/// What `lstat` says about one directory entry: enough to tell a changed file from an unchanged
/// one without reading it.
package struct FileStat: Sendable, Hashable {
    package enum Kind: Sendable { case file, directory, symlink, other }
    package var kind: Kind
    var mode: UInt32
    var size: Int64
    var mtimeNanos: Int64
    var inode: UInt64
}

/// The few POSIX calls the workspace needs, without Foundation's per-call overhead (a snapshot of
/// an unchanged tree is nothing but these).
package enum PosixFiles {
    package static func lstat(_ path: String) -> FileStat? {
        var st = stat()
        guard Glibc_lstat(path, &st) == 0 else { return nil }
        return fileStat(of: st)
    }

    static func fileStat(of st: stat) -> FileStat {
        let kind: FileStat.Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        #if canImport(Darwin)
        let nanos = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let nanos = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return FileStat(kind: kind, mode: UInt32(st.st_mode & 0o7777), size: Int64(st.st_size), mtimeNanos: nanos, inode: UInt64(st.st_ino))
    }

    /// The names in a directory (without `.` and `..`), unsorted.
    package static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw WorkspaceIOError.errno(path, "cannot list the directory") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// The whole file, read with plain `read` calls.
    static func read(_ path: String, expectedSize: Int64 = 0) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot open") }
        defer { close(fd) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(max(expectedSize, 0)) + 1)
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if Foundation.errno == EINTR { continue }
                throw WorkspaceIOError.errno(path, "cannot read")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw WorkspaceIOError.errno(path, "cannot read the link") }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `bytes` to a new file at `path` (which must not exist) with `mode`, optionally synced.
    static func writeNew(_ path: String, _ bytes: UnsafeRawBufferPointer, mode: UInt32, sync: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode & 0o7777))
        guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot create") }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc_write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Foundation.errno == EINTR { continue }
                let error = WorkspaceIOError.errno(path, "cannot write")
                close(fd)
                unlink(path)
                throw error
            }
            offset += n
        }
        // The umask may have narrowed the mode at creation.
        if fchmod(fd, mode_t(mode & 0o7777)) != 0 {
            let error = WorkspaceIOError.errno(path, "cannot set the mode")
            close(fd)
            throw error
        }
        if sync && fsync(fd) != 0 {
            let error = WorkspaceIOError.errno(path, "fsync failed")
            close(fd)
            throw error
        }
        close(fd)
    }

    static func fsyncPath(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot open to sync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw WorkspaceIOError.errno(path, "fsync failed") }
    }

    /// Commits every dirty page of the file system that holds `path` (one call for many new
    /// files, where a sync per file would cost a journal commit each).
    static func syncFileSystem(containing path: String) throws {
        #if canImport(Glibc)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WorkspaceIOError.errno(path, "cannot open to sync") }
        defer { close(fd) }
        guard kode_syncfs(fd) == 0 else { throw WorkspaceIOError.errno(path, "syncfs failed") }
        #else
        sync()
        #endif
    }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc_rename(from, to) == 0 else { throw WorkspaceIOError.errno(to, "cannot rename \(from) to it") }
    }

    static func unlink(_ path: String) {
        _ = Glibc_unlink(path)
    }

    static func removeFile(_ path: String) throws {
        guard Glibc_unlink(path) == 0 || Foundation.errno == ENOENT else { throw WorkspaceIOError.errno(path, "cannot remove") }
    }

    static func removeDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    static func makeDirectory(_ path: String, mode: UInt32) throws {
        if mkdir(path, mode_t(mode & 0o7777)) != 0 {
            guard Foundation.errno == EEXIST, lstat(path)?.kind == .directory else { throw WorkspaceIOError.errno(path, "cannot create the directory") }
        }
    }

    static func chmod(_ path: String, _ mode: UInt32) throws {
        guard Glibc_chmod(path, mode_t(mode & 0o7777)) == 0 else { throw WorkspaceIOError.errno(path, "cannot set the mode") }
    }

    static func symlink(_ target: String, at path: String) throws {
        guard Glibc_symlink(target, path) == 0 else { throw WorkspaceIOError.errno(path, "cannot create the link") }
    }

    /// Sets the modification time to now (the collector's sign that a blob is in use).
    static func touch(_ path: String) {
        _ = utimes(path, nil)
    }
}

// Module-qualified spellings, so the wrappers above can share the system calls' names.
@inline(__always) private func Glibc_lstat(_ path: String, _ st: inout stat) -> Int32 { lstat(path, &st) }
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
@inline(__always) private func Glibc_rename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
@inline(__always) private func Glibc_unlink(_ path: String) -> Int32 { unlink(path) }
@inline(__always) private func Glibc_chmod(_ path: String, _ mode: mode_t) -> Int32 { chmod(path, mode) }
@inline(__always) private func Glibc_symlink(_ target: String, _ path: String) -> Int32 { symlink(target, path) }

#if canImport(Glibc)
/// `syncfs(2)`: Glibc declares it only under `_GNU_SOURCE`, which its Swift module is not built with.
@_silgen_name("syncfs") private func kode_syncfs(_ fd: Int32) -> Int32
#endif

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `FileIO`: POSIX calls on the local file system.
public struct PosixFileIO: FileIO {
    /// The real file system.
    public init() {}

    // The requirements below are documented on `FileIO`.

    public func open(_ path: String, mode: FileOpenMode) throws -> Int32 {
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .readWrite: flags = O_RDWR
        case .createReadWrite: flags = O_RDWR | O_CREAT
        case .createNew: flags = O_RDWR | O_CREAT | O_EXCL
        }
        let fd = retryingInterrupts { systemOpen(path, flags | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw FileIOError(operation: "open", path: path, code: errno) }
        return fd
    }

    public func close(_ fd: Int32) { _ = systemClose(fd) }

    public func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] {
        // Uninitialized storage: a 64 MiB segment read should not pay for zeroing first.
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    initialized = done
                    throw FileIOError(operation: "read", path: "fd \(fd)", code: errno)
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
    }

    public func read(_ fd: Int32, at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(operation: "read", path: "fd \(fd)", code: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// A private, populated mapping: the file's pages come from the page cache in one call,
    /// where a read would fault in and zero fresh memory page by page and then copy into it
    /// (most of what `kode export` of a long agent cost beyond the work itself). Writable but
    /// private, so a `Data` that mutates its bytes changes only its own copy, never the file.
    public func mapped(_ fd: Int32, size: Int, from offset: Int) -> Data? {
        guard size > offset, offset >= 0 else { return nil }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, flags, fd, 0), base != MAP_FAILED else { return nil }
        return Data(bytesNoCopy: base + offset, count: size - offset, deallocator: .custom { _, _ in _ = munmap(base, size) })
    }

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(operation: "write", path: "fd \(fd)", code: errno)
            }
            done += n
        }
    }

    public func sync(_ fd: Int32) throws {
        #if canImport(Darwin)
        // fsync on Apple platforms does not flush the drive's cache; F_FULLFSYNC does.
        let result = retryingInterrupts { fcntl(fd, F_FULLFSYNC) }
        #else
        let result = retryingInterrupts { fdatasync(fd) }
        #endif
        guard result == 0 else { throw FileIOError(operation: "fdatasync", path: "fd \(fd)", code: errno) }
    }

    public func truncate(_ fd: Int32, to length: UInt64) throws {
        guard retryingInterrupts({ ftruncate(fd, off_t(length)) }) == 0 else {
            throw FileIOError(operation: "ftruncate", path: "fd \(fd)", code: errno)
        }
    }

    public func size(_ fd: Int32) throws -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIOError(operation: "fstat", path: "fd \(fd)", code: errno) }
        return UInt64(info.st_size)
    }

    public func tryLock(_ fd: Int32) throws -> Bool {
        if retryingInterrupts({ flock(fd, LOCK_EX | LOCK_NB) }) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw FileIOError(operation: "flock", path: "fd \(fd)", code: errno)
    }

    public func syncDirectory(_ path: String) throws {
        let fd = retryingInterrupts { systemOpen(path, O_RDONLY | O_CLOEXEC, 0) }
        guard fd >= 0 else { throw FileIOError(operation: "open directory", path: path, code: errno) }
        defer { systemClose(fd) }
        #if canImport(Darwin)
        let result = retryingInterrupts { fcntl(fd, F_FULLFSYNC) }
        #else
        let result = retryingInterrupts { fsync(fd) }
        #endif
        guard result == 0 else { throw FileIOError(operation: "fsync directory", path: path, code: errno) }
    }

    public func rename(_ from: String, to: String) throws {
        guard systemRename(from, to) == 0 else { throw FileIOError(operation: "rename to \(to)", path: from, code: errno) }
    }

    public func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        if code == ENOENT {
            _ = try makeDirectory((path as NSString).deletingLastPathComponent)
            return try makeDirectory(path)
        }
        throw FileIOError(operation: "mkdir", path: path, code: code)
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw FileIOError(operation: "opendir", path: path, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func remove(_ path: String) throws {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw FileIOError(operation: "remove", path: path, code: (error as NSError).code == NSFileNoSuchFileError ? ENOENT : EIO)
        }
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    private func retryingInterrupts(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }
}

// The module-level POSIX functions are shadowed by this type's methods of the same name.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
@discardableResult private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

import Foundation
import KodeKernel

/// Crash injection for the crash-at-every-point tests: with
/// `KODE_FAULT_KILL_AT_SYNC=N:before` (or `N:after`) the process kills itself with SIGKILL
/// right before (or right after) its N-th sync of a file or directory, exactly as a power cut or
/// `kill -9` would stop it there. Off unless the variable is set.
struct SyncFaultInjector: FileIO {
    enum Moment: String { case before, after }

    let base: any FileIO
    let target: Int
    let moment: Moment
    private let counter = SyncCounter()

    /// The injector the environment asks for, or `nil`.
    static func fromEnvironment(_ environment: [String: String], wrapping base: any FileIO) throws -> SyncFaultInjector? {
        guard let spec = environment["KODE_FAULT_KILL_AT_SYNC"] else { return nil }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[0]), n > 0, let moment = Moment(rawValue: String(parts[1])) else {
            throw CLIError.usage("KODE_FAULT_KILL_AT_SYNC must look like 3:before or 3:after, not '\(spec)'")
        }
        return SyncFaultInjector(base: base, target: n, moment: moment)
    }

    private func aroundSync(_ body: () throws -> Void) throws {
        let n = counter.next()
        if n == target && moment == .before { kill(getpid(), SIGKILL) }
        try body()
        if n == target && moment == .after { kill(getpid(), SIGKILL) }
    }

    func sync(_ fd: Int32) throws { try aroundSync { try base.sync(fd) } }
    func syncDirectory(_ path: String) throws { try aroundSync { try base.syncDirectory(path) } }

    func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try base.open(path, mode: mode) }
    func close(_ fd: Int32) { base.close(fd) }
    func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try base.read(fd, at: offset, count: count) }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws { try base.write(fd, bytes, at: offset) }
    func truncate(_ fd: Int32, to length: UInt64) throws { try base.truncate(fd, to: length) }
    func size(_ fd: Int32) throws -> UInt64 { try base.size(fd) }
    func tryLock(_ fd: Int32) throws -> Bool { try base.tryLock(fd) }
    func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    func makeDirectory(_ path: String) throws -> Bool { try base.makeDirectory(path) }
    func contentsOfDirectory(_ path: String) throws -> [String] { try base.contentsOfDirectory(path) }
    func remove(_ path: String) throws { try base.remove(path) }
    func exists(_ path: String) -> Bool { base.exists(path) }
}

/// A thread-safe counter of sync calls.
final class SyncCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}

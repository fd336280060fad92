import Foundation
import KodeKernel
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `FileIO` over real files that remembers what a power cut would leave behind, so tests can
/// prove the store syncs at the right points.
///
/// For every file it touches it tracks two states: the bytes on the real file (what the running
/// process sees: written, maybe not synced) and the durable state (content as of the file's last
/// `sync`, existing only once its directory entry was made durable by `syncDirectory`).
/// `crash()` rewrites the real files to their durable state, optionally keeping part of the
/// unsynced appended bytes as a real disk might, and invalidates every open descriptor
/// (releasing locks, as process death would).
///
/// It can also fail syncs (`failSyncs`) and run out of space (`writeBudget`). Directories
/// themselves are treated as always durable.
public final class CrashSimulatingFileIO: FileIO, Sendable {
    private let real = PosixFileIO()
    private let disk = Mutex(Disk())

    /// Everything the simulation remembers, behind one lock.
    private struct Disk {
        var descriptors: [Int32: String] = [:]
        /// Descriptors of the crashed "process": still allocated (so their owners can close them
        /// safely), but every operation on them fails.
        var dead: Set<Int32> = []
        /// What a crash leaves at each tracked path (absent = no durable entry).
        var durable: [String: [UInt8]] = [:]
        /// The synced content of the file now at each path, durable entry or not.
        var synced: [String: [UInt8]] = [:]
        var tracked: Set<String> = []
        var failSyncs = false
        var writeBudget: Int?
        var syncCount = 0
        var syncLatency: UInt32 = 0

        func checkLive(_ fd: Int32) throws {
            if dead.contains(fd) { throw FileIOError(operation: "use after simulated crash", path: "fd \(fd)", code: EBADF) }
        }

        /// The first time a path is seen, what already exists there counts as durable.
        mutating func track(_ path: String, real: PosixFileIO) {
            guard tracked.insert(path).inserted else { return }
            if let content = try? real.readFile(path) {
                durable[path] = content
                synced[path] = content
            }
        }
    }

    /// A simulated disk over the real file system.
    public init() {}

    /// When true, every `sync` and `syncDirectory` fails with `EIO`.
    public var failSyncs: Bool {
        get { disk.withLock { $0.failSyncs } }
        set { disk.withLock { $0.failSyncs = newValue } }
    }

    /// Bytes that may still be written before writes fail with `ENOSPC` (nil: unlimited). A write
    /// that crosses the limit writes what fits, then fails, like a real full disk.
    public var writeBudget: Int? {
        get { disk.withLock { $0.writeBudget } }
        set { disk.withLock { $0.writeBudget = newValue } }
    }

    /// How long each file sync takes (like a real disk), so concurrent appenders pile up behind it.
    public var syncLatencyMicroseconds: UInt32 {
        get { disk.withLock { $0.syncLatency } }
        set { disk.withLock { $0.syncLatency = newValue } }
    }

    /// How many file syncs (not directory syncs) succeeded.
    public var syncCount: Int { disk.withLock { $0.syncCount } }

    /// How much of the unsynced tail a crash keeps.
    public enum UnsyncedBytes: Sendable {
        /// Every unsynced byte is lost.
        case dropAll
        /// Each file keeps a pseudo-random prefix of its unsynced changes (seeded): bytes appended
        /// past its synced end, or written over synced bytes such as preallocated zeros.
        case keepRandomPrefix(seed: UInt64)
    }

    /// Simulates a power cut: every tracked file is rewritten to what stable storage holds, and
    /// every open descriptor stops working (and drops its lock).
    public func crash(unsynced: UnsyncedBytes = .dropAll) {
        disk.withLock { d in
            var random = SplitMix(seed: { if case .keepRandomPrefix(let seed) = unsynced { return seed } else { return 0 } }())
            for path in d.tracked.sorted() {
                guard let kept = d.durable[path] else {
                    unlink(path)
                    continue
                }
                var content = kept
                if case .keepRandomPrefix = unsynced, let current = try? real.readFile(path) {
                    content = Self.partlyPersisted(durable: kept, current: current, random: &random)
                }
                rewrite(path, content)
            }
            let nullFD = openDevNull()
            for fd in d.descriptors.keys {
                // Replacing the descriptor closes the crashed open file (and its flock) while the
                // number stays taken until its owner closes it.
                dup2(nullFD, fd)
                d.dead.insert(fd)
            }
            closeDescriptor(nullFD)
            d.descriptors = [:]
            d.synced = d.durable
        }
    }

    /// What a disk that wrote the unsynced changes front to back and stopped at a random point
    /// would hold: `current` up to that point, `durable` after it. The changes start at the first
    /// byte that differs, so this covers appends past the synced end and overwrites of
    /// preallocated zeros alike.
    static func partlyPersisted(durable: [UInt8], current: [UInt8], random: inout SplitMix) -> [UInt8] {
        let common = min(durable.count, current.count)
        var first = 0
        while first < common && durable[first] == current[first] { first += 1 }
        guard first < current.count else { return durable }
        let stop = first + Int(random.next() % UInt64(current.count - first + 1))
        return Array(current[0..<stop]) + (stop < durable.count ? Array(durable[stop...]) : [])
    }

    // MARK: FileIO (requirements documented on the protocol)

    public func open(_ path: String, mode: FileOpenMode) throws -> Int32 {
        try disk.withLock { d in
            d.track(path, real: real)
            let existed = real.exists(path)
            let fd = try real.open(path, mode: mode)
            if !existed { d.synced[path] = [] }
            d.descriptors[fd] = path
            return fd
        }
    }

    public func close(_ fd: Int32) {
        disk.withLock { d in
            d.descriptors[fd] = nil
            d.dead.remove(fd)
            real.close(fd)
        }
    }

    public func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] {
        try live(fd)
        return try real.read(fd, at: offset, count: count)
    }

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
        let count = bytes.count
        let allowed = try disk.withLock { d -> Int in
            try d.checkLive(fd)
            guard let budget = d.writeBudget else { return count }
            let allowed = min(budget, count)
            d.writeBudget = budget - allowed
            return allowed
        }
        try real.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<allowed]), at: offset)
        if allowed < bytes.count { throw FileIOError(operation: "write", path: "fd \(fd)", code: ENOSPC) }
    }

    public func sync(_ fd: Int32) throws {
        let latency = disk.withLock { $0.syncLatency }
        if latency > 0 { usleep(latency) }
        try disk.withLock { d in
            try d.checkLive(fd)
            if d.failSyncs { throw FileIOError(operation: "fdatasync", path: "fd \(fd)", code: EIO) }
            guard let path = d.descriptors[fd] else { return }
            let content = try real.readFile(path)
            d.synced[path] = content
            if d.durable[path] != nil { d.durable[path] = content }
            d.syncCount += 1
        }
    }

    public func truncate(_ fd: Int32, to length: UInt64) throws {
        try live(fd)
        try real.truncate(fd, to: length)
    }

    public func size(_ fd: Int32) throws -> UInt64 {
        try live(fd)
        return try real.size(fd)
    }

    public func tryLock(_ fd: Int32) throws -> Bool {
        try live(fd)
        return try real.tryLock(fd)
    }

    public func syncDirectory(_ path: String) throws {
        try disk.withLock { d in
            if d.failSyncs { throw FileIOError(operation: "fsync directory", path: path, code: EIO) }
            try real.syncDirectory(path)
            for file in d.tracked where (file as NSString).deletingLastPathComponent == path {
                if real.exists(file) {
                    d.durable[file] = d.synced[file] ?? []
                } else {
                    d.durable[file] = nil
                }
            }
        }
    }

    public func rename(_ from: String, to: String) throws {
        try disk.withLock { d in
            d.track(from, real: real)
            d.track(to, real: real)
            try real.rename(from, to: to)
            d.synced[to] = d.synced[from] ?? []
            d.synced[from] = nil
        }
    }

    public func makeDirectory(_ path: String) throws -> Bool { try real.makeDirectory(path) }

    public func contentsOfDirectory(_ path: String) throws -> [String] { try real.contentsOfDirectory(path) }

    public func remove(_ path: String) throws {
        try disk.withLock { d in
            try real.remove(path)
            for file in d.tracked where file == path || file.hasPrefix(path + "/") { d.synced[file] = nil }
        }
    }

    public func exists(_ path: String) -> Bool { real.exists(path) }

    // MARK: Bookkeeping

    private func live(_ fd: Int32) throws { try disk.withLock { try $0.checkLive(fd) } }

    private func rewrite(_ path: String, _ content: [UInt8]) {
        guard let fd = try? real.open(path, mode: .createReadWrite) else { return }
        defer { real.close(fd) }
        try? real.truncate(fd, to: 0)
        try? content.withUnsafeBytes { try real.write(fd, $0, at: 0) }
    }
}

/// A small deterministic generator, so a failing crash test can be replayed from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// Free functions: inside the class, `open` and `close` name the FileIO methods.
private func openDevNull() -> Int32 { open("/dev/null", O_RDWR) }
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

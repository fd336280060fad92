#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization

/// Watches directories with inotify and calls `onEvent(directory, name)` when an entry in them is
/// written and closed, has its attributes changed, is deleted, or is moved in or out. Plain
/// modifications and creations are left out on purpose: a write reports once, when the writer
/// closes the file, instead of once per `write` call (and once more for the empty file it began as).
///
/// Directories rather than files: editors and tools often replace a file by renaming a new one
/// over it, which would silently end a watch on the old inode. One thread blocks in `poll` on
/// the inotify descriptor and a wake-up pipe, so an idle watcher costs no CPU at all, however
/// many files it covers — there is no polling loop. The thread is a plain thread, never one of
/// the cooperative pool's (a blocking read there would starve async code).
final class FileWatcher: Sendable {
    private struct Watches {
        var byDescriptor: [Int32: String] = [:]
        var byDirectory: [String: Int32] = [:]
    }

    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let watches = Mutex(Watches())
    private let stopped = Mutex(false)
    private let onEvent: @Sendable (String, String) -> Void

    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)

    init(onEvent: @escaping @Sendable (String, String) -> Void) {
        self.onEvent = onEvent
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        var pipeEnds: [Int32] = [0, 0]
        if pipe(&pipeEnds) != 0 { pipeEnds = [-1, -1] }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        guard inotify >= 0, wakeRead >= 0 else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "kode.file-watcher"
        thread.start()
    }

    /// Directories watched.
    var watchCount: Int { watches.withLock { $0.byDirectory.count } }

    /// Watches the directory holding `path` (once per directory).
    func watchDirectory(of path: String) {
        guard inotify >= 0 else { return }
        let directory = (path as NSString).deletingLastPathComponent
        let known = watches.withLock { $0.byDirectory[directory] != nil }
        guard !known else { return }
        let descriptor = inotify_add_watch(inotify, directory, Self.mask)
        guard descriptor >= 0 else { return }
        watches.withLock {
            $0.byDescriptor[descriptor] = directory
            $0.byDirectory[directory] = descriptor
        }
    }

    /// Ends the thread and closes the descriptors.
    func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first, wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { break }
            guard fds[0].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                break
            }
            dispatch(buffer, count: count)
        }
        close(inotify)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Parses `struct inotify_event` records: wd i32, mask u32, cookie u32, len u32, name[len].
    private func dispatch(_ buffer: [UInt8], count: Int) {
        var offset = 0
        var events: [(String, String)] = []
        let table = watches.withLock { $0.byDescriptor }
        buffer.withUnsafeBytes { raw in
            while offset + 16 <= count {
                let descriptor = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + 16
                guard nameStart + length <= count else { break }
                let nameBytes = raw[nameStart..<(nameStart + length)].prefix { $0 != 0 }
                if !nameBytes.isEmpty, let directory = table[descriptor] {
                    events.append((directory, String(decoding: nameBytes, as: UTF8.self)))
                }
                offset = nameStart + length
            }
        }
        if stopped.withLock({ $0 }) { return }
        for (directory, name) in events { onEvent(directory, name) }
    }
}
#endif

#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization

/// One inotify instance shared by every change journal of the process, so a host with many
/// agents uses one of the user's `fs.inotify.max_user_instances` (128 by default, shared with
/// every other program of that user), not one per agent. Events go to the journals that own the
/// watch they name; two journals on one directory (a `shared` fork) get the same watch, which
/// is removed when the last of them lets it go.
///
/// Lock order: the hub's lock, then a journal's — never the other way round.
final class InotifyHub: Sendable {
    /// The process's hub, with a reader thread; nil when inotify is not available.
    static let shared = InotifyHub(background: true)

    private struct State {
        var owners: [Int32: [ObjectIdentifier: ChangeJournal]] = [:]
        var journals: [ObjectIdentifier: ChangeJournal] = [:]
    }

    private let fd: Int32
    private let state = Mutex(State())

    /// `background: false` leaves events in the kernel's queue until a journal takes its changes
    /// (the overflow test's private hub).
    init?(background: Bool) {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        if background {
            let thread = Thread { [self] in self.loop() }
            thread.name = "kode.workspace-journal"
            thread.start()
        }
    }

    deinit { close(fd) }

    func register(_ journal: ChangeJournal) {
        state.withLock { $0.journals[ObjectIdentifier(journal)] = journal }
    }

    /// Forgets `journal` and removes the watches only it held.
    func unregister(_ journal: ChangeJournal) {
        let id = ObjectIdentifier(journal)
        state.withLock { s in
            s.journals[id] = nil
            for (descriptor, owners) in s.owners where owners[id] != nil {
                release(descriptor, owner: id, &s)
            }
        }
    }

    /// Adds (or finds) the watch on `path` for `journal`; `record` runs under the hub's lock
    /// with the descriptor, so no event for it can be delivered before the journal knows it.
    func watch<T>(_ path: String, mask: UInt32, for journal: ChangeJournal, _ record: (Int32) -> T, failed: (Int32) -> T) -> T {
        state.withLock { s in
            let descriptor = inotify_add_watch(fd, path, mask)
            guard descriptor >= 0 else { return failed(errno) }
            s.owners[descriptor, default: [:]][ObjectIdentifier(journal)] = journal
            return record(descriptor)
        }
    }

    /// `journal` no longer needs these watches.
    func release(_ descriptors: [Int32], for journal: ChangeJournal) {
        let id = ObjectIdentifier(journal)
        state.withLock { s in
            for descriptor in descriptors { release(descriptor, owner: id, &s) }
        }
    }

    private func release(_ descriptor: Int32, owner: ObjectIdentifier, _ s: inout State) {
        s.owners[descriptor]?[owner] = nil
        if s.owners[descriptor]?.isEmpty == true {
            s.owners[descriptor] = nil
            _ = inotify_rm_watch(fd, descriptor)
        }
    }

    /// Reads every queued event and hands each to the journals concerned. A journal calls this
    /// before taking its changes, so nothing queued before then is left behind.
    func drain() {
        state.withLock { s in
            withUnsafeTemporaryAllocation(byteCount: 64 * 1024, alignment: 8) { buffer in
                while true {
                    let count = read(fd, buffer.baseAddress, buffer.count)
                    if count < 0 {
                        if errno == EINTR { continue }
                        if errno != EAGAIN && errno != EWOULDBLOCK {
                            let reason = "cannot read the inotify queue: \(String(cString: strerror(errno)))"
                            for journal in s.journals.values { journal.lost(reason) }
                        }
                        return
                    }
                    if count == 0 { return }
                    dispatch(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), &s)
                }
            }
        }
    }

    /// `struct inotify_event`: wd i32, mask u32, cookie u32, len u32, name[len] (NUL-padded).
    private func dispatch(_ raw: UnsafeRawBufferPointer, _ s: inout State) {
        var offset = 0
        while offset + 16 <= raw.count {
            let descriptor = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + 16
            guard nameStart + length <= raw.count else { return }
            let nameBytes = raw[nameStart..<(nameStart + length)].prefix { $0 != 0 }
            offset = nameStart + length
            if mask & InotifyMask.queueOverflow != 0 {
                for journal in s.journals.values {
                    journal.lost("the kernel's inotify queue overflowed (more changes than fs.inotify.max_queued_events between two reads)")
                }
                continue
            }
            let name = nameBytes.isEmpty ? "" : String(decoding: nameBytes, as: UTF8.self)
            if let owners = s.owners[descriptor] {
                for journal in owners.values { journal.received(descriptor, mask: mask, name: name) }
            }
            if mask & InotifyMask.ignored != 0 { s.owners[descriptor] = nil }
        }
    }

    private func loop() {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            poller.revents = 0
            let ready = poll(&poller, 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                let journals = state.withLock { Array($0.journals.values) }
                for journal in journals { journal.lost("the change journal's reader failed") }
                return
            }
            if poller.revents != 0 { drain() }
        }
    }
}

/// The inotify event bits (fixed by the Linux ABI; spelled out because Glibc's Swift module
/// imports some of them with types that do not combine).
enum InotifyMask {
    static let modify: UInt32 = 0x0000_0002
    static let attrib: UInt32 = 0x0000_0004
    static let closeWrite: UInt32 = 0x0000_0008
    static let movedFrom: UInt32 = 0x0000_0040
    static let movedTo: UInt32 = 0x0000_0080
    static let create: UInt32 = 0x0000_0100
    static let delete: UInt32 = 0x0000_0200
    static let deleteSelf: UInt32 = 0x0000_0400
    static let moveSelf: UInt32 = 0x0000_0800
    static let unmount: UInt32 = 0x0000_2000
    static let queueOverflow: UInt32 = 0x0000_4000
    static let ignored: UInt32 = 0x0000_8000
    static let onlyDirectory: UInt32 = 0x0100_0000
    static let dontFollow: UInt32 = 0x0200_0000

    /// Everything that changes an entry's content, mode, size, kind or existence.
    static let watched = modify | attrib | closeWrite | movedFrom | movedTo | create | delete | deleteSelf | moveSelf | onlyDirectory | dontFollow
}
#endif

#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization

/// Which paths of a work directory changed since the last snapshot, from inotify watches on every
/// directory the snapshot captures (docs/WORKSPACE.md, "Change journal"). A snapshot then
/// re-stats only those paths instead of walking the tree, the way git's fsmonitor and watchman do.
///
/// The journal says either "exactly these paths may have changed" or "uncertain" — never a
/// guess. It is uncertain until a full walk has put a watch on every captured directory, and
/// again after a kernel queue overflow, a watch that could not be added, the work directory
/// itself moving, or anything it cannot account for; the snapshot then walks the whole tree,
/// which re-arms it.
///
/// No event can be lost between two snapshots: the kernel queues an event before the system
/// call that caused it returns, and ``take()`` drains the queue under the same lock the
/// background reader uses, so a change made just before a snapshot is in the set it takes, and
/// one made during the snapshot is in the next set. The background thread only keeps the
/// kernel's queue (16,384 events by default) from overflowing between snapshots; it blocks in
/// `poll` and costs nothing while nothing changes.
package final class ChangeJournal: Sendable {
    private struct State {
        var dirty: Set<String> = []
        var uncertainty: String? = "the change journal has not covered the work directory yet (first snapshot)"
        var byDescriptor: [Int32: String] = [:]
        var byDirectory: [String: Int32] = [:]
        /// Watches this journal removed whose `IN_IGNORED` has not been read yet: their late
        /// events are expected, not a sign of something unaccounted for.
        var retired: Set<Int32> = []
        var closed = false
    }

    let workDir: String
    /// At most this many directories are watched; more makes the journal uncertain (the system's
    /// own limit, `fs.inotify.max_user_watches`, has the same effect).
    let maxWatches: Int
    /// At most this many changed paths are remembered; more and a full walk is cheaper anyway.
    let maxChanges: Int
    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let background: Bool
    /// Set when the file system is one where inotify cannot see every change: never certain.
    private let permanentUncertainty: String?
    private let state = Mutex(State())

    /// A journal for `workDir`, or nil when inotify is not available. `drainsInBackground: false`
    /// leaves events in the kernel queue until ``take()`` (the overflow test uses it).
    package init?(workDir: String, maxWatches: Int = 100_000, maxChanges: Int = 100_000, drainsInBackground: Bool = true) {
        self.workDir = workDir
        self.maxWatches = maxWatches
        self.maxChanges = maxChanges
        background = drainsInBackground
        inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotify >= 0 else { return nil }
        var ends: [Int32] = [-1, -1]
        if drainsInBackground && pipe(&ends) != 0 {
            close(inotify)
            return nil
        }
        wakeRead = ends[0]
        wakeWrite = ends[1]
        permanentUncertainty = Self.unwatchableFileSystem(workDir)
        if drainsInBackground {
            let thread = Thread { [self] in self.loop() }
            thread.name = "kode.workspace-journal"
            thread.start()
        }
    }

    /// The paths changed since the previous call, or why that cannot be said. Either way the
    /// journal starts a new interval: the caller's snapshot (a re-stat of the paths, or a full
    /// walk that re-watches every directory) covers everything up to now.
    package func take() -> JournalTake {
        state.withLock { s in
            drain(&s)
            defer {
                s.dirty = []
                if !s.closed { s.uncertainty = nil }
            }
            if let reason = permanentUncertainty ?? s.uncertainty { return .uncertain(reason) }
            return .changes(s.dirty)
        }
    }

    /// The next ``take()`` reports uncertain (a snapshot that failed half-way, a directory that
    /// could be listed but not watched).
    package func markUncertain(_ reason: String) {
        state.withLock { s in
            if s.uncertainty == nil { s.uncertainty = reason }
        }
    }

    /// Watches directory `relative` ("" is the work directory). Called before the directory is
    /// listed, so whatever changes after the listing is in the journal.
    package func watch(_ relative: String) -> DirectoryWatch {
        let absolute = relative.isEmpty ? workDir : workDir + "/" + relative
        return state.withLock { s -> DirectoryWatch in
            guard !s.closed else { return .failed("the change journal is stopped") }
            if s.byDirectory[relative] == nil && s.byDirectory.count >= maxWatches {
                return .failed("more than \(maxWatches) directories to watch")
            }
            let descriptor = inotify_add_watch(inotify, absolute, InotifyMask.watched)
            guard descriptor >= 0 else {
                let code = errno
                if code == ENOSPC { return .failed("the system's inotify watch limit (fs.inotify.max_user_watches) is reached") }
                return .failed("cannot watch \(relative.isEmpty ? "the work directory" : relative): \(String(cString: strerror(code)))")
            }
            let known = s.byDirectory[relative]
            // A descriptor that named another path (the directory moved here) now names this
            // one; one that named this path and is not this directory's keeps its path until
            // it is re-watched elsewhere or removed, so its events are never unaccounted for.
            if let old = s.byDescriptor[descriptor], old != relative, s.byDirectory[old] == descriptor {
                s.byDirectory[old] = nil
            }
            s.byDescriptor[descriptor] = relative
            s.byDirectory[relative] = descriptor
            s.retired.remove(descriptor)
            return known == descriptor ? .same : .new
        }
    }

    /// Stops watching `relative` and every directory below it (they left the captured tree).
    package func unwatch(under relative: String) {
        let prefix = relative + "/"
        state.withLock { s in remove(where: { relative.isEmpty || $0 == relative || $0.hasPrefix(prefix) }, &s) }
    }

    /// Stops watching every directory not in `kept` (after a full walk: what became ignored or
    /// left the tree).
    package func unwatch(except kept: Set<String>) {
        state.withLock { s in remove(where: { !kept.contains($0) }, &s) }
    }

    private func remove(where matches: (String) -> Bool, _ s: inout State) {
        for (descriptor, directory) in s.byDescriptor where matches(directory) {
            s.byDescriptor[descriptor] = nil
            if !s.closed { _ = inotify_rm_watch(inotify, descriptor) }
            s.retired.insert(descriptor)
        }
        for directory in s.byDirectory.keys where matches(directory) { s.byDirectory[directory] = nil }
    }

    /// The calls a scan makes as it goes.
    package var hooks: JournalHooks {
        JournalHooks(watch: { self.watch($0) }, unwatch: { self.unwatch(under: $0) })
    }

    /// Directories watched.
    package var watchCount: Int { state.withLock { $0.byDirectory.count } }

    /// Ends the background thread and closes the descriptors; every later ``take()`` is uncertain.
    package func stop() {
        let wake = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.closed = true
            s.uncertainty = "the change journal is stopped"
            if !background { close(inotify) }
            return background
        }
        if wake {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    // MARK: Reading events

    private func loop() {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                state.withLock { s in s.uncertainty = s.uncertainty ?? "the change journal's reader failed" }
                break
            }
            if fds[1].revents != 0 { break }
            if fds[0].revents != 0 { state.withLock { drain(&$0) } }
        }
        state.withLock { s in
            s.closed = true
            s.uncertainty = s.uncertainty ?? "the change journal is stopped"
            close(inotify)
        }
        close(wakeRead)
        close(wakeWrite)
    }

    /// Reads every queued event (the descriptor is non-blocking). Called with the lock held.
    private func drain(_ s: inout State) {
        guard !s.closed else { return }
        withUnsafeTemporaryAllocation(byteCount: 64 * 1024, alignment: 8) { buffer in
            while true {
                let count = read(inotify, buffer.baseAddress, buffer.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    if errno != EAGAIN && errno != EWOULDBLOCK { note("cannot read the inotify queue: \(String(cString: strerror(errno)))", &s) }
                    return
                }
                if count == 0 { return }
                parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), &s)
            }
        }
    }

    /// `struct inotify_event`: wd i32, mask u32, cookie u32, len u32, name[len] (NUL-padded).
    private func parse(_ raw: UnsafeRawBufferPointer, _ s: inout State) {
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
                note("the kernel's inotify queue overflowed (more changes than fs.inotify.max_queued_events between two reads)", &s)
                continue
            }
            if mask & InotifyMask.ignored != 0 {
                s.retired.remove(descriptor)
                if let directory = s.byDescriptor.removeValue(forKey: descriptor) {
                    if s.byDirectory[directory] == descriptor { s.byDirectory[directory] = nil }
                    if directory.isEmpty { note("the work directory's watch ended (moved, deleted or unmounted)", &s) }
                }
                continue
            }
            guard let directory = s.byDescriptor[descriptor] else {
                if !s.retired.contains(descriptor) { note("an event for a directory the journal does not know", &s) }
                continue
            }
            if mask & InotifyMask.unmount != 0 {
                note("a file system under the work directory was unmounted", &s)
                continue
            }
            guard !nameBytes.isEmpty else {
                // Events on a directory itself also reach its parent's watch by name, except
                // for the work directory, whose parent is not watched.
                if directory.isEmpty && mask & (InotifyMask.deleteSelf | InotifyMask.moveSelf) != 0 {
                    note("the work directory itself was moved or deleted", &s)
                }
                continue
            }
            guard s.uncertainty == nil else { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            s.dirty.insert(directory.isEmpty ? name : directory + "/" + name)
            if s.dirty.count > maxChanges {
                note("more than \(maxChanges) paths changed", &s)
            }
        }
    }

    private func note(_ reason: String, _ s: inout State) {
        if s.uncertainty == nil { s.uncertainty = reason }
        s.dirty = []
    }

    /// Why inotify cannot see every change on the file system holding `path` (changes made by
    /// other machines on network file systems raise no events here), or nil.
    private static func unwatchableFileSystem(_ path: String) -> String? {
        // `struct statfs` begins with `f_type` (a `long`); Glibc's Swift module leaves it out.
        let type = withUnsafeTemporaryAllocation(byteCount: 512, alignment: 8) { buffer -> Int? in
            guard kode_statfs(path, buffer.baseAddress!) == 0 else { return nil }
            return buffer.baseAddress!.load(as: Int.self)
        }
        guard let type else { return nil }
        let remote: [Int: String] = [
            0x6969: "NFS", 0xFF53_4D42: "CIFS", 0xFE53_4D42: "SMB2", 0x517B: "SMB", 0x6573_5546: "FUSE",
            0x0102_1997: "9p", 0x0BD0_0BD0: "Lustre", 0x0115_6157: "GFS2", 0xA501_FCF5: "AFS",
        ]
        guard let kind = remote[type & 0xFFFF_FFFF] else { return nil }
        return "the work directory is on \(kind), where inotify does not see changes made elsewhere"
    }
}

@_silgen_name("statfs") private func kode_statfs(_ path: UnsafePointer<CChar>, _ buffer: UnsafeMutableRawPointer) -> Int32

/// The inotify event bits (fixed by the Linux ABI; spelled out because Glibc's Swift module
/// imports some of them with types that do not combine).
private enum InotifyMask {
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

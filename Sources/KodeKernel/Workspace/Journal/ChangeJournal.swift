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
/// one made during the snapshot is in the next set. The reader thread (one per process, see
/// ``InotifyHub``) only keeps the kernel's queue (16,384 events by default) from overflowing
/// between snapshots; it blocks in `poll` and costs nothing while nothing changes.
package final class ChangeJournal: Sendable {
    private struct State {
        var dirty: Set<String> = []
        var uncertainty: String? = "the change journal has not covered the work directory yet (first snapshot)"
        var byDescriptor: [Int32: String] = [:]
        var byDirectory: [String: Int32] = [:]
        /// Watches this journal let go of whose `IN_IGNORED` may not have come yet: their late
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
    private let hub: InotifyHub
    /// Set when the file system is one where inotify cannot see every change: never certain.
    private let permanentUncertainty: String?
    private let state = Mutex(State())

    /// A journal for `workDir`, or nil when inotify is not available. `drainsInBackground: false`
    /// gives it an inotify instance of its own whose events stay in the kernel's queue until
    /// ``take()`` (the overflow test uses it).
    package init?(workDir: String, maxWatches: Int = 100_000, maxChanges: Int = 100_000, drainsInBackground: Bool = true) {
        guard let hub = drainsInBackground ? InotifyHub.shared : InotifyHub(background: false) else { return nil }
        self.workDir = workDir
        self.maxWatches = maxWatches
        self.maxChanges = maxChanges
        self.hub = hub
        permanentUncertainty = Self.unwatchableFileSystem(workDir)
        hub.register(self)
    }

    /// The paths changed since the previous call, or why that cannot be said. Either way the
    /// journal starts a new interval: the caller's snapshot (a re-stat of the paths, or a full
    /// walk that re-watches every directory) covers everything up to now.
    package func take() -> JournalTake {
        hub.drain()
        return state.withLock { s in
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
        let full = state.withLock { s -> DirectoryWatch? in
            if s.closed { return .failed("the change journal is stopped") }
            if s.byDirectory[relative] == nil && s.byDirectory.count >= maxWatches {
                return .failed("more than \(maxWatches) directories to watch")
            }
            return nil
        }
        if let full { return full }
        return hub.watch(absolute, mask: InotifyMask.watched, for: self, { descriptor in
            state.withLock { s -> DirectoryWatch in
                let known = s.byDirectory[relative]
                // A descriptor that named another path (the directory moved here) now names this
                // one; one that named this path and is not this directory's keeps its path until
                // it is re-watched elsewhere or let go, so its events are never unaccounted for.
                if let old = s.byDescriptor[descriptor], old != relative, s.byDirectory[old] == descriptor {
                    s.byDirectory[old] = nil
                }
                s.byDescriptor[descriptor] = relative
                s.byDirectory[relative] = descriptor
                s.retired.remove(descriptor)
                return known == descriptor ? .same : .new
            }
        }, failed: { code in
            if code == ENOSPC { return .failed("the system's inotify watch limit (fs.inotify.max_user_watches) is reached") }
            return .failed("cannot watch \(relative.isEmpty ? "the work directory" : relative): \(String(cString: strerror(code)))")
        })
    }

    /// Stops watching `relative` and every directory below it (they left the captured tree).
    package func unwatch(under relative: String) {
        let prefix = relative + "/"
        remove { relative.isEmpty || $0 == relative || $0.hasPrefix(prefix) }
    }

    /// Stops watching every directory not in `kept` (after a full walk: what became ignored or
    /// left the tree).
    package func unwatch(except kept: Set<String>) {
        remove { !kept.contains($0) }
    }

    private func remove(where matches: (String) -> Bool) {
        let released = state.withLock { s -> [Int32] in
            var released: [Int32] = []
            for (descriptor, directory) in s.byDescriptor where matches(directory) {
                s.byDescriptor[descriptor] = nil
                s.retired.insert(descriptor)
                released.append(descriptor)
            }
            for directory in s.byDirectory.keys where matches(directory) { s.byDirectory[directory] = nil }
            return released
        }
        if !released.isEmpty { hub.release(released, for: self) }
    }

    /// The calls a scan makes as it goes.
    package var hooks: JournalHooks {
        JournalHooks(watch: { self.watch($0) }, unwatch: { self.unwatch(under: $0) })
    }

    /// Directories watched.
    package var watchCount: Int { state.withLock { $0.byDirectory.count } }

    /// Lets go of every watch; every later ``take()`` is uncertain.
    package func stop() {
        let first = state.withLock { s -> Bool in
            defer {
                s.closed = true
                s.uncertainty = "the change journal is stopped"
            }
            return !s.closed
        }
        if first { hub.unregister(self) }
    }

    // MARK: Events (from the hub, under its lock)

    /// Something made the journal unable to say what changed (an overflow, a failed read).
    func lost(_ reason: String) {
        state.withLock { note(reason, &$0) }
    }

    /// One event on a watch this journal holds.
    func received(_ descriptor: Int32, mask: UInt32, name: String) {
        state.withLock { s in
            if mask & InotifyMask.ignored != 0 {
                s.retired.remove(descriptor)
                if let directory = s.byDescriptor.removeValue(forKey: descriptor) {
                    if s.byDirectory[directory] == descriptor { s.byDirectory[directory] = nil }
                    if directory.isEmpty { note("the work directory's watch ended (moved, deleted or unmounted)", &s) }
                }
                return
            }
            guard let directory = s.byDescriptor[descriptor] else {
                if !s.retired.contains(descriptor) { note("an event for a directory the journal does not know", &s) }
                return
            }
            if mask & InotifyMask.unmount != 0 {
                note("a file system under the work directory was unmounted", &s)
                return
            }
            guard !name.isEmpty else {
                // Events on a directory itself also reach its parent's watch by name, except
                // for the work directory, whose parent is not watched.
                if directory.isEmpty && mask & (InotifyMask.deleteSelf | InotifyMask.moveSelf) != 0 {
                    note("the work directory itself was moved or deleted", &s)
                }
                return
            }
            guard s.uncertainty == nil else { return }
            s.dirty.insert(directory.isEmpty ? name : directory + "/" + name)
            if s.dirty.count > maxChanges { note("more than \(maxChanges) paths changed", &s) }
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
#endif

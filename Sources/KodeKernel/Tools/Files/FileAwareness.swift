import Foundation
import Synchronization

/// What an agent knows about the files its tools read and wrote (docs/PERMISSIONS-AND-TOOLS.md,
/// "File awareness"): the state of each file as the agent last saw it, so `fs_write`, `fs_edit`
/// and `fs_multi_edit` refuse to overwrite a file that changed on disk since, and a watcher that
/// reports changes made by anything else (a person, an editor, `bash_run`) as they happen.
///
/// Kept for the life of the open agent; a resumed agent starts knowing nothing (a write is then
/// allowed, and the file is known from that moment on).
public final class FileAwareness: Sendable {
    /// A change to a known file that the agent's own file tools did not make.
    public typealias ChangeHandler = @Sendable (_ shownPath: String, _ action: FileChange.Action) -> Void

    private struct Known {
        /// How the agent last saw the file (nil: it did not exist).
        var stamp: FileStamp?
        var shown: String
        /// The last state reported as an outside change, so one change is reported once.
        var reported: FileStamp??
    }

    private struct State {
        var known: [String: Known] = [:]
        /// Paths an agent tool is writing right now: their events are the agent's own.
        var writing: Set<String> = []
        var watcher: FileWatcher?
        var onChange: ChangeHandler?
        var stopped = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Starts reporting outside changes to known files to `handler` (on Linux, through inotify:
    /// no polling, no cost while nothing changes). Files already known are watched too.
    public func startWatching(_ handler: @escaping ChangeHandler) {
        let paths = state.withLock { s -> [String] in
            s.onChange = handler
            return Array(s.known.keys)
        }
        for path in paths { watch(path) }
    }

    /// Stops the watcher; nothing is reported after this returns.
    public func stop() {
        let watcher = state.withLock { s -> FileWatcher? in
            s.stopped = true
            s.onChange = nil
            defer { s.watcher = nil }
            return s.watcher
        }
        watcher?.stop()
    }

    /// Files known, by absolute path.
    public var knownPaths: [String] { state.withLock { Array($0.known.keys) } }

    /// Directories the watcher watches (each known file's directory).
    public var watchedDirectories: Int { state.withLock { $0.watcher?.watchCount ?? 0 } }

    /// Remembers `url` as the agent just read it. Called with the stamp taken before the read,
    /// so a change racing the read makes the next write refuse rather than pass.
    func didRead(_ url: URL, shown: String, stamp: FileStamp?) {
        remember(url.path, shown: shown, stamp: stamp)
    }

    /// Checks that `url` is as the agent last saw it and marks it as being written by the agent.
    /// A file the agent never read or wrote may be written (and is known from then on).
    func beginWrite(_ url: URL, shown: String) throws {
        let path = url.path
        let current = FileStamp.of(path)
        try state.withLock { s in
            if let known = s.known[path], known.stamp != current {
                let what = current == nil ? "was deleted" : "changed on disk"
                throw ToolFailure("\(shown) \(what) since you last read it (something other than your file tools changed it); read it again with fs_read, then make your change against what it holds now")
            }
            s.writing.insert(path)
        }
    }

    /// Records the agent's own write (or its failure) and ends the mark `beginWrite` set.
    func endWrite(_ url: URL, shown: String) {
        let path = url.path
        let stamp = FileStamp.of(path)
        state.withLock { s in
            s.writing.remove(path)
            s.known[path, default: Known(stamp: stamp, shown: shown)].stamp = stamp
            s.known[path]?.reported = nil
        }
        watch(path)
    }

    private func remember(_ path: String, shown: String, stamp: FileStamp?) {
        state.withLock { s in
            s.known[path] = Known(stamp: stamp, shown: shown)
        }
        watch(path)
    }

    private func watch(_ path: String) {
        #if canImport(Glibc)
        let watcher = state.withLock { s -> FileWatcher? in
            guard !s.stopped, s.onChange != nil else { return nil }
            if s.watcher == nil {
                s.watcher = FileWatcher { [weak self] directory, name in self?.changed(in: directory, name: name) }
            }
            return s.watcher
        }
        watcher?.watchDirectory(of: path)
        #endif
    }

    /// The watcher saw activity on `name` in `directory`: report it when it is a known file whose
    /// state differs from what the agent saw and from what was last reported.
    private func changed(in directory: String, name: String) {
        let path = directory == "/" ? "/" + name : directory + "/" + name
        let current = FileStamp.of(path)
        let report = state.withLock { s -> (ChangeHandler, String, FileChange.Action)? in
            guard let handler = s.onChange, var known = s.known[path], !s.writing.contains(path) else { return nil }
            let last: FileStamp? = known.reported ?? known.stamp
            guard current != last else { return nil }
            let action: FileChange.Action = current == nil ? .deleted : (last == nil ? .created : .modified)
            known.reported = .some(current)
            s.known[path] = known
            return (handler, known.shown, action)
        }
        if let (handler, shown, action) = report { handler(shown, action) }
    }
}

/// What identifies one version of a file cheaply: device, inode, size, modification and change
/// times (nanoseconds). Any write through any path changes at least one of them.
struct FileStamp: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    /// The stamp of `path` now; nil when it does not exist.
    static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let m = info.st_mtimespec, c = info.st_ctimespec
        #else
        let m = info.st_mtim, c = info.st_ctim
        #endif
        return FileStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int64(m.tv_sec) * 1_000_000_000 + Int64(m.tv_nsec),
            changed: Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec))
    }
}

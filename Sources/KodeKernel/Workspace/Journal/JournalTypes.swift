/// What ``ChangeJournal/take()`` found.
package enum JournalTake: Sendable, Equatable {
    /// Paths (relative to the work directory) that may have changed; nothing else did.
    case changes(Set<String>)
    /// The journal cannot say; the reason is shown in the benchmark and the snapshot's report.
    case uncertain(String)
}

/// The result of watching one directory.
package enum DirectoryWatch: Sendable, Equatable {
    /// It was already watched under this path: the journal has covered it since.
    case same
    /// A new watch (a new directory, or one that moved here).
    case new
    case failed(String)
}

/// What a scan tells the change journal as it goes: a directory is about to be listed (watch it
/// first, so what changes after the listing is journaled), or left the captured tree.
package struct JournalHooks {
    var watch: (String) -> DirectoryWatch
    var unwatch: (String) -> Void
}

/// How a snapshot found what changed.
package enum SnapshotMethod: Sendable, Equatable {
    /// The change journal named these many paths; only they were looked at.
    case journal(rechecked: Int)
    /// Every directory was listed and every entry stat'ed, for this reason.
    case fullWalk(reason: String)
}

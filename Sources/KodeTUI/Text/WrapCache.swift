/// Laid-out lines per conversation entry, per width: an entry is wrapped once for a width and
/// reused for every frame until it changes (its version) or the width changes. Owned by the UI
/// loop (not shared across threads).
package final class WrapCache {
    private struct Key: Hashable {
        var id: Int
        var width: Int
    }
    private struct Entry {
        var version: Int
        var lines: [StyledLine]
    }
    private var entries: [Key: Entry] = [:]
    private var currentWidth = -1

    /// An empty cache.
    package init() {}

    /// The cached lines for entry `id` at `width` and `version`, computing them with `make` on a miss.
    package func lines(id: Int, version: Int, width: Int, make: () -> [StyledLine]) -> [StyledLine] {
        if width != currentWidth {
            // A resize: the old width's lines are unlikely to be needed again soon.
            entries.removeAll(keepingCapacity: true)
            currentWidth = width
        }
        let key = Key(id: id, width: width)
        if let e = entries[key], e.version == version { return e.lines }
        let lines = make()
        entries[key] = Entry(version: version, lines: lines)
        return lines
    }

    /// Number of cached entries (for tests and benches).
    package var count: Int { entries.count }

    /// Drops everything (a new agent is shown).
    package func removeAll() { entries.removeAll() }
}

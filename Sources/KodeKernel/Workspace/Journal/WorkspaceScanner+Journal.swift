import Foundation

extension WorkspaceScanner {
    /// The tree as it is now, built from `previous` by looking only at `changes` — the paths the
    /// change journal saw change since `previous` was scanned. Each changed name is looked at
    /// exactly as a full walk would (``scanName(_:in:absolute:prior:previous:rules:directories:report:batch:)``),
    /// a new or moved-in directory is scanned whole, and the tree objects on the way up to the
    /// root are rebuilt; every other entry is `previous`'s, which a full walk would have reused
    /// too (its size, mtime and inode did not change, or the journal would name it).
    ///
    /// Returns nil when the changes need a full walk: a `.gitignore` changed, which can change
    /// what is captured anywhere below it. A `.gitignore` the journal names but whose size,
    /// mtime and inode are what `previous` holds did not change (an event that carried no edit,
    /// such as a late one for a write the last walk already read): no walk for it.
    func update(previous: WorkspaceTree, ignoredNames: [String: Set<String>], changes: Set<String>, batch: BlobBatch) throws -> (WorkspaceTree, Report)? {
        if changes.contains(where: { ($0 == ".gitignore" || $0.hasSuffix("/.gitignore")) && ignoreFileChanged($0, previous: previous) }) { return nil }
        var report = Report()
        report.method = .journal(rechecked: changes.count)
        report.ignoredNames = ignoredNames
        var directories = previous.directories
        var byParent: [String: [String]] = [:]
        for path in changes {
            let (parent, name) = Self.split(path)
            byParent[parent, default: []].append(name)
        }
        // Parents first: a removed or rescanned directory settles what is below it.
        let order = byParent.keys.sorted { Self.depth($0) != Self.depth($1) ? Self.depth($0) < Self.depth($1) : $0 < $1 }
        var touched: Set<String> = []
        var rescanned: [String] = []
        var ruleCache: [String: IgnoreRules] = [:]
        for parent in order {
            guard let current = directories[parent], !rescanned.contains(where: { Self.isAt(parent, orBelow: $0) }) else { continue }
            var rules = self.rules(for: parent, cache: &ruleCache)
            let absolute = parent.isEmpty ? workDir : workDir + "/" + parent
            var entries: [String: WorkspaceEntry] = [:]
            for entry in current { entries[entry.name] = entry }
            for name in byParent[parent, default: []].sorted() {
                let rel = parent.isEmpty ? name : parent + "/" + name
                let prior = entries[name]
                if let prior, prior.kind == .directory, let same = sameDirectory(name, rel: rel, absolute: absolute, prior: prior, rules: rules) {
                    entries[name] = same
                    continue
                }
                if prior?.kind == .directory {
                    Self.removeSubtree(rel, from: &directories, ignoredNames: &report.ignoredNames)
                    journal?.unwatch(rel)
                }
                report.ignoredNames[parent]?.remove(name)
                if let entry = try scanName(name, in: parent, absolute: absolute, prior: prior, previous: previous,
                                            rules: &rules, directories: &directories, report: &report, batch: batch) {
                    entries[name] = entry
                    if entry.kind == .directory { rescanned.append(rel) }
                } else {
                    entries[name] = nil
                    if let prior { report.changed += prior.kind == .directory ? Self.paths(under: rel, in: previous) : [rel] }
                }
            }
            let sorted = entries.values.sorted { $0.name < $1.name }
            if sorted != current {
                directories[parent] = sorted
                touched.insert(parent)
            }
        }
        let rootHash = try rehash(touched, directories: &directories, previous: previous, batch: batch)
        report.ignoredNames = report.ignoredNames.filter { !$0.value.isEmpty }
        report.ignored = report.ignoredNames.values.reduce(0) { $0 + $1.count }
        Self.count(directories, into: &report)
        return (WorkspaceTree(rootHash: rootHash, directories: directories), report)
    }

    /// The entry for a directory that is still the one `previous` scanned at this path — the
    /// journal has watched it all along, so its contents are `previous`'s plus what the journal
    /// named inside it — or nil when it must be scanned whole (new, moved here, replaced).
    private func sameDirectory(_ name: String, rel: String, absolute: String, prior: WorkspaceEntry, rules: IgnoreRules) -> WorkspaceEntry? {
        guard let journal, let stat = PosixFiles.lstat(absolute + "/" + name), stat.kind == .directory,
              rules.verdict(rel, name: name, isDirectory: true) == .capture,
              journal.watch(rel) == .same else { return nil }
        return WorkspaceEntry(name: name, kind: .directory, mode: stat.mode, size: 0, hash: prior.hash, mtimeNanos: 0, inode: stat.inode)
    }

    /// New tree objects for the directories whose entries changed and every directory above
    /// them, deepest first; returns the root's hash. A directory whose entries end up as they
    /// were keeps its hash, as in a full walk.
    private func rehash(_ touched: Set<String>, directories: inout [String: [WorkspaceEntry]], previous: WorkspaceTree, batch: BlobBatch) throws -> String {
        var pending = touched
        for directory in touched {
            var path = directory
            while !path.isEmpty {
                path = Self.split(path).parent
                pending.insert(path)
            }
        }
        guard !pending.isEmpty else { return previous.rootHash }
        var rootHash = previous.rootHash
        for directory in pending.sorted(by: { Self.depth($0) > Self.depth($1) }) {
            guard let entries = directories[directory] else { continue }
            let (parent, name) = Self.split(directory)
            let previousHash = directory.isEmpty
                ? previous.rootHash
                : previous.directories[parent]?.first { $0.name == name && $0.kind == .directory }?.hash
            let hash: String
            if let previousHash, previous.directories[directory] == entries {
                hash = previousHash
            } else {
                hash = try TreeObject(entries: entries).encoded().withUnsafeBytes { (raw) in try batch.put(raw) }
            }
            if directory.isEmpty {
                rootHash = hash
            } else if let index = directories[parent]?.firstIndex(where: { $0.name == name }) {
                directories[parent]?[index].hash = hash
            }
        }
        return rootHash
    }

    /// The ignore rules in force inside `directory`: the config's, then every `.gitignore` from
    /// the work directory down to it, as a walk would have collected them.
    private func rules(for directory: String, cache: inout [String: IgnoreRules]) -> IgnoreRules {
        if let cached = cache[directory] { return cached }
        var rules = directory.isEmpty ? IgnoreRules(config: config) : self.rules(for: Self.split(directory).parent, cache: &cache)
        let absolute = directory.isEmpty ? workDir : workDir + "/" + directory
        if let text = try? PosixFiles.read(absolute + "/.gitignore") {
            rules.add(gitignore: String(decoding: text, as: UTF8.self), in: directory)
        }
        cache[directory] = rules
        return rules
    }

    /// Totals of the whole tree: files, bytes and the not-captured paths in walk order.
    private static func count(_ directories: [String: [WorkspaceEntry]], into report: inout Report) {
        // What the changed names' scans counted is recounted here with the rest.
        report.files = 0
        report.bytes = 0
        var notCaptured: [WorkspaceNotCaptured] = []
        for (directory, entries) in directories {
            for entry in entries {
                switch entry.kind {
                case .file:
                    report.files += 1
                    report.bytes += entry.size
                case .notCaptured:
                    notCaptured.append(WorkspaceNotCaptured(path: directory.isEmpty ? entry.name : directory + "/" + entry.name, reason: entry.detail))
                default:
                    break
                }
            }
        }
        // A walk meets them in this order: name by name, each directory's contents right after it.
        report.notCaptured = notCaptured.sorted {
            $0.path.split(separator: "/").map(String.init).lexicographicallyPrecedes($1.path.split(separator: "/").map(String.init))
        }
    }

    private static func removeSubtree(_ relative: String, from directories: inout [String: [WorkspaceEntry]], ignoredNames: inout [String: Set<String>]) {
        let prefix = relative + "/"
        for key in directories.keys where key == relative || key.hasPrefix(prefix) { directories[key] = nil }
        for key in ignoredNames.keys where key == relative || key.hasPrefix(prefix) { ignoredNames[key] = nil }
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    static func depth(_ path: String) -> Int {
        path.isEmpty ? 0 : path.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
    }

    static func isAt(_ path: String, orBelow directory: String) -> Bool {
        path == directory || path.hasPrefix(directory + "/")
    }

    /// Whether the `.gitignore` at `path` differs from the one `previous` captured (or appeared
    /// or went away).
    private func ignoreFileChanged(_ path: String, previous: WorkspaceTree) -> Bool {
        let (parent, name) = Self.split(path)
        guard let prior = previous.directories[parent]?.first(where: { $0.name == name }), prior.kind == .file else { return true }
        guard let now = PosixFiles.lstat(workDir + "/" + path), now.kind == .file else { return true }
        return now.size != prior.size || now.mtimeNanos != prior.mtimeNanos || now.inode != prior.inode || now.mode != prior.mode
    }
}

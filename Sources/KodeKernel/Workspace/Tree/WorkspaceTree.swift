import Foundation

/// A whole snapshot in memory: every directory's entries, keyed by its path relative to the
/// work directory (`""` is the work directory itself). Loaded from the blob store by root hash,
/// or produced by ``WorkspaceScanner``.
public struct WorkspaceTree: Sendable, Hashable {
    /// The root tree object's hash: the snapshot's identity.
    public var rootHash: String
    /// Directory path → its entries sorted by name.
    public var directories: [String: [WorkspaceEntry]]

    public init(rootHash: String, directories: [String: [WorkspaceEntry]]) {
        self.rootHash = rootHash
        self.directories = directories
    }

    /// Reads the tree `rootHash` and every tree object below it.
    public static func load(_ rootHash: String, from blobs: BlobStore) throws -> WorkspaceTree {
        var directories: [String: [WorkspaceEntry]] = [:]
        var pending: [(String, String)] = [("", rootHash)]
        while let (path, hash) = pending.popLast() {
            let object = try TreeObject.decode(try blobs.read(hash), source: blobs.path(of: hash))
            directories[path] = object.entries
            for entry in object.entries where entry.kind == .directory {
                pending.append((path.isEmpty ? entry.name : path + "/" + entry.name, entry.hash))
            }
        }
        return WorkspaceTree(rootHash: rootHash, directories: directories)
    }

    /// Every entry with its relative path, directories before what they hold.
    public var flattened: [(path: String, entry: WorkspaceEntry)] {
        var out: [(String, WorkspaceEntry)] = []
        func walk(_ directory: String) {
            for entry in directories[directory] ?? [] {
                let path = directory.isEmpty ? entry.name : directory + "/" + entry.name
                out.append((path, entry))
                if entry.kind == .directory { walk(path) }
            }
        }
        walk("")
        return out
    }

    /// Path → entry for every entry.
    public var byPath: [String: WorkspaceEntry] {
        var map: [String: WorkspaceEntry] = [:]
        for (path, entry) in flattened { map[path] = entry }
        return map
    }

    /// Files (captured ones) and their total size.
    public var fileCount: Int { directories.values.reduce(0) { $0 + $1.filter { $0.kind == .file }.count } }

    /// Every blob this tree needs: its tree objects and file contents.
    public var blobHashes: Set<String> {
        var hashes: Set<String> = [rootHash]
        for entries in directories.values {
            for entry in entries where entry.kind == .file || entry.kind == .directory { hashes.insert(entry.hash) }
        }
        return hashes
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks a directory tree depth-first in name order, without following symlinked directories
/// (they could lead out of the sandbox or loop) and without entering `.git`.
struct DirectoryWalker {
    /// What an entry is, from `lstat`.
    enum Kind {
        case file
        case directory
        case symlink
        case other
    }

    /// One entry: its path relative to the walk's display root, and where it is.
    struct Entry {
        let relativePath: String
        let url: URL
        let kind: Kind
    }

    /// Directory names never entered.
    static let skippedDirectories: Set<String> = [".git"]

    /// The most entries one walk looks at, so a tool call on a huge tree ends.
    let maxVisited: Int
    private(set) var visited = 0
    /// True when the walk stopped at `maxVisited`.
    private(set) var hitLimit = false

    init(maxVisited: Int = 200_000) {
        self.maxVisited = maxVisited
    }

    /// Calls `visit` for every entry under `directory` (not the directory itself); `visit` returns
    /// `false` to stop. `prefix` is prepended to relative paths (`""` or `"src/"`).
    mutating func walk(_ directory: URL, prefix: String, visit: (Entry) -> Bool) {
        _ = walkLevel(directory, prefix: prefix, visit: visit)
    }

    private mutating func walkLevel(_ directory: URL, prefix: String, visit: (Entry) -> Bool) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return true }
        for name in names.sorted() {
            visited += 1
            if visited > maxVisited {
                hitLimit = true
                return false
            }
            let url = directory.appendingPathComponent(name)
            let entry = Entry(relativePath: prefix + name, url: url, kind: Self.kind(of: url.path))
            if entry.kind == .directory && Self.skippedDirectories.contains(name) { continue }
            guard visit(entry) else { return false }
            if entry.kind == .directory {
                guard walkLevel(url, prefix: entry.relativePath + "/", visit: visit) else { return false }
            }
        }
        return true
    }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }
}

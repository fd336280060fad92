import Foundation

/// The git directories of a working directory that live outside it, which `git commit` must be
/// able to write: a linked worktree's `.git` is a file naming its own git directory elsewhere,
/// which in turn names the common directory holding objects and refs.
enum GitDirectories {
    /// The git directory and common directory of `workDir` when they are outside it; empty otherwise.
    static func outside(_ workDir: String) -> [String] {
        guard let gitDir = pointer(in: workDir + "/.git", prefix: "gitdir:", relativeTo: workDir) else { return [] }
        var found = [gitDir]
        if let common = pointer(in: gitDir + "/commondir", prefix: "", relativeTo: gitDir) { found.append(common) }
        return found.filter { !PhysicalPath.isInside($0, root: workDir) }
    }

    /// The path a one-line pointer file names (`gitdir: ../x`), resolved; nil when there is none.
    private static func pointer(in file: String, prefix: String, relativeTo base: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
              let text = try? String(contentsOfFile: file, encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix(prefix) else { return nil }
        let named = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard !named.isEmpty else { return nil }
        let absolute = named.hasPrefix("/") ? named : base + "/" + named
        return try? PhysicalPath.resolve(absolute)
    }
}

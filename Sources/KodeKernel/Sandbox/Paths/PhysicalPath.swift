import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves an absolute path the way the kernel would walk it: every existing component that is
/// a symlink is replaced by its target (relative targets against the link's directory), `..`
/// goes to the *physical* parent, and components past the first one that does not exist are
/// taken literally. So `link/../x`, a symlinked parent directory, a dangling symlink and a file
/// that is about to be created all resolve to where a write would really land.
enum PhysicalPath {
    /// Links followed before giving up, like the kernel's own loop limit.
    static let maxSymlinkHops = 40

    /// Why a path cannot be resolved.
    struct Failure: Error {
        let reason: String
    }

    static func resolve(_ absolutePath: String) throws(Failure) -> String {
        precondition(absolutePath.hasPrefix("/"), "PhysicalPath.resolve needs an absolute path")
        // A stack of components still to walk; the next one is at the end.
        var pending = Array(components(absolutePath).reversed())
        var resolved: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR {
                    // Does not exist (yet): the rest is taken as written.
                    resolved.append(component)
                    continue
                }
                throw Failure(reason: "\(candidate): \(String(cString: strerror(code)))")
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            hops += 1
            guard hops <= maxSymlinkHops else {
                throw Failure(reason: "more than \(maxSymlinkHops) symlinks (a loop?) at \(candidate)")
            }
            let target = try readLink(candidate)
            if target.hasPrefix("/") { resolved.removeAll() }
            pending.append(contentsOf: components(target).reversed())
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Collapses `.`, `..` and repeated slashes without touching the file system.
    static func lexical(_ absolutePath: String) -> String {
        var resolved: [String] = []
        for component in components(absolutePath) where component != "." {
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
            } else {
                resolved.append(component)
            }
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// True when `path` is `root` or below it (both absolute and resolved).
    static func isInside(_ path: String, root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func readLink(_ path: String) throws(Failure) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else {
            throw Failure(reason: "cannot read symlink \(path): \(String(cString: strerror(errno)))")
        }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

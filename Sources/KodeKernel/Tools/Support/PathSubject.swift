/// The permission subject for a path argument: the path as the model wrote it, with `.`, `..`
/// and repeated slashes collapsed lexically and a leading `./` dropped, so `./src/../src/a.swift`
/// and `src/a.swift` meet the same patterns. Confinement itself is the sandbox's job.
enum PathSubject {
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == ".." && absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}

import Foundation

/// `.gitignore`-style rules: the lines of every `.gitignore` met on the way down, plus the
/// config's `exclude` and `include` patterns. The last matching line wins; `!` re-includes.
///
/// Supported: comments, blank lines, `!` negation, a trailing `/` (directories only), a leading
/// or inner `/` (anchored to the file's directory), `*`, `?`, `[…]` and `**`. Not supported:
/// escaped leading `#`/`!` and trailing-space escapes (rare; such lines match literally).
struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        /// The directory (relative to the work directory) the rule's file sits in.
        var base: String
        var glob: GlobPattern
        var anchored: Bool
        var directoryOnly: Bool
        var negated: Bool
    }

    private(set) var rules: [Rule] = []
    private let exclude: [Rule]
    private let include: [Rule]

    init(config: WorkspaceConfig) {
        exclude = config.exclude.compactMap { Self.parse($0, base: "") }
        include = config.include.compactMap { Self.parse($0, base: "") }
    }

    static func parse(_ line: Substring, base: String) -> Rule? {
        parse(String(line), base: base)
    }

    static func parse(_ line: String, base: String) -> Rule? {
        var text = line.hasSuffix("\r") ? String(line.dropLast()) : line
        while text.hasSuffix(" ") { text.removeLast() }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text.removeFirst()
        }
        var directoryOnly = false
        if text.hasSuffix("/") {
            directoryOnly = true
            text.removeLast()
        }
        let anchored = text.contains("/")
        while text.hasPrefix("/") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        return Rule(base: base, glob: GlobPattern(text), anchored: anchored, directoryOnly: directoryOnly, negated: negated)
    }

    /// Adds the lines of the `.gitignore` found in `directory`.
    mutating func add(gitignore text: String, in directory: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            if let rule = Self.parse(line, base: directory) { rules.append(rule) }
        }
    }

    /// Drops the rules of directories that are not `directory` or above it (the walk left them).
    mutating func leave(to depthCount: Int) {
        if rules.count > depthCount { rules.removeLast(rules.count - depthCount) }
    }

    enum Verdict { case capture, ignoredByGit, excluded }

    /// Whether `path` (relative, `/`-separated) is captured.
    func verdict(_ path: String, name: String, isDirectory: Bool) -> Verdict {
        if Self.lastMatch(exclude, path, name, isDirectory) == true { return .excluded }
        if Self.lastMatch(include, path, name, isDirectory) == true { return .capture }
        return Self.lastMatch(rules, path, name, isDirectory) == true ? .ignoredByGit : .capture
    }

    /// True (ignored), false (re-included) or nil (no rule matched).
    private static func lastMatch(_ rules: [Rule], _ path: String, _ name: String, _ isDirectory: Bool) -> Bool? {
        for rule in rules.reversed() {
            if rule.directoryOnly && !isDirectory { continue }
            let subject: String
            if rule.anchored {
                if rule.base.isEmpty {
                    subject = path
                } else {
                    guard path.hasPrefix(rule.base + "/") else { continue }
                    subject = String(path.dropFirst(rule.base.count + 1))
                }
            } else {
                if !rule.base.isEmpty && !path.hasPrefix(rule.base + "/") { continue }
                subject = name
            }
            if rule.glob.matches(subject) { return !rule.negated }
        }
        return nil
    }
}

import Foundation
import KodeKernel

/// Writes "always for this project" rules into the project's `.kode/config.toml`: the pattern
/// joins `allow` (or `deny`) of its `[permissions]` table, where the person sees it, can edit or
/// delete it, and where every new agent of the project reads it.
///
/// The file is edited as text so the person's comments and layout elsewhere survive: only the
/// one array is rewritten (a comment inside that array is lost), a missing key is added under
/// the `[permissions]` header, a missing table at the end. The result is parsed and checked
/// against the schema before it replaces the file (atomically, synced), so a rule can never
/// leave a file Kode would refuse to read.
public struct ProjectRuleFile: ProjectRuleWriter {
    /// The environment, for showing paths (`~/…`).
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func add(pattern: String, decision: DecisionKind, workDir: String) throws -> String {
        let path = ConfigPaths.projectFile(workDir: workDir)
        let key = Self.key(decision)
        let (text, document) = try read(path)
        var items = Self.items(document, key)
        if !items.contains(pattern) {
            items.append(pattern)
            let edited = try Self.replacing(key: key, with: items, in: text, file: shown(path))
            try write(edited, to: path)
        }
        let written = try read(path).1
        return "\(shown(path)):\(written?.line(of: ["permissions", key]) ?? 1)"
    }

    public func remove(pattern: String, decision: DecisionKind, workDir: String) throws -> Bool {
        let path = ConfigPaths.projectFile(workDir: workDir)
        let key = Self.key(decision)
        let (text, document) = try read(path)
        var items = Self.items(document, key)
        guard let index = items.firstIndex(of: pattern) else { return false }
        items.remove(at: index)
        try write(try Self.replacing(key: key, with: items, in: text, file: shown(path)), to: path)
        return true
    }

    private static func key(_ decision: DecisionKind) -> String { decision == .allow ? "allow" : "deny" }

    private func shown(_ path: String) -> String { ConfigPaths.shown(path, environment) }

    /// The file's text ("" when there is none) and its parsed, checked document.
    private func read(_ path: String) throws -> (String, ConfigDocument?) {
        guard let document = try ConfigDocument.load(path: path, shownAs: shown(path)) else { return ("", nil) }
        try ConfigSchema.kode.validate(document)
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        return (text, document)
    }

    private static func items(_ document: ConfigDocument?, _ key: String) -> [String] {
        guard case .table(let table)? = document?.root["permissions"] else { return [] }
        return table[key]?.strings ?? []
    }

    /// `text` with `key` of `[permissions]` set to `items`.
    static func replacing(key: String, with items: [String], in text: String, file: String) throws -> String {
        let rendered = "\(key) = [" + items.map { ConfigValue.string($0).description }.joined(separator: ", ") + "]"
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.firstIndex(where: { isHeader($0, "permissions") }) else {
            if lines.contains(where: { $0.trimmingWhitespace().hasPrefix("permissions") }) {
                throw ConfigError(file: file, line: 0, key: "permissions",
                                  message: "[permissions] is not written as a table header here, so Kode cannot add the rule; add it by hand: \(rendered)")
            }
            if let last = lines.last, !last.trimmingWhitespace().isEmpty { lines.append("") }
            lines += ["[permissions]", rendered]
            return lines.joined(separator: "\n") + "\n"
        }
        var end = lines.count
        for index in (header + 1)..<lines.count where lines[index].trimmingWhitespace().hasPrefix("[") {
            end = index
            break
        }
        guard let start = (header + 1..<end).first(where: { assigns(lines[$0], key) }) else {
            lines.insert(rendered, at: header + 1)
            return lines.joined(separator: "\n") + "\n"
        }
        // The array may run over several lines: find the line of its closing bracket.
        guard let last = closingLine(lines, from: start) else {
            throw ConfigError(file: file, line: start + 1, key: "permissions.\(key)",
                              message: "cannot find where the '\(key)' array ends; add the rule by hand")
        }
        lines.replaceSubrange(start...last, with: [rendered])
        return lines.joined(separator: "\n") + "\n"
    }

    private static func isHeader(_ line: String, _ name: String) -> Bool {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix("["), !trimmed.hasPrefix("[[") else { return false }
        let inner = trimmed.dropFirst().prefix(while: { $0 != "]" })
        return inner.trimmingWhitespace() == name
    }

    private static func assigns(_ line: String, _ key: String) -> Bool {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix(key) else { return false }
        return trimmed.dropFirst(key.count).trimmingWhitespace().hasPrefix("=")
    }

    /// The index of the line where the array that starts on `start` closes.
    private static func closingLine(_ lines: [String], from start: Int) -> Int? {
        var depth = 0
        var opened = false
        var quote: Character? = nil
        for index in start..<lines.count {
            var escaped = false
            var seenEquals = index > start
            for c in lines[index] {
                if let q = quote {
                    if escaped { escaped = false } else if c == "\\" && q == "\"" { escaped = true } else if c == q { quote = nil }
                    continue
                }
                if !seenEquals {
                    if c == "=" { seenEquals = true }
                    continue
                }
                if c == "#" { break }
                if c == "\"" || c == "'" { quote = c; continue }
                if c == "[" { depth += 1; opened = true }
                if c == "]" {
                    depth -= 1
                    if opened && depth == 0 { return index }
                }
            }
            // A basic string cannot span lines; a multi-line one in a pattern list is not expected.
            quote = nil
        }
        return nil
    }

    private func write(_ text: String, to path: String) throws {
        // Check the edit before it replaces anything.
        let document = try ConfigDocument(text: text, file: shown(path))
        try ConfigSchema.kode.validate(document)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.config.toml.\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ConfigError(file: shown(path), line: 0, key: nil, message: "cannot write the file: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBytes { buffer in Foundation.write(fd, buffer.baseAddress, buffer.count) == buffer.count } && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfigError(file: shown(path), line: 0, key: nil, message: "cannot write the file: \(String(cString: strerror(errno)))")
        }
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }
}

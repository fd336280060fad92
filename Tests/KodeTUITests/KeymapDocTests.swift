import Foundation
import KodeTUI
import Testing

/// docs/TUI.md's key table is exactly `Keymap.defaults`: every row names a binding that exists,
/// and every binding has its row, with the same keys in the same order.
@Suite struct KeymapDocTests {
    struct Row: Hashable, CustomStringConvertible {
        var context: String
        var keys: [String]
        var command: String
        var description: String { "| \(context) | \(keys.joined(separator: ", ")) | \(command) |" }
    }

    static let doc = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/TUI.md")

    /// The rows of the first table under `## Keys`: `| context | `k1`, `k2` | `command` | does |`.
    static func documentedRows() throws -> [Row] {
        let text = try String(contentsOf: doc, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Keys\n").dropFirst().first, "docs/TUI.md has no ## Keys section")
        let table = section.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("|") }
            .prefix { $0.hasPrefix("|") }
            .dropFirst(2)  // header and separator
        return table.map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            let keys = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            return Row(context: cells[0], keys: keys, command: cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")))
        }
    }

    static func keymapRows() -> [Row] {
        Keymap.defaults.map { b in
            Row(context: b.context.title.lowercased(), keys: b.keys.map(\.description), command: b.command.rawValue)
        }
    }

    /// The table as `Keymap.defaults` spells it: what docs/TUI.md holds, rewritten with
    /// `KODE_UPDATE_GOLDEN=1` (the same switch as the golden screens).
    static func generatedTable() -> String {
        var lines = ["| context | keys | command | does |", "|---|---|---|---|"]
        for b in Keymap.defaults {
            let keys = b.keys.map { "`\($0.description)`" }.joined(separator: ", ")
            lines.append("| \(b.context.title.lowercased()) | \(keys) | `\(b.command.rawValue)` | \(b.help) |")
        }
        return lines.joined(separator: "\n")
    }

    @Test func theKeyTableIsGeneratedFromTheKeymap() throws {
        let text = try String(contentsOf: Self.doc, encoding: .utf8)
        let parts = text.components(separatedBy: "\n## Keys\n")
        try #require(parts.count == 2, "docs/TUI.md has no single ## Keys section")
        var section = parts[1].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(section.firstIndex { $0.hasPrefix("|") })
        let end = section[start...].firstIndex { !$0.hasPrefix("|") } ?? section.count
        let current = section[start..<end].joined(separator: "\n")
        let generated = Self.generatedTable()
        if ProcessInfo.processInfo.environment["KODE_UPDATE_GOLDEN"] == "1", current != generated {
            section.replaceSubrange(start..<end, with: generated.components(separatedBy: "\n"))
            try (parts[0] + "\n## Keys\n" + section.joined(separator: "\n")).write(to: Self.doc, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == generated, "docs/TUI.md's key table is not Keymap.defaults: KODE_UPDATE_GOLDEN=1 swift test --filter KeymapDocTests rewrites it")
    }

    @Test func everyDocumentedKeyIsInTheKeymapAndEveryBindingIsDocumented() throws {
        let documented = try Self.documentedRows()
        let bound = Self.keymapRows()
        #expect(documented.count > 40, "the key table was not found or not parsed")
        for row in documented where !bound.contains(row) { Issue.record("docs/TUI.md lists a binding the keymap lacks: \(row)") }
        for row in bound where !documented.contains(row) { Issue.record("the keymap binds what docs/TUI.md does not list: \(row)") }
        #expect(documented.count == bound.count, "a binding is listed twice")
    }
}

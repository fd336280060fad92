/// A command typed in the composer after `/`: its name, what it takes and what it does. The
/// popup, `/help` and docs/TUI.md's command table all read `SlashCommand.all`.
package struct SlashCommand: Sendable, Hashable {
    package enum Name: String, Sendable, Hashable, CaseIterable {
        case new, agents, rename, model, compact, fork, label, rules, theme, export, help, quit
    }

    package var name: Name
    /// How the arguments are written (`""`: none).
    package var arguments: String
    package var help: String
    /// The key command that does the same, for the help line ("also ctrl+o").
    package var key: (command: Command, context: KeyContext)?

    package static func == (a: SlashCommand, b: SlashCommand) -> Bool { a.name == b.name }
    package func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Every command, in the order the popup lists them.
    package static let all: [SlashCommand] = [
        SlashCommand(name: .new, arguments: "[prompt]", help: "start a new agent with this one's settings (this one keeps running)", key: (.newAgent, .agents)),
        SlashCommand(name: .agents, arguments: "", help: "every agent of the store: switch, search, start a new one", key: (.agents, .global)),
        SlashCommand(name: .rename, arguments: "[title]", help: "give this agent a title (kept in its log, shown by every client); without one, edit it", key: (.rename, .agents)),
        SlashCommand(name: .model, arguments: "[provider/]model", help: "use another model from the next turn on (kept in the agent's log)", key: nil),
        SlashCommand(name: .compact, arguments: "[instructions]", help: "summarise the older conversation now (what to keep in the summary, optionally)", key: nil),
        SlashCommand(name: .fork, arguments: "[checkpoint]", help: "fork this agent (at its newest safe point or a checkpoint) and switch to the child", key: (.fork, .tree)),
        SlashCommand(name: .label, arguments: "text", help: "label the newest checkpoint", key: (.label, .tree)),
        SlashCommand(name: .rules, arguments: "[revoke N|id]", help: "list the \"always\" rules granted to this agent, or revoke one", key: nil),
        SlashCommand(name: .theme, arguments: "name|path.toml", help: "switch the colour theme (dark, light, mono or a file)", key: nil),
        SlashCommand(name: .export, arguments: "[path]", help: "write the transcript as Markdown (default ./kode-<agent>.md)", key: nil),
        SlashCommand(name: .help, arguments: "", help: "the keys and these commands", key: (.help, .global)),
        SlashCommand(name: .quit, arguments: "", help: "quit the app (a hosted agent keeps running)", key: (.interrupt, .global)),
    ]

    /// The command named `name`, exactly.
    package static func named(_ name: String) -> SlashCommand? {
        all.first { $0.name.rawValue == name }
    }

    /// Commands whose name starts with `prefix` (what the popup shows while the name is typed).
    package static func completions(_ prefix: String) -> [SlashCommand] {
        all.filter { $0.name.rawValue.hasPrefix(prefix.lowercased()) }
    }
}

/// A line typed in the composer that starts with `/`, split into the command name and the rest.
package struct SlashLine: Sendable, Hashable {
    package var name: String
    package var argument: String

    /// Nil when `text` is not a command line: it does not start with `/`, or it starts with `//`
    /// (a message that begins with a slash: the first is dropped when sent).
    package init?(_ text: String) {
        guard text.hasPrefix("/"), !text.hasPrefix("//") else { return nil }
        let body = text.dropFirst()
        let name = body.prefix { !$0.isWhitespace }
        self.name = String(name)
        argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True while the person is still typing the name (no space yet): the popup is up.
    package static func typingName(_ text: String) -> Bool {
        text.hasPrefix("/") && !text.hasPrefix("//") && !text.contains(where: \.isWhitespace)
    }
}

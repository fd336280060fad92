/// One instructions file that went into the system prompt, as read.
public struct InstructionFile: Sendable, Hashable, Codable {
    /// The file's absolute path.
    public var path: String
    /// Its text (cut at ``ProjectInstructions/maximumBytes``, with a note saying so).
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// One tool's usage notes as they joined the system prompt.
public struct ToolManual: Sendable, Hashable, Codable {
    public var tool: String
    public var text: String

    public init(tool: String, text: String) {
        self.tool = tool
        self.text = text
    }
}

/// `instructions_loaded` (Monitor): the project instructions (`AGENTS.md`, `KODE.md`, the user's
/// `AGENTS.md`) the system prompt holds from here on; recorded when they differ from the last
/// ones, so a resumed or forked agent prompts with what the log says it saw.
public struct InstructionsLoadedEvent: Sendable, Hashable, Codable {
    /// Most general first: the user's file, then from the repository root down to the work directory.
    public var files: [InstructionFile]

    public init(files: [InstructionFile]) {
        self.files = files
    }
}

/// `tool_manual_updated` (Monitor): the tools' usage notes in the system prompt changed (a new
/// agent, a new Kode version, tools enabled or replaced by the embedding app).
public struct ToolManualUpdatedEvent: Sendable, Hashable, Codable {
    /// Every manual now in the system prompt, in tool order.
    public var manuals: [ToolManual]
    /// The tools whose notes were added, changed or removed.
    public var changed: [String]

    public init(manuals: [ToolManual], changed: [String]) {
        self.manuals = manuals
        self.changed = changed
    }
}

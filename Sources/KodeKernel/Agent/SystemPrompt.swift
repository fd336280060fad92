/// The system prompt: the configured one (or Kode's own), then the project instructions and the
/// tools' usage notes as the log last recorded them.
enum SystemPrompt {
    static func `default`(workDir: String) -> String {
        """
        You are Kode, a careful coding agent working in the directory \(workDir). \
        Use the tools to inspect files before changing them, keep changes small, \
        and explain what you did. Paths are relative to the working directory.
        """
    }

    static func compose(base: String, instructions: [InstructionFile], manuals: [ToolManual]) -> String {
        guard !instructions.isEmpty || !manuals.isEmpty else { return base }
        var out = base
        if !instructions.isEmpty {
            out += "\n\n# Project instructions\n\nFollow these instructions from the person's files; a later file is more specific than an earlier one."
            for file in instructions {
                out += "\n\n## \(file.path)\n\n" + file.text
            }
        }
        if !manuals.isEmpty {
            out += "\n\n# Tool notes"
            for manual in manuals {
                out += "\n\n## \(manual.tool)\n\n" + manual.text
            }
        }
        return out
    }
}

extension Agent {
    /// The system prompt of the next request, composed once and kept until its parts change
    /// (a step must not cost the size of the instructions).
    func systemPrompt() -> String {
        // Arrays that share storage compare equal at once, so the check is O(1) while the
        // parts stay as recorded; whatever replaced them (a new record, a rewind) recomposes.
        if let cache = systemPromptCache, cache.instructions == state.instructions, cache.manuals == state.toolManuals {
            return cache.prompt
        }
        let prompt = SystemPrompt.compose(
            base: manifest.config.systemPrompt ?? SystemPrompt.default(workDir: manifest.config.workDir),
            instructions: state.instructions, manuals: state.toolManuals)
        systemPromptCache = (state.instructions, state.toolManuals, prompt)
        return prompt
    }

    /// Re-reads the project instructions (`AGENTS.md`, `KODE.md`, the user's file) and records
    /// them (`instructions_loaded`) when they differ from the ones the agent has been using;
    /// returns whether they did. An agent reads them when it is created and otherwise keeps
    /// what its log recorded — across restarts and into forks — until this is called.
    @discardableResult
    public func reloadInstructions() async throws -> Bool {
        try ensureWritable()
        let before = state.instructions
        try await refreshSystemContext(readingInstructions: true)
        return state.instructions != before
    }

    /// Records the tools' manuals when they differ from what the log last recorded
    /// (`tool_manual_updated`) and, with `readingInstructions`, the project instructions
    /// likewise (`instructions_loaded`). Manuals are checked each time the agent is opened (they
    /// describe the tools as they are now); instructions are read when it is created. The prompt
    /// is always built from the recorded values, so the log says what the model saw.
    func refreshSystemContext(readingInstructions: Bool) async throws {
        guard readOnlyReason == nil else { return }
        var changed = false
        if readingInstructions {
            let files = instructionSource.find(workDir: manifest.config.workDir)
            if files != state.instructions {
                emit(.instructionsLoaded(InstructionsLoadedEvent(files: files)))
                changed = true
            }
        }
        let manuals = tools.names.compactMap { name -> ToolManual? in
            guard let text = tools.tool(named: name)?.manual, !text.isEmpty else { return nil }
            return ToolManual(tool: name, text: text)
        }
        if manuals != state.toolManuals {
            let before = Dictionary(state.toolManuals.map { ($0.tool, $0.text) }, uniquingKeysWith: { a, _ in a })
            let after = Dictionary(manuals.map { ($0.tool, $0.text) }, uniquingKeysWith: { a, _ in a })
            let names = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
            emit(.toolManualUpdated(ToolManualUpdatedEvent(manuals: manuals, changed: names)))
            changed = true
        }
        // Buffered: nothing depends on these being on disk before the next durable record, which
        // (in seq order) takes them with it.
        if changed { try await commit(.buffered) }
    }
}

/// The system prompt used when an agent's config has none.
enum SystemPrompt {
    static func `default`(workDir: String) -> String {
        """
        You are Kode, a careful coding agent working in the directory \(workDir). \
        Use the tools to inspect files before changing them, keep changes small, \
        and explain what you did. Paths are relative to the working directory.
        """
    }
}

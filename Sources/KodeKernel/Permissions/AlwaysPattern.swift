extension PermissionEvaluator {
    /// The rule an "always" answer to this call adds (and that the person sees before it is saved):
    ///
    /// - `bash_run`: the program and, when the next word looks like a subcommand (a plain word,
    ///   not an option or a path), that word too, followed by `*`:
    ///   `git status --short` → `bash_run(git status*)`, `ls -la` → `bash_run(ls*)`.
    /// - file tools (`fs_*`): the exact path (or glob) of this call, e.g. `fs_write(src/a.swift)`.
    ///   Exact rather than the parent directory, because "always let it write this file" is what a
    ///   person approving one write can judge; a wider rule can be written into the policy.
    /// - every other tool, or a call without a subject: the bare tool name.
    ///
    /// Wildcard characters in the copied words are escaped, so the rule never reaches further than shown.
    public static func alwaysPattern(toolName: String, subject: String?) -> String {
        guard let subject, !subject.trimmingWhitespace().isEmpty else { return toolName }
        if toolName == "bash_run" {
            let words = subject.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            guard let program = words.first else { return toolName }
            var prefix = ToolPattern.escape(program)
            if words.count > 1, isSubcommand(words[1]) { prefix += " " + words[1] }
            return "\(toolName)(\(prefix)*)"
        }
        if toolName.hasPrefix("fs_") {
            return "\(toolName)(\(ToolPattern.escape(subject)))"
        }
        return toolName
    }

    /// `status`, `run-script`, `test`: lower-case words that are not options, paths or file names.
    private static func isSubcommand(_ word: String) -> Bool {
        guard let first = word.first, first.isLetter, first.isLowercase else { return false }
        return word.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}

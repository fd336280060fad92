import Foundation

/// `fs_glob {pattern}`: files whose relative path matches a glob, sorted.
public struct FsGlobTool: Tool {
    /// Paths listed at most; the rest are counted in a notice.
    public static let maxResults = 1_000

    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_glob" }
    public var description: String {
        "List files matching a glob relative to the working directory: * (within a name), ** (any directories), ?, [abc]. Results are sorted; .git is skipped."
    }
    public var isReadOnly: Bool { true }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "pattern": ["type": "string", "minLength": 1, "description": "Glob such as **/*.swift or src/*.md."],
            ],
            "required": ["pattern"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["pattern"]?.stringValue
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            var pattern = try reader.string("pattern")
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let root = sandbox.workDir.path
            // An absolute pattern inside the working directory is the same as a relative one.
            if pattern.hasPrefix("/") {
                guard pattern.hasPrefix(root + "/") else {
                    throw ToolFailure("pattern \(pattern) is outside the working directory \(root); use a pattern relative to it")
                }
                pattern = String(pattern.dropFirst(root.count + 1))
            }
            if pattern.hasPrefix("./") { pattern.removeFirst(2) }
            guard !pattern.split(separator: "/").contains("..") else {
                throw ToolFailure("pattern \(pattern) contains \"..\"; patterns are relative to the working directory and stay inside it")
            }
            let glob = GlobPattern(pattern)
            let prefix = glob.literalPrefix
            let base = try sandbox.resolve(prefix.isEmpty ? "." : prefix.joined(separator: "/"), forWriting: false)
            guard DirectoryWalker.kind(of: base.path) == .directory else {
                return ToolOutput(content: "no files match \(pattern)")
            }

            var matches: [String] = []
            var extra = 0
            var walker = DirectoryWalker()
            walker.walk(base, prefix: prefix.isEmpty ? "" : prefix.joined(separator: "/") + "/") { entry in
                if Task.isCancelled { return false }
                guard entry.kind == .file || entry.kind == .symlink, glob.matches(entry.relativePath) else { return true }
                if matches.count < Self.maxResults { matches.append(entry.relativePath) } else { extra += 1 }
                return true
            }
            try Task.checkCancellation()
            guard !matches.isEmpty else { return ToolOutput(content: "no files match \(pattern)") }
            matches.sort()
            var text = matches.joined(separator: "\n")
            if extra > 0 { text += "\n[\(extra) more match\(extra == 1 ? "" : "es") not shown; narrow the pattern]" }
            if walker.hitLimit { text += "\n[search stopped after \(walker.maxVisited) entries; narrow the pattern]" }
            return ToolOutput(content: text)
        }
    }
}

import Foundation

/// `fs_edit {path, old_string, new_string, replace_all?}`: exact text replacement in one file.
public struct FsEditTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_edit" }
    public var description: String {
        "Replace exact text in a file. old_string must occur exactly once unless replace_all is true. Refused when the file changed on disk since you last read it: read it again first."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "path": ["type": "string", "minLength": 1, "description": "File path, relative to the working directory."],
                "old_string": ["type": "string", "minLength": 1, "description": "Exact text to find, including whitespace."],
                "new_string": ["type": "string", "description": "Text to put in its place."],
                "replace_all": ["type": "boolean", "description": "Replace every occurrence instead of exactly one."],
            ],
            "required": ["path", "old_string", "new_string"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["path"]?.stringValue.map(PathSubject.normalize)
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            let path = try reader.string("path")
            let old = try reader.string("old_string")
            let new = try reader.string("new_string")
            let replaceAll = try reader.optionalBool("replace_all") ?? false
            guard !old.isEmpty else { throw ToolFailure("old_string is empty; say which text to replace") }
            guard old != new else { throw ToolFailure("old_string and new_string are identical; nothing would change") }

            let file = try FileEditSession(path: path, tool: name, context: context)
            defer { file.close() }
            let (result, count) = try ExactReplacement.apply(old: old, new: new, replaceAll: replaceAll, to: file.bytes, in: file.shown)
            try file.write(result)
            let removed = TextFile.lineCount(old), added = TextFile.lineCount(new)
            return ToolOutput(
                content: "edited \(file.shown): replaced \(count) occurrence\(count == 1 ? "" : "s") (-\(removed * count) +\(added * count) lines)",
                fileChanges: [FileChange(path: file.shown, action: .modified)]
            )
        }
    }
}

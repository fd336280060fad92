import Foundation

/// `fs_multi_edit {path, edits: [{old_string, new_string, replace_all?}]}`: several exact
/// replacements in one file, applied in order to the result of the previous one, all or
/// nothing — when any edit does not apply, the file is left untouched and the error names it.
public struct FsMultiEditTool: Tool {
    /// Edits in one call, at most.
    public static let maxEdits = 100

    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_multi_edit" }
    public var description: String {
        "Make several exact text replacements in one file, in order, all or nothing. Each old_string must occur exactly once (in the text as the earlier edits left it) unless its replace_all is true. Refused when the file changed on disk since you last read it."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "path": ["type": "string", "minLength": 1, "description": "File path, relative to the working directory."],
                "edits": [
                    "type": "array", "minItems": 1, "maxItems": .int(Self.maxEdits),
                    "description": "Replacements, applied in order.",
                    "items": [
                        "type": "object",
                        "properties": [
                            "old_string": ["type": "string", "minLength": 1, "description": "Exact text to find, including whitespace."],
                            "new_string": ["type": "string", "description": "Text to put in its place."],
                            "replace_all": ["type": "boolean", "description": "Replace every occurrence instead of exactly one."],
                        ],
                        "required": ["old_string", "new_string"],
                        "additionalProperties": false,
                    ],
                ],
            ],
            "required": ["path", "edits"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["path"]?.stringValue.map(PathSubject.normalize)
    }

    struct Edit {
        var old: String
        var new: String
        var replaceAll: Bool
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let reader = ToolInputReader(input: input, tool: name)
            let path = try reader.string("path")
            let edits = try Self.edits(input)
            let file = try FileEditSession(path: path, tool: name, context: context)
            defer { file.close() }
            var bytes = file.bytes
            var replaced = 0, removed = 0, added = 0
            for (index, edit) in edits.enumerated() {
                let label = "edits[\(index)].old_string"
                do {
                    let (next, count) = try ExactReplacement.apply(
                        old: edit.old, new: edit.new, replaceAll: edit.replaceAll, to: bytes, in: file.shown,
                        label: label, newLabel: "edits[\(index)].new_string")
                    bytes = next
                    replaced += count
                    removed += TextFile.lineCount(edit.old) * count
                    added += TextFile.lineCount(edit.new) * count
                } catch let failure as ToolFailure {
                    throw ToolFailure("\(failure.description). No edit was made: \(file.shown) is unchanged.")
                }
            }
            try file.write(bytes)
            return ToolOutput(
                content: "edited \(file.shown): \(edits.count) edit\(edits.count == 1 ? "" : "s"), \(replaced) replacement\(replaced == 1 ? "" : "s") (-\(removed) +\(added) lines)",
                fileChanges: [FileChange(path: file.shown, action: .modified)])
        }
    }

    static func edits(_ input: JSONValue) throws -> [Edit] {
        guard let list = input["edits"]?.arrayValue, !list.isEmpty else {
            throw ToolFailure("invalid input for fs_multi_edit: input.edits must be a non-empty array of {old_string, new_string, replace_all?}")
        }
        guard list.count <= maxEdits else { throw ToolFailure("invalid input for fs_multi_edit: at most \(maxEdits) edits in one call, got \(list.count)") }
        return try list.enumerated().map { index, value in
            guard let old = value["old_string"]?.stringValue, let new = value["new_string"]?.stringValue else {
                throw ToolFailure("invalid input for fs_multi_edit: input.edits[\(index)] needs old_string and new_string (strings)")
            }
            let all = value["replace_all"]
            guard all == nil || all == .null || all?.boolValue != nil else {
                throw ToolFailure("invalid input for fs_multi_edit: input.edits[\(index)].replace_all must be a boolean")
            }
            return Edit(old: old, new: new, replaceAll: all?.boolValue ?? false)
        }
    }
}

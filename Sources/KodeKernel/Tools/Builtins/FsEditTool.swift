import Foundation

/// `fs_edit {path, old_string, new_string, replace_all?}`: exact text replacement in one file.
public struct FsEditTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_edit" }
    public var description: String {
        "Replace exact text in a file. old_string must occur exactly once unless replace_all is true."
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

            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let url = try sandbox.resolve(path, forWriting: true)
            let shown = sandbox.displayPath(url)
            switch DirectoryWalker.kind(of: url.path) {
            case .directory: throw ToolFailure("\(shown) is a directory, not a file")
            case .other where !FileManager.default.fileExists(atPath: url.path): throw ToolFailure("file not found: \(shown); use fs_write to create it")
            default: break
            }
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw ToolFailure("cannot read \(shown): \(error.localizedDescription)") }
            if TextFile.looksBinary(data) { throw ToolFailure("\(shown) looks like a binary file; fs_edit edits text files only") }

            // Byte-exact matching: no Unicode normalisation, so what the model quoted is what is replaced.
            let bytes = Array(data)
            let needle = Array(old.utf8)
            let positions = Self.occurrences(of: needle, in: bytes)
            if positions.isEmpty {
                throw ToolFailure("old_string was not found in \(shown); it must match exactly, including whitespace and indentation")
            }
            if positions.count > 1 && !replaceAll {
                throw ToolFailure("old_string occurs \(positions.count) times in \(shown); include more surrounding text to make it unique, or set replace_all to true")
            }
            let replacement = Array(new.utf8)
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + positions.count * (replacement.count - needle.count))
            var cursor = 0
            for position in positions {
                result.append(contentsOf: bytes[cursor..<position])
                result.append(contentsOf: replacement)
                cursor = position + needle.count
            }
            result.append(contentsOf: bytes[cursor...])
            do { try Data(result).write(to: url) } catch { throw ToolFailure("cannot write \(shown): \(error.localizedDescription)") }

            let removed = TextFile.lineCount(old), added = TextFile.lineCount(new)
            let count = positions.count
            return ToolOutput(
                content: "edited \(shown): replaced \(count) occurrence\(count == 1 ? "" : "s") (-\(removed * count) +\(added * count) lines)",
                fileChanges: [FileChange(path: shown, action: .modified)]
            )
        }
    }

    /// Start offsets of the non-overlapping occurrences of `needle`, left to right.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var positions: [Int] = []
        var index = 0
        let first = needle[0], lastStart = haystack.count - needle.count
        while index <= lastStart {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                positions.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return positions
    }
}

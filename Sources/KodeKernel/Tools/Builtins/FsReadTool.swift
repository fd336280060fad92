import Foundation

/// `fs_read {path, offset?, limit?}`: a text file's lines, numbered like `    12│text`.
public struct FsReadTool: Tool {
    /// Lines returned when no `limit` is given.
    public static let defaultLineLimit = 2_000
    /// Characters shown of one line before it is cut.
    public static let maxLineLength = 2_000

    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_read" }
    public var description: String {
        "Read a text file with line numbers. offset is the 1-based first line, limit the number of lines (default \(Self.defaultLineLimit))."
    }
    public var isReadOnly: Bool { true }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "path": ["type": "string", "minLength": 1, "description": "File path, relative to the working directory."],
                "offset": ["type": "integer", "minimum": 1, "description": "First line to show (1-based)."],
                "limit": ["type": "integer", "minimum": 1, "description": "How many lines to show."],
            ],
            "required": ["path"],
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
            let offset = try reader.optionalInt("offset") ?? 1
            let limit = try reader.optionalInt("limit") ?? Self.defaultLineLimit
            guard offset >= 1 else { throw ToolFailure("offset must be 1 or more (it is the first line's number), got \(offset)") }
            guard limit >= 1 else { throw ToolFailure("limit must be 1 or more, got \(limit)") }

            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let url = try sandbox.resolve(path, forWriting: false)
            let shown = sandbox.displayPath(url)
            switch DirectoryWalker.kind(of: url.path) {
            case .directory: throw ToolFailure("\(shown) is a directory, not a file; use fs_glob to list it")
            case .other where !FileManager.default.fileExists(atPath: url.path): throw ToolFailure("file not found: \(shown)")
            default: break
            }
            // Taken before the read: a change racing it makes the next write refuse, never pass.
            let stamp = FileStamp.of(url.path)
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw ToolFailure("cannot read \(shown): \(error.localizedDescription)") }
            if TextFile.looksBinary(data) {
                throw ToolFailure("\(shown) looks like a binary file (\(data.count) bytes); fs_read shows text files only")
            }
            context.files?.didRead(url, shown: shown, stamp: stamp)
            let lines = TextFile.lines(String(decoding: data, as: UTF8.self))
            guard !lines.isEmpty else { return ToolOutput(content: "(\(shown) is empty)") }
            guard offset <= lines.count else {
                throw ToolFailure("offset \(offset) is past the end of \(shown), which has \(lines.count) line\(lines.count == 1 ? "" : "s")")
            }
            let last = min(lines.count, offset - 1 + limit)
            var text = ""
            for number in offset...last {
                var line = lines[number - 1]
                var cut = ""
                if line.count > Self.maxLineLength {
                    cut = "… [line cut: \(line.count - Self.maxLineLength) more characters]"
                    line = line.prefix(Self.maxLineLength)
                }
                text += Self.gutter(number) + line + cut + "\n"
            }
            if last < lines.count || offset > 1 {
                text += "[lines \(offset)–\(last) of \(lines.count)"
                text += last < lines.count ? "; call fs_read with offset \(last + 1) to read on]" : "]"
            } else {
                text.removeLast()
            }
            return ToolOutput(content: text)
        }
    }

    /// The number column: right-aligned in six places, then `│`.
    static func gutter(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: " ", count: max(0, 6 - digits.count)) + digits + "│"
    }
}

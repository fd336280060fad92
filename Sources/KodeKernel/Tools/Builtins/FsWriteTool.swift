import Foundation

/// `fs_write {path, content}`: writes a whole file, creating parent directories.
public struct FsWriteTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "fs_write" }
    public var description: String {
        "Write a file with the given content, replacing it if it exists. Parent directories are created. Refused when the file changed on disk since you last read it: read it again first."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "path": ["type": "string", "minLength": 1, "description": "File path, relative to the working directory."],
                "content": ["type": "string", "description": "The complete new content."],
            ],
            "required": ["path", "content"],
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
            let content = try reader.string("content")
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let url = try sandbox.resolve(path, forWriting: true)
            let shown = sandbox.displayPath(url)

            let kind = DirectoryWalker.kind(of: url.path)
            if kind == .directory { throw ToolFailure("\(shown) is a directory; fs_write writes files") }
            let existed = kind != .other || FileManager.default.fileExists(atPath: url.path)
            let directory = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw ToolFailure("cannot create directory \(sandbox.displayPath(directory)) for \(shown): \(error.localizedDescription)")
            }
            // A plain (not atomic) write keeps the file's inode and mode, so an executable script stays executable.
            let data = Data(content.utf8)
            try context.files?.beginWrite(url, shown: shown)
            defer { context.files?.endWrite(url, shown: shown) }
            do { try data.write(to: url) } catch { throw ToolFailure("cannot write \(shown): \(error.localizedDescription)") }
            let lines = TextFile.lineCount(content)
            let verb = existed ? "overwrote" : "created"
            return ToolOutput(
                content: "\(verb) \(shown) (\(lines) line\(lines == 1 ? "" : "s"), \(data.count) byte\(data.count == 1 ? "" : "s"))",
                fileChanges: [FileChange(path: shown, action: existed ? .modified : .created)]
            )
        }
    }
}

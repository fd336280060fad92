import Foundation

/// `bash_kill {shell_id}`: kills a background shell's whole process group and forgets the shell.
public struct BashKillTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "bash_kill" }
    public var description: String {
        "Stop a background shell (and every process it started) by its shell_id. Its unread output is returned."
    }
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "shell_id": ["type": "string", "minLength": 1, "description": "The id bash_run returned, e.g. sh_1."],
            ],
            "required": ["shell_id"],
            "additionalProperties": false,
        ]
    }

    public func permissionSubject(for input: JSONValue) -> String? {
        input["shell_id"]?.stringValue
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let id = try ToolInputReader(input: input, tool: name).string("shell_id")
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let process = try sandbox.backgroundShells.shell(id: id)
            let wasRunning = process.status == nil
            process.terminate(reason: "killed by bash_kill")
            await process.waitUntilFinished()
            sandbox.backgroundShells.remove(id: id)
            let status = process.status.map { "\($0)" } ?? "unknown status"
            var text = wasRunning
                ? "killed \(id) (pid \(process.pid)) and its process group; \(status)"
                : "\(id) had already exited (\(status)); it is now removed"
            let taken = process.takeOutput(maxBytes: BashRunTool.outputLimit)
            if !taken.text.isEmpty { text += "\nunread output:\n" + taken.text }
            if taken.remaining > 0 { text += "\n[output truncated: \(taken.remaining) more bytes]" }
            return ToolOutput(content: text)
        }
    }
}

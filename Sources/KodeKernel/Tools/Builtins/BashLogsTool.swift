import Foundation

/// `bash_logs {shell_id}`: output a background shell wrote since the last read, and whether it still runs.
public struct BashLogsTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "bash_logs" }
    public var description: String {
        "Read new output from a background shell started with bash_run background:true, and whether it is still running."
    }
    public var isReadOnly: Bool { true }
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

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            let id = try ToolInputReader(input: input, tool: name).string("shell_id")
            let sandbox = try ToolInputReader.workspace(context, tool: name)
            let process = try sandbox.backgroundShells.shell(id: id)
            // Read the status first: output that arrives between the two reads is then shown next time, never lost.
            let status = process.isFinished ? process.status : nil
            let taken = process.takeOutput(maxBytes: BashRunTool.outputLimit)
            var text = Self.header(id: id, process: process, status: status) + "\n"
            if taken.droppedBefore > 0 {
                text += "[\(taken.droppedBefore) earlier bytes dropped: only the last \(BackgroundShells.retainedOutputLimit >> 20) MiB of unread output is kept]\n"
            }
            text += taken.text.isEmpty ? "(no new output)" : taken.text
            if taken.remaining > 0 {
                if !text.hasSuffix("\n") { text += "\n" }
                text += "[\(taken.remaining) more bytes not shown yet; call bash_logs again]"
            }
            return ToolOutput(content: text)
        }
    }

    static func header(id: String, process: ShellProcess, status: ShellExitStatus?) -> String {
        guard let status else {
            let seconds = Int(Date().timeIntervalSince(process.startedAt))
            return "[\(id) running, pid \(process.pid), started \(seconds) s ago]"
        }
        if let reason = process.stoppedBecause { return "[\(id) \(reason); \(status)]" }
        return "[\(id) exited: \(status)]"
    }
}

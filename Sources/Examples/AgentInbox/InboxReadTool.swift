import KodeKernel

/// `inbox_read {id}`: one message of the inbox. Read-only, so neighbouring calls in one batch
/// run concurrently (up to the agent's `toolConcurrency`).
struct InboxReadTool: Tool {
    let inbox: Inbox
    let inFlight: InFlight

    var name: String { "inbox_read" }
    var description: String { "Read one message of the inbox by id (\"1\", \"2\" or \"3\")." }
    var isReadOnly: Bool { true }
    var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": ["id": ["type": "string", "minLength": 1, "description": "The message id."]],
            "required": ["id"],
            "additionalProperties": false,
        ]
    }

    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        await inFlight.enter()
        let output = read(input)
        await inFlight.leave()
        return output
    }

    private func read(_ input: JSONValue) -> ToolOutput {
        guard let id = input["id"]?.stringValue, let item = inbox.items[id] else {
            return .failure("no message with id \(input["id"]?.compactText ?? "(none)"); the inbox has 1, 2 and 3")
        }
        return ToolOutput(content: "From: \(item.from)\nSubject: \(item.subject)\n\n\(item.body)")
    }
}

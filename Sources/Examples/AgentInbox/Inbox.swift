import KodeKernel

/// The example's data: three messages waiting to be triaged.
struct Inbox: Sendable {
    struct Item: Sendable {
        var from: String
        var subject: String
        var body: String
    }

    let items: [String: Item] = [
        "1": Item(from: "ops", subject: "staging database down",
                  body: "The staging database has refused connections since 09:10; the nightly tests are failing."),
        "2": Item(from: "alice", subject: "lunch on Friday?", body: "Shall we try the new noodle place on Friday at noon?"),
        "3": Item(from: "billing", subject: "invoice 4411", body: "Invoice 4411 for the build servers is due next Tuesday."),
    ]
}

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

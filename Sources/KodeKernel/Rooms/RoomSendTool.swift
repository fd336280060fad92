import Foundation

/// `room_send`: the model posts to its room. `@name` in the text addresses those members; a
/// text without a mention goes to everyone else in the room. The result names the message's
/// seq and who got it.
public struct RoomSendTool: Tool {
    let directory: RoomDirectory

    /// A tool posting through the rooms registered in `directory`.
    public init(directory: RoomDirectory) {
        self.directory = directory
    }

    public var name: String { "room_send" }
    public var description: String {
        "Post a message to your room. Mention members with @name to address them; without a mention it goes to every other member."
    }
    public var manual: String? {
        """
        Messages from your room reach you as user messages whose first line reads \
        "[room NAME #SEQ from @SENDER to ..., you are @YOU]". Answer them with room_send, not in \
        your reply text: only room_send reaches the others. Mention only members of the room.
        """
    }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "text": ["type": "string", "minLength": 1, "description": "The message; @name mentions address members."],
                "room": ["type": "string", "description": "The room, when you are in more than one."],
            ],
            "required": ["text"],
            "additionalProperties": false,
        ]
    }
    /// Changes no file and runs nothing: a message, which each receiver handles under its own
    /// permissions.
    public var isReadOnly: Bool { true }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        guard let text = input["text"]?.stringValue else { return .failure("room_send needs \"text\"") }
        let seat = try directory.seat(of: context.agentId, room: input["room"]?.stringValue)
        let message = try await seat.room.post(text, as: seat.member)
        let receivers = await seat.room.receivers(of: message)
        let to = receivers.isEmpty ? "nobody (no other member)" : receivers.map { "@" + $0 }.joined(separator: ", ")
        // A receiver in a turn gets it when that turn ends: "for", not "delivered to".
        return ToolOutput(content: "posted #\(message.seq) to room \(seat.room.name) for \(to)")
    }
}

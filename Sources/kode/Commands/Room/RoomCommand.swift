import ArgumentParser

/// `kode room …`: agents that talk to each other in a named room (docs/MULTI-AGENT.md, "Rooms").
struct RoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room",
        abstract: "Rooms: agents that exchange messages by @name or broadcast.",
        discussion: """
            A room lives in the store (<store>/rooms/NAME.log). Members are agents joined under a \
            name; a message mentioning @name goes to those members, one without a mention to \
            every other member. Each message is recorded in each receiver's log, so a room that \
            was stopped or crashed continues with 'kode room run NAME'. Members answer through \
            their room_send tool. Typical use: create, join two or more members (each with its \
            own --provider/--script or model), post, then fork a member to explore.
            """,
        subcommands: [
            RoomCreateCommand.self, RoomJoinCommand.self, RoomPostCommand.self, RoomRunCommand.self,
            RoomForkCommand.self, RoomShowCommand.self, RoomListCommand.self,
        ]
    )
}

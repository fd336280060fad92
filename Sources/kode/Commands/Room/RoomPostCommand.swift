import ArgumentParser
import Foundation
import KodeKernel

/// `kode room post NAME TEXT [--as MEMBER]`.
struct RoomPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a message to a room and run the members until the room is quiet.",
        discussion: """
            @name in the text addresses those members; without a mention every member gets it. \
            The message comes from --from (default 'user', someone outside the room) or, with \
            --as, from a member. The command then runs the members that received something, \
            and whoever they message in turn, until no member has work left, and prints every \
            room message posted meanwhile ("#SEQ @from -> @to: text").
            """
    )

    @Argument(help: "The room's name.") var name: String
    @Argument(help: "The message.") var text: String
    @Option(name: .customLong("as"), help: ArgumentHelp("Post as this member.", valueName: "member")) var member: String?
    @Option(help: ArgumentHelp("The outside sender's name.", valueName: "name")) var from: String = "user"
    @Option(help: ArgumentHelp("Answer the members' approval requests: allow or deny.", valueName: "allow|deny"))
    var approve: RoomApproval = .deny
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let posted = try await RoomSession.acting(on: name, options: storeOptions, approve: approve) { session in
            do {
                if let member {
                    try await session.room.post(text, as: member)
                } else {
                    try await session.room.post(text, by: from)
                }
            } catch {
                throw RoomPrinter.cliError(error)
            }
        }
        RoomPrinter.print(posted)
    }
}

import ArgumentParser
import Foundation
import KodeKernel

/// `kode room fork NAME MEMBER [--join NEW] [--prompt TEXT]`.
struct RoomForkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fork",
        abstract: "Fork a member at its newest safe point to explore on its own.",
        discussion: """
            The fork's conversation holds the room up to the fork point. It does not join the \
            room (two members with one past would both answer) unless --join names it: then it \
            is a member of its own and receives what is posted from then on. --prompt gives the \
            fork its next input; the command runs it (and the room) until quiet and prints the \
            fork's answer. The fork's id is printed on stderr ("fork: ID").
            """
    )

    @Argument(help: "The room's name.") var name: String
    @Argument(help: "The member to fork.") var member: String
    @Option(help: ArgumentHelp("Join the fork to the room under this name.", valueName: "member")) var join: String?
    @Option(help: ArgumentHelp("The fork's next input.", valueName: "text")) var prompt: String?
    @Option(help: ArgumentHelp("Answer approval requests: allow or deny.", valueName: "allow|deny"))
    var approve: RoomApproval = .deny
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let session = try await RoomSession.open(name, options: storeOptions, approve: approve)
        let fork: Agent
        do {
            fork = try await session.room.fork(member, joiningAs: join, open: { try await session.openFork($0) })
        } catch {
            await session.close()
            throw RoomPrinter.cliError(error)
        }
        Output.stderr("fork: \(fork.id)\n")
        do {
            if let prompt { try await fork.send(prompt) }
        } catch {
            await session.close(extra: join == nil ? [fork] : [])
            throw RoomPrinter.cliError(error)
        }
        await fork.waitUntilSettled()
        await session.room.waitUntilQuiet()
        RoomPrinter.print(await session.room.messages().filter { $0.seq > session.startSeq })
        if prompt != nil, let answer = await fork.snapshot().messages.last(where: { $0.role == .assistant })?.text, !answer.isEmpty {
            Output.stdout("fork \(fork.id): " + TerminalText.safe(answer) + "\n")
        }
        await session.close(extra: join == nil ? [fork] : [])
        if join != nil { await fork.close() }
        if let join { Output.stdout("@\(join) joined room \(name) (fork \(fork.id) of @\(member))\n") }
    }
}

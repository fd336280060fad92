import ArgumentParser
import Foundation

/// Entry point. Parses the command line and maps failures to Kode's exit codes:
/// 0 success, 1 runtime failure, 2 bad usage or bad input, 3 waiting for an approval.
@main
enum KodeMain {
    static func main() async {
        do {
            var command = try Kode.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("kode: \(error.message)\n".utf8))
            exit(error.code)
        } catch {
            let code = Kode.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Kode.fullMessage(for: error) + "\n").utf8))
                exit(CLIError.usageCode)
            }
            Kode.exit(withError: error)
        }
    }
}

/// The `kode` command: subcommands for headless runs and stored agents; with none, the
/// full-screen app.
struct Kode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kode",
        abstract: "A stateful agent runtime with a crash-safe log and a full-screen terminal front end.",
        discussion: """
            With no subcommand, kode opens the full-screen app. Agents live in a store \
            (default ./.kode, or --store DIR, or $KODE_STORE).
            """,
        version: KodeVersion.current,
        subcommands: [
            OpenCommand.self, RunCommand.self, ApproveCommand.self, AgentsCommand.self, EventsCommand.self,
            ExportCommand.self, CheckpointsCommand.self, ForkCommand.self, RemoveCommand.self,
            StoreCommand.self, ServeCommand.self, AttachCommand.self, DoctorCommand.self, ConfigCommand.self,
            CompactCommand.self,
            RulesCommand.self,
            RewindCommand.self,
            RoomCommand.self,
            ScheduleCommand.self,
            RenameCommand.self,
        ],
        defaultSubcommand: OpenCommand.self
    )
}

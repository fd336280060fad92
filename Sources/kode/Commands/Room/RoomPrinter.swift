import Foundation
import KodeKernel

/// Prints room messages, one per block: `#SEQ @from -> @to: text`, every untrusted part made
/// safe for the terminal.
enum RoomPrinter {
    static func line(_ message: RoomMessage) -> String {
        let to = message.to.isEmpty ? "everyone" : message.to.map { "@" + $0 }.joined(separator: " ")
        return "#\(message.seq) @\(message.from) -> \(to): " + TerminalText.safe(message.text) + "\n"
    }

    static func print(_ messages: [RoomMessage]) {
        for message in messages { Output.stdout(line(message)) }
    }

    /// Room errors are the person's input (a name, a mention) or a broken room log; the rest
    /// are mapped as every command maps them.
    static func cliError(_ error: any Error) -> CLIError {
        guard let error = error as? RoomError else { return ClientFailure.cliError(error) }
        switch error {
        case .storage, .locked: return CLIError.runtime(error.description)
        default: return CLIError.usage(error.description)
        }
    }
}

import Foundation
import KodeTUI

/// Output of the examples. Model and tool text is untrusted: it goes through the terminal
/// sanitizer, so an escape sequence in a reply shows as text instead of acting on the terminal.
package enum ExampleConsole {
    /// Untrusted text, sanitized, without a newline (streamed replies arrive in pieces).
    package static func write(untrusted text: String) {
        emit(Sanitizer.clean(text))
    }

    /// A line the example composed itself; untrusted parts in it go through ``safe(_:)`` first.
    package static func line(_ text: String) {
        emit(text + "\n")
    }

    /// `text` made safe to show, newlines kept.
    package static func visible(_ text: String) -> String {
        Sanitizer.clean(text)
    }

    /// `text` made safe to show on one line (newlines become `\n`).
    package static func safe(_ text: String) -> String {
        Sanitizer.clean(text, keepNewlines: false)
    }

    /// A line on stderr (notices, errors).
    package static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs an example's body: usage errors and failures become a message on stderr and exit
    /// status 2 or 1.
    @MainActor
    package static func run(_ body: @MainActor () async throws -> Void) async {
        do {
            try await body()
        } catch let usage as ExampleUsage {
            if usage.isHelp {
                line(usage.message)
                exit(0)
            }
            note("error: \(usage.message)")
            exit(2)
        } catch {
            note("error: \(error)")
            exit(1)
        }
    }

    private static func emit(_ text: String) {
        // Unbuffered, so streamed text shows as it arrives and interleaves correctly with stderr.
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

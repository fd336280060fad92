import Foundation

/// Runs `$VISUAL`/`$EDITOR` (default `vi`) on a temporary file and returns the edited text.
enum EditorLauncher {
    static func edit(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> String {
        let dir = FileManager.default.temporaryDirectory
        let file = dir.appendingPathComponent("kode-message-\(UUID().uuidString).md")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The editor string may carry flags (`code -w`): let the shell split it; the path is quoted.
        process.arguments = ["-c", "\(editor) \"$1\"", "kode-editor", file.path]
        process.standardInput = FileHandle.standardInput
        process.standardOutput = FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in cont.resume() }
            do { try process.run() } catch { cont.resume(throwing: error) }
        }
        guard process.terminationStatus == 0 else {
            throw EditorError(message: "\(editor) exited with status \(process.terminationStatus); the message was not changed")
        }
        return String(decoding: try Data(contentsOf: file), as: UTF8.self)
    }
}

/// The editor failed.
struct EditorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

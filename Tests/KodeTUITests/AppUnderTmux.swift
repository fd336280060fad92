import Foundation
import KodeTestSupport

/// The real `kode` app in a tmux window, on the scripted model, with a store and a work
/// directory of its own: what the end-to-end tests start with.
struct AppUnderTmux {
    let term: TmuxDriver
    let dir: TemporaryDirectory
    let work: URL
    let store: String

    /// Writes `script` and `files` (path in the work directory → text), starts the app with
    /// `arguments` added, and returns once it shows its composer. With `workInRoot` the work
    /// directory is the temporary directory itself (the store inside it).
    static func launch(
        script: String, width: Int, height: Int, prefix: String = "kode-e2e",
        files: [String: String] = [:], arguments: [String] = [], workInRoot: Bool = false
    ) async throws -> AppUnderTmux {
        let tmp = try TemporaryDirectory(prefix: prefix)
        let work = workInRoot ? tmp.url : tmp.appending("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for (path, text) in files {
            let file = work.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        let scriptFile = tmp.appending("script.json")
        try Data(script.utf8).write(to: scriptFile)
        let store = tmp.appending("store").path
        let term = try TmuxDriver(width: width, height: height, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": tmp.path])
        let extra = arguments.map { " '\($0)'" }.joined()
        try term.type("'\(EndToEndTests.binary.path)' --provider scripted --script '\(scriptFile.path)'\(extra) --store '\(store)' --workdir '\(work.path)'; echo EXIT:$?")
        try await term.waitFor("Enter sends")
        return AppUnderTmux(term: term, dir: tmp, work: work, store: store)
    }
}

import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// Renaming under a real terminal: `/rename` in the app, then `kode agents` and `kode rename`
/// from a shell against the same store.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct RenameEndToEndTests {
    @Test func aTitleGivenInTheAppIsWhatKodeAgentsShows() async throws {
        let app = try await AppUnderTmux.launch(script: #"{"turns":[{"text":"done"}]}"#, width: 120, height: 30, prefix: "kode-e2e-rename")
        defer { app.term.kill() }
        try app.term.type("fix the login bug")
        try await app.term.waitFor("done")
        try app.term.type("/rename Login work")
        try await app.term.waitFor("Conversation · Login work")
        try await app.term.waitFor("renamed \"Login work\" (by user)")
        try app.term.keys("C-c")
        try app.term.keys("C-c")
        try await app.term.waitFor("EXIT:0")

        let listed = try await KodeCLI.run(["agents", "--json", "--store", app.store])
        let rows = try JSONValue.parse(listed.stdout).arrayValue ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["title"]?.stringValue == "Login work")
        let id = try #require(rows.first?["id"]?.stringValue)

        let cleared = try await KodeCLI.run(["rename", id, "--clear", "--store", app.store])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        let table = try await KodeCLI.run(["agents", "--store", app.store])
        #expect(table.stdout.contains("fix the login bug"), "the first prompt names it again: \(table.stdout)")

        let hostile = try await KodeCLI.run(["rename", id, "bad\u{1b}[2Jname", "--store", app.store])
        #expect(hostile.status == 0, "\(hostile.stderr)")
        #expect(!hostile.stdout.contains("\u{1b}"), "printed sanitized")
        let after = try await KodeCLI.run(["agents", "--store", app.store])
        #expect(after.stdout.contains("bad") && !after.stdout.contains("\u{1b}"))
        let tooLong = try await KodeCLI.run(["rename", id, String(repeating: "x", count: 121), "--store", app.store])
        #expect(tooLong.status == 2 && tooLong.stderr.contains("at most 120 characters"), "\(tooLong.stderr)")
    }
}

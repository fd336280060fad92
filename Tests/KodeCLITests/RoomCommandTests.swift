import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode room", .serialized)
struct RoomCommandTests {
    static let planner = #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"@coder please write the parser"}}]},
          {"text":"delegated"},
          {"text":"thanks"},
          {"text":"more news noted"}
        ]}
        """#
    static let coder = #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"@planner parser done"}}]},
          {"text":"reported"},
          {"text":"fork: trying a table-driven parser instead"},
          {"text":"noted"}
        ]}
        """#

    func room(_ f: CLIFixture, _ args: [String]) async throws -> KodeCLI.Result {
        try await KodeCLI.run(["room"] + args + ["--store", f.store])
    }

    @Test("create, join, post, show, fork mid-way and run: the room example headless")
    func endToEnd() async throws {
        let f = try CLIFixture()
        #expect(try await room(f, ["create", "design"]).stdout == "room design created\n")
        for (member, script) in [("planner", Self.planner), ("coder", Self.coder)] {
            let path = try f.script(script, name: "\(member).json")
            let joined = try await room(f, ["join", "design", member, "--workdir", f.workDir, "--provider", "scripted", "--script", path])
            #expect(joined.status == 0, "\(joined.stderr)")
            #expect(joined.stdout.hasPrefix("@\(member) joined room design (agent "))
            #expect(joined.agentId != nil)
        }

        let posted = try await room(f, ["post", "design", "@planner we need a parser"])
        #expect(posted.status == 0, "\(posted.stderr)")
        #expect(posted.lines == [
            "#1 @user -> @planner: @planner we need a parser",
            "#2 @planner -> @coder: @coder please write the parser",
            "#3 @coder -> @planner: @planner parser done",
        ])

        // The coder is forked mid-way to explore on its own: it does not join.
        let fork = try await room(f, ["fork", "design", "coder", "--prompt", "explore another parser"])
        #expect(fork.status == 0, "\(fork.stderr)")
        let forkLine = try #require(fork.stderr.split(separator: "\n").first { $0.hasPrefix("fork: ") })
        let forkId = String(forkLine.dropFirst("fork: ".count))
        #expect(fork.stdout == "fork \(forkId): fork: trying a table-driven parser instead\n")

        let shown = try await room(f, ["show", "design", "--json"])
        let json = try JSONValue.parse(shown.stdout)
        #expect(json["members"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["planner", "coder"])
        #expect(json["messages"]?.arrayValue?.count == 3)

        // A broadcast later reaches both members, and the fork not at all.
        let later = try await room(f, ["post", "design", "more news"])
        #expect(later.lines == ["#4 @user -> everyone: more news"])
        let text = try await room(f, ["show", "design"])
        #expect(text.lines.first == "room design: 2 member(s), 4 message(s)")
        let exported = try await f.export(forkId)
        #expect(!"\(exported)".contains("more news"))

        // Nothing is left to do: run says so and delivers nothing twice.
        let run = try await room(f, ["run", "design"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("room design is quiet"))
        #expect(try await room(f, ["list"]).stdout == "design  4 message(s)  @planner @coder\n")
    }

    @Test("a fork can join under a new name and is then mentioned like any member")
    func forkJoins() async throws {
        let f = try CLIFixture()
        _ = try await room(f, ["create", "r"])
        let path = try f.script(#"{"turns":[]}"#)
        _ = try await room(f, ["join", "r", "a", "--workdir", f.workDir, "--provider", "scripted", "--script", path])
        _ = try await room(f, ["post", "r", "@a hello"])
        let fork = try await room(f, ["fork", "r", "a", "--join", "b"])
        #expect(fork.status == 0, "\(fork.stderr)")
        #expect(fork.stdout.contains("@b joined room r (fork "))
        let posted = try await room(f, ["post", "r", "@b welcome", "--as", "a"])
        #expect(posted.lines == ["#2 @a -> @b: @b welcome"])
    }

    @Test("unknown rooms, unknown members and bad names exit 2 with a message saying which")
    func badInput() async throws {
        let f = try CLIFixture()
        let missing = try await room(f, ["post", "nowhere", "hi"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no room 'nowhere' in this store"))
        _ = try await room(f, ["create", "r"])
        let again = try await room(f, ["create", "r"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("room 'r' exists already"))
        let path = try f.script(#"{"turns":[]}"#)
        _ = try await room(f, ["join", "r", "a", "--workdir", f.workDir, "--provider", "scripted", "--script", path])
        let unknown = try await room(f, ["post", "r", "@zed hi"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("room 'r' has no member @zed; members: @a"))
        let notMember = try await room(f, ["post", "r", "hi", "--as", "zed"])
        #expect(notMember.status == 2)
        #expect(notMember.stderr.contains("room 'r' has no member @zed"))
        let impersonating = try await room(f, ["post", "r", "hi", "--from", "a"])
        #expect(impersonating.status == 2)
        #expect(impersonating.stderr.contains("'a' is a member of room r: post as the member instead (--as a)"))
        let badName = try await room(f, ["create", "no/slash"])
        #expect(badName.status == 2)
        #expect(badName.stderr.contains("invalid room name 'no/slash'"))
        let forkUnknown = try await room(f, ["fork", "r", "zed"])
        #expect(forkUnknown.status == 2)
        #expect(forkUnknown.stderr.contains("no member @zed"))
        // A refused join makes no agent.
        let before = try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout
        let taken = try await room(f, ["join", "r", "a", "--workdir", f.workDir, "--provider", "scripted", "--script", path])
        #expect(taken.status == 2 && taken.stderr.contains("@a"), "\(taken.stderr)")
        #expect(!taken.stderr.contains("agent: "), "\(taken.stderr)")
        let badMember = try await room(f, ["join", "r", "no/slash", "--workdir", f.workDir, "--provider", "scripted", "--script", path])
        #expect(badMember.status == 2, "\(badMember.stderr)")
        let after = try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout
        #expect(try JSONValue.parse(after).arrayValue?.count == JSONValue.parse(before).arrayValue?.count, "a refused join left an agent")
    }

    @Test("while a host runs the store, rooms can be created, listed and shown; running members is refused")
    func withAHost() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        do {
            try await roomsBesideAHost(f)
        } catch {
            _ = try? await host.stop()
            throw error
        }
        try await host.stop()
    }

    private func roomsBesideAHost(_ f: CLIFixture) async throws {
        let created = try await room(f, ["create", "r"])
        #expect(created.status == 0, "\(created.stderr)")
        let listed = try await room(f, ["list"])
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").contains { $0.split(separator: " ").first == "r" }, "\(listed.stdout) \(listed.stderr)")
        let shown = try await room(f, ["show", "r"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let path = try f.script(#"{"turns":[]}"#)
        let joined = try await room(f, ["join", "r", "a", "--workdir", f.workDir, "--provider", "scripted", "--script", path])
        #expect(joined.status == 2 && joined.stderr.contains("stop the host first"), "\(joined.stderr)")
    }
}

import Foundation
import KodeKernel
import KodePostgres
import KodeTestSupport
import Testing

/// `kode store copy` between a directory and PostgreSQL: ids, seqs, lineage, checkpoints and
/// every record survive the trip, and copying back gives an identical export.
@Suite(.serialized) struct StoreCopyTests {
    @Test func aDirectoryStoreCopiedToPostgresAndBackIsTheSame() async throws {
        try await TestPostgres.withSchema { url in
            let work = try TemporaryDirectory(prefix: "kode-pg-copy")
            // A folder inside the temporary one: a fork may put a workspace copy beside its parent's.
            let workDir = work.url.appendingPathComponent("w")
            try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
            let original = work.url.appendingPathComponent("original").path
            let back = work.url.appendingPathComponent("back").path
            let script = work.url.appendingPathComponent("script.json").path
            // A tool input with several keys: objects are where a re-encoding could reorder bytes.
            try #"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}},{"name":"fs_read","input":{"path":"notes.txt","offset":1,"limit":5}}]},{"text":"copied ✓"}]}"#.write(toFile: script, atomically: true, encoding: .utf8)
            try "one\ntwo\n".write(to: workDir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            let run = try await KodeCLI.run(["run", "--store", original, "--workdir", workDir.path, "--provider", "scripted", "--script", script, "--prompt", "hi", "--permission", "auto"])
            #expect(run.status == 0, "\(run.stderr)")
            let parent = try #require(run.agentId)
            let fork = try await KodeCLI.run(["fork", parent, "--at", "latest", "--json", "--store", original])
            #expect(fork.status == 0, "\(fork.stderr)")
            let child = try #require(try JSONValue.parse(fork.stdout)["id"]?.stringValue)

            let there = try await KodeCLI.run(["store", "copy", "--from", original, "--to", url])
            #expect(there.status == 0, "\(there.stderr)")
            #expect(there.stdout.contains("2 agent(s) copied"), "\(there.stdout)")
            let again = try await KodeCLI.run(["store", "copy", "--from", original, "--to", url, parent])
            #expect(again.status != 0 && again.stderr.contains("already exists"), "a second copy of the same id: \(again.stderr)")
            let home = try await KodeCLI.run(["store", "copy", "--from", url, "--to", back, child, parent])
            #expect(home.status == 0, "\(home.stderr)")

            // Every record's bytes, as stored, in all three stores (a fork's own records are
            // those after its fork seq).
            let database = try await PostgresStore.open(url)
            for id in [parent, child] {
                let manifest = try await FileStore(root: URL(fileURLWithPath: original)).manifest(of: id)
                let own = manifest.parent?.seq ?? 0
                let first = try await FileStore(root: URL(fileURLWithPath: original)).ownEncodedRecords(of: id, after: own)
                let inPostgres = try await database.encodedRecords(of: id, after: own)
                let last = try await FileStore(root: URL(fileURLWithPath: back)).ownEncodedRecords(of: id, after: own)
                #expect(!first.isEmpty)
                #expect(first == inPostgres, "the bytes of \(id)'s records changed on the way to PostgreSQL")
                #expect(first == last, "the bytes of \(id)'s records changed on the way back")
            }
            await database.shutdown()

            for id in [parent, child] {
                let a = try await KodeCLI.run(["export", id, "--json", "--store", original])
                let b = try await KodeCLI.run(["export", id, "--json", "--store", back])
                #expect(a.status == 0 && a.stdout == b.stdout, "export of \(id) differs")
                let before = try await FileStore(root: URL(fileURLWithPath: original)).records(of: id, after: 0)
                let inPostgres = try await KodeCLI.run(["agents", "--store", url])
                #expect(inPostgres.stdout.contains(id))
                let after = try await FileStore(root: URL(fileURLWithPath: back)).records(of: id, after: 0)
                #expect(before == after, "records of \(id) differ after the round trip")
                #expect(try await FileStore(root: URL(fileURLWithPath: back)).manifest(of: id) == (try await FileStore(root: URL(fileURLWithPath: original)).manifest(of: id)))
            }
        }
    }
}

import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// DESIGN §4 "No secrets": the store writes only what it is given. An API key that sits in the
/// process environment while an agent is created, written, snapshotted and forked must not
/// appear in any file of the store.
@Suite struct NoSecretsTests {
    @Test func aKeyInTheEnvironmentNeverReachesTheStoreFiles() async throws {
        let sentinel = "sk-ant-kode-sentinel-" + UUID().uuidString
        setenv("ANTHROPIC_API_KEY", sentinel, 1)
        setenv("OPENAI_API_KEY", sentinel, 1)
        defer {
            unsetenv("ANTHROPIC_API_KEY")
            unsetenv("OPENAI_API_KEY")
        }
        let fixture = try await StoreFixture()
        let store = try fixture.makeStore()
        let writer = try await store.openWriter(fixture.id)
        try await writer.append(StoreConformance.sampleRecords(from: 1, count: 30), durability: .durable)
        try await writer.append(StoreConformance.sampleRecords(from: 31, count: 5), durability: .buffered)
        try await writer.writeSnapshot(StoredSnapshot(seq: 35, data: Data("{\"messages\":[]}".utf8)))
        try await store.create(StoreConformance.sampleManifest(id: "fork", parent: ParentRef(agentId: fixture.id, seq: 20)))
        _ = try store.check(repair: true)
        try await writer.close()

        var files = 0
        let enumerator = FileManager.default.enumerator(at: fixture.directory.url, includingPropertiesForKeys: nil)
        let needle = Data(sentinel.utf8)
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            files += 1
            #expect(try Data(contentsOf: url).range(of: needle) == nil, "\(url.path) contains the API key")
        }
        #expect(files >= 5, "expected two manifests, a segment, a snapshot and LOCK; found \(files) files")
    }
}

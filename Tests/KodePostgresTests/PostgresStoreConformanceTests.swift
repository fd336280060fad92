import Foundation
import KodeKernel
import KodePostgres
import KodeTestSupport
import Testing

/// The store conformance suite, unchanged, against a real server: each check in a fresh schema.
@Suite struct PostgresStoreConformanceTests {
    @Test(arguments: StoreConformance.names)
    func conformance(_ check: String) async throws {
        try await TestPostgres.withSchema { url in
            let opened = OpenedStores()
            defer { Task { await opened.shutdown() } }
            try await StoreConformance.run(check) {
                let store = try await PostgresStore.open(url)
                await opened.add(store)
                return store
            }
            await opened.shutdown()
        }
    }
}

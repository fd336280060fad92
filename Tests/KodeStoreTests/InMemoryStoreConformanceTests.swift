import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite struct InMemoryStoreConformanceTests {
    @Test(arguments: StoreConformance.names)
    func conformance(_ check: String) async throws {
        try await StoreConformance.run(check) { InMemoryStore() }
    }
}

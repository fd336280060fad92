import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite struct FileStoreConformanceTests {
    @Test(arguments: StoreConformance.names)
    func conformance(_ check: String) async throws {
        let directory = try TemporaryDirectory(prefix: "kode-store")
        try await StoreConformance.run(check) { try FileStore(root: directory.url) }
        withExtendedLifetime(directory) {}
    }
}

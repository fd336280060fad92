import Foundation
import KodeKernel
import KodePostgres
import Synchronization

/// Where this machine's worker for a PostgreSQL store keeps its socket (`WorkerDirectory`), and
/// which URL such a directory stands for in this process.
enum PostgresHostDirectory {
    private static let urls = Mutex<[String: String]>([:])

    static func root(for url: String) -> URL {
        let root = WorkerDirectory.root(for: url)
        urls.withLock { $0[root.standardizedFileURL.path] = url }
        return root
    }

    /// The URL a root stands for, when it is a PostgreSQL store's (so a host started for it in the
    /// background is given the URL, not the directory).
    static func url(forRoot root: URL) -> String? {
        urls.withLock { $0[root.standardizedFileURL.path] }
    }
}

import Foundation

/// A fresh directory under the system's temporary directory (or `parent`) that removes itself,
/// with everything in it, when the value is released.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute, symlink-free location.
    public let url: URL

    /// Creates a uniquely named directory whose name starts with `prefix`.
    public init(prefix: String = "kode-test", in parent: URL? = nil) throws {
        let base = parent ?? FileManager.default.temporaryDirectory
        let created = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: created, withIntermediateDirectories: true)
        // Symlinks resolved (macOS /var → /private/var), so paths compare equal to what a sandbox resolves.
        url = created.resolvingSymlinksInPath()
    }

    /// The directory's path.
    public var path: String { url.path }

    /// A location inside the directory.
    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

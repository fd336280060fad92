import Foundation

/// Keeps the default store (`./.kode`) out of `git status`: a `.gitignore` inside it that
/// ignores everything in the folder, itself included. Written once, when missing; a person's
/// own `.gitignore` there is left alone. To share a project config, `git add -f
/// .kode/config.toml` (git follows a tracked file whatever the ignore rules say).
enum StoreGitIgnore {
    static let text = """
        # Kode's store: agents' logs, snapshots and locks. Everything here is ignored, so the
        # folder never shows in git status. To share .kode/config.toml: git add -f .kode/config.toml

        *

        """

    /// Creates `root/.gitignore` unless it exists; a failure is not an error (the store works).
    static func ensure(root: URL) {
        let path = root.appendingPathComponent(".gitignore").path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

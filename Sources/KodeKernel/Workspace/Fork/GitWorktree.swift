import Foundation

/// The two git operations a `worktree` fork needs, run as `git` processes.
enum GitWorktree {
    /// The top of the repository holding `directory`, or nil when it is not in one.
    static func topLevel(of directory: String) -> String? {
        guard let out = try? run(["-C", directory, "rev-parse", "--show-toplevel"]) else { return nil }
        let top = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return top.isEmpty ? nil : WorkspacePaths.resolved(top)
    }

    /// `git worktree add --detach <path> HEAD` in the repository at `top`.
    static func add(_ path: String, repository top: String) throws {
        do {
            _ = try run(["-C", top, "worktree", "add", "--detach", path, "HEAD"])
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.git("\(error)")
        }
    }

    private static func run(_ arguments: [String]) throws -> String {
        let result = try CapturedRun.run("git", arguments)
        guard result.status == 0 else {
            throw WorkspaceError.git("git \(arguments.joined(separator: " ")): \(String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }
}

import Foundation

/// A text file opened for an edit by `fs_edit` or `fs_multi_edit`: resolved in the sandbox,
/// checked against what the agent last saw (a file changed on disk since is refused), read,
/// and written back in place. ``close()`` must follow, written or not.
struct FileEditSession {
    let url: URL
    let shown: String
    let bytes: [UInt8]
    private let files: FileAwareness?

    init(path: String, tool: String, context: ToolContext) throws {
        let sandbox = try ToolInputReader.workspace(context, tool: tool)
        url = try sandbox.resolve(path, forWriting: true)
        shown = sandbox.displayPath(url)
        switch DirectoryWalker.kind(of: url.path) {
        case .directory: throw ToolFailure("\(shown) is a directory, not a file")
        case .other where !FileManager.default.fileExists(atPath: url.path): throw ToolFailure("file not found: \(shown); use fs_write to create it")
        default: break
        }
        files = context.files
        try files?.beginWrite(url, shown: shown)
        do {
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw ToolFailure("cannot read \(shown): \(error.localizedDescription)") }
            if TextFile.looksBinary(data) { throw ToolFailure("\(shown) looks like a binary file; \(tool) edits text files only") }
            bytes = Array(data)
        } catch {
            files?.endWrite(url, shown: shown)
            throw error
        }
    }

    /// Writes the new content in place (keeping the inode and mode).
    func write(_ result: [UInt8]) throws {
        do { try Data(result).write(to: url) } catch { throw ToolFailure("cannot write \(shown): \(error.localizedDescription)") }
    }

    /// Ends the edit: the agent now knows the file as it is.
    func close() {
        files?.endWrite(url, shown: shown)
    }
}

import Foundation

/// Where an agent's project instructions come from: `AGENTS.md` and `KODE.md` in the work
/// directory and each parent up to the repository root (the nearest directory holding `.git`;
/// without one, the work directory alone), plus the user's own `AGENTS.md` in Kode's config
/// directory. They join the system prompt, most general first, and are recorded in the log
/// (`instructions_loaded`).
public struct ProjectInstructions: Sendable, Hashable {
    /// The user's file (`~/.config/kode/AGENTS.md`); nil for none.
    public var userFile: String?
    /// The names looked for in each directory, in order.
    public var fileNames: [String]

    /// A file is cut after this many bytes (with a note), so a huge file cannot fill the context.
    public static let maximumBytes = 32 * 1024

    public init(userFile: String?, fileNames: [String] = ["AGENTS.md", "KODE.md"]) {
        self.userFile = userFile
        self.fileNames = fileNames
    }

    /// The user's file at `$XDG_CONFIG_HOME/kode/AGENTS.md`, else `~/.config/kode/AGENTS.md`.
    public static var standard: ProjectInstructions {
        let environment = ProcessInfo.processInfo.environment
        let base: String
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = home + "/.config"
        }
        return ProjectInstructions(userFile: base + "/kode/AGENTS.md")
    }

    /// No instructions at all (for programs that build their own prompt).
    public static let none = ProjectInstructions(userFile: nil, fileNames: [])

    /// The files found for `workDir`, read now: the user's first, then from the repository root
    /// down to `workDir`. Unreadable or empty files are skipped.
    public func find(workDir: String) -> [InstructionFile] {
        var files: [InstructionFile] = []
        if let userFile, let file = Self.read(userFile) { files.append(file) }
        for directory in Self.directories(from: workDir) {
            for name in fileNames {
                if let file = Self.read(directory + "/" + name) { files.append(file) }
            }
        }
        return files
    }

    /// `workDir` and its parents up to the repository root, root first.
    static func directories(from workDir: String) -> [String] {
        var chain: [String] = []
        var current = URL(fileURLWithPath: workDir).standardizedFileURL.path
        while true {
            chain.append(current)
            if FileManager.default.fileExists(atPath: current + "/.git") { return chain.reversed() }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { break }
            current = parent
        }
        // No repository above: only the work directory itself.
        return [chain[0]]
    }

    private static func read(_ path: String) -> InstructionFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        var text = String(decoding: data.prefix(maximumBytes), as: UTF8.self)
        if data.count > maximumBytes {
            text += "\n[… cut: the file is longer than \(maximumBytes / 1024) KiB]"
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return InstructionFile(path: path, text: text)
    }
}

import Foundation

/// What a workspace snapshot captures (docs/WORKSPACE.md). Stored in the agent's config, so a
/// resumed agent keeps capturing the same way.
public struct WorkspaceConfig: Sendable, Hashable, Codable {
    /// Snapshots at all. Off: checkpoints cover the conversation only, as before.
    public var enabled: Bool
    /// Files larger than this are recorded as "not captured" (default 50 MB).
    public var maxFileSize: Int64
    /// Globs (relative to the work directory, `.gitignore` syntax) that are never captured.
    public var exclude: [String]
    /// Globs captured even when a `.gitignore` ignores them (an `exclude` still wins).
    public var include: [String]

    public static let defaultMaxFileSize: Int64 = 50 * 1024 * 1024

    public init(enabled: Bool = true, maxFileSize: Int64 = WorkspaceConfig.defaultMaxFileSize, exclude: [String] = [], include: [String] = []) {
        self.enabled = enabled
        self.maxFileSize = maxFileSize
        self.exclude = exclude
        self.include = include
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true,
            maxFileSize: try c.decodeIfPresent(Int64.self, forKey: .maxFileSize) ?? Self.defaultMaxFileSize,
            exclude: try c.decodeIfPresent([String].self, forKey: .exclude) ?? [],
            include: try c.decodeIfPresent([String].self, forKey: .include) ?? [])
    }
}

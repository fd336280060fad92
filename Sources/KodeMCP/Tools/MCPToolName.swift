/// The name a server's tool goes by for the model: `mcp__SERVER__TOOL`.
///
/// Vendors accept tool names of at most 64 characters from `[A-Za-z0-9_-]`; other characters
/// become `_`, and a name that would be longer is cut and given a short checksum of the full
/// name, so two long names stay distinct.
enum MCPToolName {
    static let limit = 64

    static func make(server: String, tool: String) -> String {
        let full = "mcp__" + clean(server) + "__" + clean(tool)
        guard full.count > limit else { return full }
        let suffix = "_" + checksum(full)
        return String(full.prefix(limit - suffix.count)) + suffix
    }

    static func clean(_ text: String) -> String {
        String(text.map { character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-") ? character : "_"
        })
    }

    /// FNV-1a over the UTF-8 bytes, as 8 hex digits: stable across runs and platforms.
    static func checksum(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

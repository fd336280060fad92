import Foundation

/// Joining a user-supplied base URL with an endpoint path.
package enum BaseURL {
    /// `base` without trailing slashes, followed by `path` (which starts with `/`).
    package static func join(_ base: String, _ path: String) -> String {
        var trimmed = base.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + path
    }

    /// Whether `base` points at this machine (`localhost`, `127.0.0.0/8`, `::1`), where local
    /// model servers such as Ollama, llama.cpp and vLLM need no key.
    package static func isLoopback(_ base: String) -> Bool {
        guard let host = URL(string: base)?.host?.lowercased() else { return false }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        // 127.0.0.0/8, as a dotted IPv4 literal only (a name like 127.example.com is remote).
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

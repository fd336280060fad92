/// Anthropic `redacted_thinking` blocks, carried through the conversation inside the reply's
/// thinking signature.
///
/// Why this shape: the API requires every redacted block to be sent back unchanged, in its
/// place among the thinking blocks, but the kernel's conversation keeps one thinking block per
/// reply (its text and one signature, built by appending every `thinkingSignature` piece in
/// order) and has no case for redacted thinking. So the decoder emits each redacted block as a
/// signature piece wrapped in U+001E RECORD SEPARATOR, a character that never occurs in the
/// base64 of signatures or redacted data, and the request encoder splits the stored signature
/// back into the real signature and the redacted blocks, in the order they streamed.
enum RedactedThinking {
    private static let separator: Character = "\u{1E}"

    /// The signature piece that stands for one redacted block with this `data`.
    static func signaturePiece(data: String) -> String {
        "\(separator)\(data)\(separator)"
    }

    /// One part of a stored signature, in stream order.
    enum Part: Equatable {
        /// Signature text of the thinking block.
        case signature(String)
        /// A redacted block's `data`.
        case redacted(String)
    }

    /// Splits a stored signature: outside the separators is signature text, each enclosed
    /// run is one redacted block's data. Empty signature runs are left out.
    static func parts(of signature: String) -> [Part] {
        guard signature.contains(separator) else { return signature.isEmpty ? [] : [.signature(signature)] }
        var parts: [Part] = []
        for (position, run) in signature.split(separator: separator, omittingEmptySubsequences: false).enumerated() {
            if position % 2 == 1 {
                parts.append(.redacted(String(run)))
            } else if !run.isEmpty {
                parts.append(.signature(String(run)))
            }
        }
        return parts
    }
}

import Foundation
/// Makes vendor-supplied text safe to show: no API key, no terminal control characters, bounded.
package enum SafeText {
    /// `text` with every occurrence of `secret` replaced, control characters (ESC and friends)
    /// turned into spaces, and at most `limit` characters kept.
    package static func clean(_ text: String, hiding secret: String?, limit: Int = 600) -> String {
        var result = text
        if let secret, secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
        }
        var scalars = String.UnicodeScalarView()
        for scalar in result.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            scalars.append(isControl ? " " : scalar)
        }
        result = String(scalars).trimmingCharacters(in: .whitespaces)
        if result.count > limit { result = String(result.prefix(limit)) + "…" }
        return result
    }
}

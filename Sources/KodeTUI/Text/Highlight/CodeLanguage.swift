/// The languages fenced code blocks are highlighted in, named by a fence's info string.
package enum CodeLanguage: String, Sendable, Hashable, CaseIterable {
    case swift, python, javascript, go, rust, shell, json, yaml, diff

    /// The language a fence's info string names (` ```ts `, ` ```bash title="x" `), if known.
    package init?(fence info: String) {
        let word = info.split(separator: " ").first.map { $0.lowercased() } ?? ""
        switch word {
        case "swift": self = .swift
        case "python", "py", "python3": self = .python
        case "javascript", "js", "jsx", "mjs", "cjs", "typescript", "ts", "tsx": self = .javascript
        case "go", "golang": self = .go
        case "rust", "rs": self = .rust
        case "sh", "bash", "shell", "zsh", "console", "shellsession": self = .shell
        case "json", "jsonc", "json5": self = .json
        case "yaml", "yml": self = .yaml
        case "diff", "patch", "udiff": self = .diff
        default: return nil
        }
    }
}

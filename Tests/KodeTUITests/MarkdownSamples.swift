import KodeTUI

/// Markdown the render tests lay out: one sample per element, and a reply that uses them all.
enum MarkdownSamples {
    static let heading = "# Kode runtime\n## Design notes\n### Streaming *replies*"
    static let emphasis = "Plain, **strong**, *emphasis*, _also emphasis_, ***both***, ~~gone~~ and snake_case_name stays."
    static let inlineCode = "Call `agent.send(text)` or ``code with ` inside`` then `fs_read`."
    static let link = "See [the design](https://example.com/design.md) and <https://example.com/raw> or ![logo](img/logo.png)."
    static let bulletList = "- first item\n- second item with enough words to wrap at forty columns for sure\n  - nested item\n    - deeper item\n- third"
    static let numberedList = "1. one\n2. two\n10. ten items later"
    static let taskList = "- [ ] write the parser\n- [x] write the tests\n- [ ] benchmark"
    static let quote = "> A quote that is long enough to wrap when the terminal is only forty columns wide.\n> > nested quote\n> - a list in a quote"
    static let table = "| Name | Role | Notes |\n|:-----|:----:|------:|\n| dark | default theme | 256 colours |\n| light | for light backgrounds | also 8 colours |\n| mono | `NO_COLOR` | attributes only, no colour at all |"
    static let rule = "above\n\n---\n\nbelow"
    static let fences: [(CodeLanguage, String)] = [
        (.swift, "```swift\n@MainActor func greet(_ name: String) -> Int {\n    let n = 42 // answer\n    print(\"hi \\(name)\")\n    return nil ?? n\n}\n```"),
        (.python, "```python\n@dataclass\ndef total(xs: list[int]) -> int:\n    \"\"\"Sum them.\"\"\"\n    return sum(xs) if xs else None  # empty\n```"),
        (.javascript, "```ts\nexport async function load(id: string): Promise<number> {\n  const url = `/api/${id}`; /* block */\n  return await fetch(url) ?? null;\n}\n```"),
        (.go, "```go\nfunc main() {\n\tx := []int{1, 2, 3}\n\tfmt.Println(\"n\", len(x), nil) // done\n}\n```"),
        (.rust, "```rust\nfn first<'a>(s: &'a str) -> Option<char> {\n    let c = 'x';\n    println!(\"{}\", s); // print\n    Some(c)\n}\n```"),
        (.shell, "```bash\n# build then test\nFOO=1 swift build -c release | tee \"$HOME/log\" && echo done\nif [ -f x ]; then rm -rf x; fi\n```"),
        (.json, "```json\n{\"name\": \"kode\", \"version\": 2, \"ok\": true, \"tags\": [\"a\", null]}\n```"),
        (.yaml, "```yaml\n# config\nname: kode\nreplicas: 3\nenabled: true\nitems:\n  - path: \"src\"\nscript: |\n  echo hi\n```"),
        (.diff, "```diff\n--- a/x.swift\n+++ b/x.swift\n@@ -1,2 +1,2 @@\n-let a = 1\n+let a = 2\n context\n```"),
    ]

    /// A reply with every element, as a model would stream it.
    static let reply = """
        # Plan

        I will **change** the parser, keep `fs_read` as is, and see [the docs](https://example.com/d).

        1. read the file
        2. edit it
           - carefully, with *tests*
        - [x] parser
        - [ ] renderer

        > Note: streaming must never re-flow.

        | step | cost |
        |------|-----:|
        | parse | 1 ms |
        | draw | 0.2 ms |

        ```swift
        let total = items.reduce(0) { $0 + $1.size } // bytes
        ```

        This line is long enough to wrap at forty columns and at sixty too, so its full rows show while it streams, before its newline, and it ends with **bold** markup and `code` that arrive later.

        ---
        Done: 日本語 and emoji 👍🏽 wrap too.
        """
}

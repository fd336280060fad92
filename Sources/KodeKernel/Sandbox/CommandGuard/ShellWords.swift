import Foundation

/// A rough reading of a shell command line into simple commands, good enough to vet commands
/// and to match permission patterns against each part of a compound command.
///
/// It understands quoting (`'…'`, `"…"`, backslash), splits at `;`, `&&`, `||`, `|`, `|&`, `&`,
/// newlines, subshell parentheses, `$(…)`, `<(…)`, `>(…)` and backticks, and collects command
/// substitutions inside double quotes so they can be vetted too. It is not a shell: anything it
/// cannot read is simply kept as words, which errs towards vetting more text, never less.
package struct ShellWords: Sendable, Hashable {
    /// How a simple command is joined to the one before it.
    package enum Link: Sendable, Hashable {
        /// First command, or after `;`, `&&`, `||`, `&`, a newline or a parenthesis.
        case sequence
        /// After `|` or `|&`: its input is the previous command's output.
        case pipe
        /// The start of a command substitution or process substitution (`$(`, `<(`, `>(`, a backtick).
        case substitution
    }

    /// One simple command: its words (quotes removed) and how it is linked to the previous one.
    package struct Command: Sendable, Hashable {
        /// The words, quotes removed (`echo "a b"` → `echo`, `a b`).
        package var words: [String]
        /// How it is joined to the command before it.
        package var link: Link
        /// The command's own text, trimmed, as written (quotes kept).
        package var text: String

        /// The words joined by single spaces: the command with spacing and quoting evened out.
        package var normalized: String {
            words.joined(separator: " ")
        }
    }

    /// The simple commands in order.
    package private(set) var commands: [Command] = []
    /// Text of `$(…)` and backtick substitutions found inside double quotes (vetted separately).
    package private(set) var quotedSubstitutions: [String] = []
    /// True when the line has redirections or substitutions, which a plain pattern cannot vouch for.
    package private(set) var hasRedirectionOrSubstitution = false

    /// Reads `line`.
    package init(_ line: String) {
        var reader = Reader(Array(line))
        reader.run()
        commands = reader.commands
        quotedSubstitutions = reader.quotedSubstitutions
        hasRedirectionOrSubstitution = reader.sawRedirectionOrSubstitution
    }

    private struct Reader {
        let chars: [Character]
        var index = 0
        var commands: [Command] = []
        var quotedSubstitutions: [String] = []
        var sawRedirectionOrSubstitution = false

        private var words: [String] = []
        private var word = ""
        private var inWord = false
        private var link: Link = .sequence
        private var commandStart = 0

        init(_ chars: [Character]) {
            self.chars = chars
        }

        mutating func run() {
            while index < chars.count {
                let char = chars[index]
                switch char {
                case "\\":
                    inWord = true
                    if index + 1 < chars.count, chars[index + 1] != "\n" { word.append(chars[index + 1]) }
                    index += 2
                case "'":
                    inWord = true
                    index += 1
                    while index < chars.count, chars[index] != "'" { word.append(chars[index]); index += 1 }
                    index += 1
                case "\"":
                    inWord = true
                    readDoubleQuoted()
                case " ", "\t":
                    endWord()
                    index += 1
                case "\n", ";":
                    endCommand(next: .sequence, skip: 1)
                case "&":
                    if peek(1) == ">" { sawRedirectionOrSubstitution = true; endWord(); index += 2; continue }
                    endCommand(next: .sequence, skip: peek(1) == "&" ? 2 : 1)
                case "|":
                    if peek(1) == "|" { endCommand(next: .sequence, skip: 2) } else { endCommand(next: .pipe, skip: peek(1) == "&" ? 2 : 1) }
                case "(", ")":
                    endCommand(next: .sequence, skip: 1)
                case "`":
                    sawRedirectionOrSubstitution = true
                    endCommand(next: .substitution, skip: 1)
                case "$" where peek(1) == "(":
                    sawRedirectionOrSubstitution = true
                    endCommand(next: .substitution, skip: 2)
                case "<", ">":
                    sawRedirectionOrSubstitution = true
                    if peek(1) == "(" {
                        endCommand(next: .substitution, skip: 2)
                    } else if peek(1) == "&" {
                        // `2>&1`, `>&-`: a descriptor duplication, not a background `&`.
                        endWord()
                        index += 2
                        while index < chars.count, chars[index].isNumber || chars[index] == "-" { index += 1 }
                    } else {
                        // A redirection ends the word before it (`2>` keeps its digit as a word, harmlessly).
                        endWord()
                        index += 1
                    }
                default:
                    inWord = true
                    word.append(char)
                    index += 1
                }
            }
            endCommand(next: .sequence, skip: 0)
        }

        private func peek(_ offset: Int) -> Character? {
            index + offset < chars.count ? chars[index + offset] : nil
        }

        private mutating func readDoubleQuoted() {
            index += 1
            while index < chars.count, chars[index] != "\"" {
                let char = chars[index]
                if char == "\\", index + 1 < chars.count {
                    word.append(chars[index + 1])
                    index += 2
                } else if char == "$", peek(1) == "(" {
                    sawRedirectionOrSubstitution = true
                    let inner = readBalanced(from: index + 2)
                    quotedSubstitutions.append(inner)
                    word += "$(" + inner + ")"
                } else if char == "`" {
                    sawRedirectionOrSubstitution = true
                    var inner = ""
                    index += 1
                    while index < chars.count, chars[index] != "`" { inner.append(chars[index]); index += 1 }
                    index += 1
                    quotedSubstitutions.append(inner)
                    word += "`" + inner + "`"
                } else {
                    word.append(char)
                    index += 1
                }
            }
            index += 1
        }

        /// Reads up to the `)` that closes a `$(` whose body starts at `start`; leaves `index` after it.
        private mutating func readBalanced(from start: Int) -> String {
            var depth = 1
            var cursor = start
            var inner = ""
            while cursor < chars.count {
                let char = chars[cursor]
                if char == "(" { depth += 1 }
                if char == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
                inner.append(char)
                cursor += 1
            }
            index = cursor + 1
            return inner
        }

        private mutating func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }

        private mutating func endCommand(next: Link, skip: Int) {
            endWord()
            let end = min(index, chars.count)
            let text = String(chars[min(commandStart, end)..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            // `{ …; }` groups: the braces are words of their own and carry no meaning here.
            let meaningful = words.filter { $0 != "{" && $0 != "}" }
            if !meaningful.isEmpty {
                commands.append(Command(words: meaningful, link: link, text: text))
            }
            words = []
            link = next
            index += skip
            commandStart = index
        }
    }
}

/// A file-name glob: `*` (any run within one path component), `?` (one character), `[abc]`,
/// `[a-z]`, `[!x]` / `[^x]` (character classes), and `**` as a whole component (zero or more
/// directories). Matching is against `/`-separated relative paths, component by component.
package struct GlobPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Character)
        case one
        case run
        case set(items: [ClassItem], negated: Bool)
    }

    enum ClassItem: Sendable, Hashable {
        case single(Character)
        case range(Character, Character)
    }

    enum Segment: Sendable, Hashable {
        /// `**`: zero or more whole components.
        case anyDepth
        case component([Token])
    }

    /// The pattern as written.
    package let text: String
    let segments: [Segment]

    /// Compiles `pattern`. An unclosed `[` is taken literally.
    package init(_ pattern: String) {
        text = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            part == "**" ? .anyDepth : .component(Self.tokens(Array(part)))
        }
    }

    /// The leading components without wildcards: the directory a search can start from.
    package var literalPrefix: [String] {
        var prefix: [String] = []
        for segment in segments.dropLast() {
            guard case .component(let tokens) = segment else { break }
            var name = ""
            for token in tokens {
                guard case .literal(let character) = token else { return prefix }
                name.append(character)
            }
            prefix.append(name)
        }
        return prefix
    }

    /// True when the `/`-separated relative `path` matches the whole pattern.
    package func matches(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        return match(segmentIndex: 0, components: components[...])
    }

    private func match(segmentIndex: Int, components: ArraySlice<[Character]>) -> Bool {
        guard segmentIndex < segments.count else { return components.isEmpty }
        switch segments[segmentIndex] {
        case .anyDepth:
            var rest = components
            while true {
                if match(segmentIndex: segmentIndex + 1, components: rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .component(let tokens):
            guard let first = components.first, Self.match(tokens[...], first[...]) else { return false }
            return match(segmentIndex: segmentIndex + 1, components: components.dropFirst())
        }
    }

    /// Matches one component. Names are short, so plain backtracking is fine.
    static func match(_ tokens: ArraySlice<Token>, _ name: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return name.isEmpty }
        switch token {
        case .run:
            var rest = name
            while true {
                if match(tokens.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .one:
            return !name.isEmpty && match(tokens.dropFirst(), name.dropFirst())
        case .literal(let character):
            return name.first == character && match(tokens.dropFirst(), name.dropFirst())
        case .set(let items, let negated):
            guard let character = name.first else { return false }
            let inSet = items.contains { item in
                switch item {
                case .single(let member): return member == character
                case .range(let low, let high): return low <= character && character <= high
                }
            }
            return inSet != negated && match(tokens.dropFirst(), name.dropFirst())
        }
    }

    private static func tokens(_ chars: [Character]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "*":
                // `**` inside a component is just `*`.
                if tokens.last != .run { tokens.append(.run) }
                index += 1
            case "?":
                tokens.append(.one)
                index += 1
            case "[":
                if let (set, next) = characterClass(chars, from: index) {
                    tokens.append(set)
                    index = next
                } else {
                    tokens.append(.literal("["))
                    index += 1
                }
            case "\\" where index + 1 < chars.count:
                tokens.append(.literal(chars[index + 1]))
                index += 2
            default:
                tokens.append(.literal(char))
                index += 1
            }
        }
        return tokens
    }

    /// Reads `[…]` starting at `start`; `nil` when it is not closed.
    private static func characterClass(_ chars: [Character], from start: Int) -> (Token, Int)? {
        var index = start + 1
        var negated = false
        if index < chars.count, chars[index] == "!" || chars[index] == "^" {
            negated = true
            index += 1
        }
        var items: [ClassItem] = []
        var first = true
        while index < chars.count {
            let char = chars[index]
            // A `]` right after the opening bracket is a member, as in shells.
            if char == "]" && !first {
                return (.set(items: items, negated: negated), index + 1)
            }
            if index + 2 < chars.count, chars[index + 1] == "-", chars[index + 2] != "]" {
                items.append(.range(char, chars[index + 2]))
                index += 3
            } else {
                items.append(.single(char))
                index += 1
            }
            first = false
        }
        return nil
    }
}

/// Decides whether a tool call may run, must ask a person, or is refused.
///
/// Precedence (DESIGN §5): **deny > allow > requireApproval > mode**. Deny means the policy's
/// `deny` list and the agent's "always deny" rules; allow means the policy's `allow` list and the
/// agent's "always allow" rules. Then the mode decides: `auto` allows, `approval` allows read-only
/// tools and asks for the rest, `readonly` allows read-only tools and denies the rest.
///
/// `bash_run` commands are read into their simple commands first (`a && b | c`): a deny or
/// requireApproval pattern applies when it matches the whole line *or any part*; an allow pattern
/// applies only when *every part* is matched by some allow pattern and the line has no
/// redirections or substitutions, so `bash_run(git status*)` does not let `git status; rm -rf x`
/// or `git status > ~/.bashrc` through.
///
/// A malformed deny or requireApproval pattern turns what would have been an allow into a
/// question (a deny stays a deny): a typo in a list that restricts must never loosen anything.
/// Malformed allow patterns are ignored. Use `problems(in:)` to report them when the policy is loaded.
package enum PermissionEvaluator {
    /// The verdict for one call. `subject` is the tool's `permissionSubject(for:)`.
    package static func evaluate(toolName: String, subject: String?, isReadOnly: Bool, policy: PermissionPolicy, rules: [PermissionRule]) -> PermissionVerdict {
        let parts = subjectParts(toolName: toolName, subject: subject)

        // 1. Deny.
        let denies = policy.deny.map { Source(text: $0, kind: .policy) }
            + rules.filter { $0.decision == .deny }.map { Source(text: $0.pattern, kind: .rule($0)) }
        var malformedDeny: (Source, ToolPatternError)?
        for source in denies {
            switch source.compiled {
            case .success(let pattern):
                if matchesAny(pattern, toolName: toolName, subject: subject, parts: parts) {
                    return .deny(reason: "matches \(source.label("deny"))")
                }
            case .failure(let error):
                if malformedDeny == nil { malformedDeny = (source, error) }
            }
        }
        // A deny pattern that cannot be read might have matched: nothing may be allowed without asking.
        var caution = malformedDeny.map { source, error in
            "\(source.label("deny")) is malformed (\(error.message)), so this call is not allowed automatically"
        }

        // 2. Allow.
        let allows = (policy.allow.map { Source(text: $0, kind: .policy) }
            + rules.filter { $0.decision == .allow }.map { Source(text: $0.pattern, kind: .rule($0)) })
            .compactMap { source -> (Source, ToolPattern)? in
                guard case .success(let pattern) = source.compiled else { return nil }
                return (source, pattern)
            }
        if let reason = allowReason(allows, toolName: toolName, subject: subject, parts: parts) {
            return caution.map { .ask(reason: $0) } ?? .allow(reason: reason)
        }

        // 3. Require approval.
        for text in policy.requireApproval {
            let source = Source(text: text, kind: .policy)
            switch source.compiled {
            case .success(let pattern):
                if matchesAny(pattern, toolName: toolName, subject: subject, parts: parts) {
                    return .ask(reason: "matches \(source.label("requireApproval"))")
                }
            case .failure(let error):
                if caution == nil {
                    caution = "\(source.label("requireApproval")) is malformed (\(error.message)), so this call asks to be safe"
                }
            }
        }

        // 4. Mode. A malformed restricting pattern turns an allow into a question, never a deny into one.
        let verdict = modeVerdict(policy.mode, toolName: toolName, isReadOnly: isReadOnly)
        if case .allow = verdict, let caution { return .ask(reason: caution) }
        return verdict
    }

    private static func modeVerdict(_ mode: PermissionMode, toolName: String, isReadOnly: Bool) -> PermissionVerdict {
        switch mode {
        case .auto:
            return .allow(reason: "mode auto allows every tool")
        case .approval:
            return isReadOnly
                ? .allow(reason: "\(toolName) is read-only, which mode approval allows")
                : .ask(reason: "mode approval asks before \(toolName), which can change files or run commands")
        case .readonly:
            return isReadOnly
                ? .allow(reason: "\(toolName) is read-only, which mode readonly allows")
                : .deny(reason: "mode readonly denies \(toolName), which is not read-only")
        }
    }

    /// Every malformed pattern in `policy` and `rules`, as errors naming the list and the pattern.
    package static func problems(in policy: PermissionPolicy, rules: [PermissionRule] = []) -> [String] {
        let lists: [(String, [String])] = [
            ("deny", policy.deny), ("allow", policy.allow), ("requireApproval", policy.requireApproval),
            ("agent rule", rules.map(\.pattern)),
        ]
        return lists.flatMap { list, patterns in
            patterns.compactMap { text in
                do {
                    _ = try ToolPattern(parsing: text)
                    return nil
                } catch let error as ToolPatternError {
                    return "\(list): \(error.description)"
                } catch {
                    return "\(list): \(error)"
                }
            }
        }
    }

    // MARK: Matching

    /// The simple commands of a `bash_run` line, each as written and with its spacing evened out
    /// (so `rm  -rf x` meets `bash_run(rm -rf *)`); the subject itself for other tools.
    private static func subjectParts(toolName: String, subject: String?) -> SubjectParts {
        guard toolName == "bash_run", let subject else { return SubjectParts(parts: subject.map { [[$0]] } ?? [], vouchable: true) }
        let words = ShellWords(subject)
        var parts = words.commands.map { [$0.text, $0.normalized] }
        parts += words.quotedSubstitutions.map { [$0] }
        return SubjectParts(parts: parts.isEmpty ? [[subject]] : parts, vouchable: !words.hasRedirectionOrSubstitution)
    }

    private struct SubjectParts {
        /// Each part, in one or more spellings; a pattern matches a part when it matches any spelling.
        let parts: [[String]]
        /// False when the line does more than its parts show (redirections, substitutions).
        let vouchable: Bool
    }

    private static func matchesAny(_ pattern: ToolPattern, toolName: String, subject: String?, parts: SubjectParts) -> Bool {
        if pattern.matches(toolName: toolName, subject: subject) { return true }
        return parts.parts.contains { spellings in spellings.contains { pattern.matches(toolName: toolName, subject: $0) } }
    }

    private static func allowReason(_ allows: [(Source, ToolPattern)], toolName: String, subject: String?, parts: SubjectParts) -> String? {
        // A pattern without an argument vouches for every call of the tool, compound or not.
        if let (source, _) = allows.first(where: { $0.1.argument == nil && $0.1.matches(toolName: toolName, subject: subject) }) {
            return "matches \(source.label("allow"))"
        }
        guard parts.vouchable else { return nil }
        var used: [Source] = []
        for spellings in parts.parts {
            let match = allows.first { allow in spellings.contains { allow.1.matches(toolName: toolName, subject: $0) } }
            guard let (source, _) = match else { return nil }
            if !used.contains(where: { $0.text == source.text }) { used.append(source) }
        }
        guard let first = used.first else { return nil }
        if used.count == 1 { return "matches \(first.label("allow"))" }
        return "every part of the command matches an allow rule: " + used.map { $0.label("allow") }.joined(separator: ", ")
    }

    /// A pattern and where it came from, for reasons.
    private struct Source {
        enum Kind {
            case policy
            case rule(PermissionRule)
        }

        let text: String
        let kind: Kind
        let compiled: Result<ToolPattern, ToolPatternError>

        init(text: String, kind: Kind) {
            self.text = text
            self.kind = kind
            do {
                compiled = .success(try ToolPattern(parsing: text))
            } catch let error as ToolPatternError {
                compiled = .failure(error)
            } catch {
                compiled = .failure(ToolPatternError(pattern: text, message: "\(error)"))
            }
        }

        /// `deny rule "bash_run(rm *)"` or `always-allow rule "fs_write(a.txt)" (rule_x1, granted by user)`.
        func label(_ list: String) -> String {
            switch kind {
            case .policy:
                return "\(list) rule \"\(text)\""
            case .rule(let rule):
                return "always-\(list) rule \"\(text)\" (\(rule.id), granted by \(rule.grantedBy))"
            }
        }
    }
}

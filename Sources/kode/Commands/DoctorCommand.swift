import ArgumentParser
import Foundation
import KodeKernel

/// `kode doctor [--json]`: the kernel features the sandbox needs, the terminal, the store and the
/// providers, on one page.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this machine: sandbox support, terminal, store and providers.")

    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Do not try to reach the providers' base URLs.") var offline = false
    @Option(help: ArgumentHelp("Check only this provider (even without a key).", valueName: "name")) var provider: String?
    @Option(name: .customLong("base-url"), help: ArgumentHelp("The base URL to check for --provider.", valueName: "url")) var baseURL: String?
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let root = storeOptions.store.map { URL(fileURLWithPath: $0) } ?? FileStore.defaultRoot(environment: environment)
        let sandbox = DoctorChecks.sandbox(environment: environment)
        let (providers, providerProblems) = DoctorChecks.providers(named: provider, baseURL: baseURL, offline: offline, environment: environment)
        var problems: [String] = []
        if let problem = sandbox.problem { problems.append("commands cannot be confined: \(problem); they run unconfined (with a warning) or, with --require-confinement, not at all") }
        if sandbox.problem == nil && sandbox.networkIsolation != "namespace" {
            problems.append("no network namespace for commands: " + (sandbox.networkIsolation == "landlock-tcp" ? "TCP is blocked, UDP (and DNS) is not" : "the network stays on"))
        }
        problems += providerProblems
        let report = DoctorReport(
            sandbox: sandbox, terminal: DoctorChecks.terminal(environment: environment),
            store: DoctorChecks.store(root: root), providers: providers, problems: problems)
        if json {
            try JSONOutput.print(report)
        } else {
            Output.stdout(DoctorPage.render(report))
        }
    }
}

import Foundation

/// The command line every example understands: `--scripted` (play the example's canned script
/// instead of calling a real model), `--store DIR` (where agents live), and the options the
/// example declares itself. Anything else is an error that names the argument.
package struct ExampleArguments: Sendable {
    /// `--scripted` was given.
    package var scripted = false
    /// `--store DIR`, when given.
    package var store: String?
    /// The values of the example's own options, by name without the dashes.
    package var options: [String: String] = [:]
    /// Arguments that are not options, in order.
    package var positional: [String] = []

    /// Parses `arguments` (without the program name). `valueOptions` are the example's own
    /// `--name VALUE` options.
    package static func parse(_ arguments: [String], valueOptions: Set<String> = [], usage: String) throws -> ExampleArguments {
        var parsed = ExampleArguments()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--scripted":
                parsed.scripted = true
            case "--help", "-h":
                throw ExampleUsage(message: usage, isHelp: true)
            case "--store":
                parsed.store = try value(after: argument, in: &rest, usage: usage)
            case _ where argument.hasPrefix("--") && valueOptions.contains(String(argument.dropFirst(2))):
                parsed.options[String(argument.dropFirst(2))] = try value(after: argument, in: &rest, usage: usage)
            case _ where argument.hasPrefix("-"):
                throw ExampleUsage(message: "unknown option '\(argument)'\n\(usage)")
            default:
                parsed.positional.append(argument)
            }
        }
        return parsed
    }

    private static func value(after option: String, in rest: inout ArraySlice<String>, usage: String) throws -> String {
        guard let value = rest.popFirst(), !value.hasPrefix("--") else {
            throw ExampleUsage(message: "\(option) needs a value\n\(usage)")
        }
        return value
    }

    /// The store directory: `--store`, else `default` under the current directory.
    package func storeURL(default name: String) -> URL {
        URL(fileURLWithPath: store ?? name).standardizedFileURL
    }
}

/// A command line the example cannot run with, or a request for help.
package struct ExampleUsage: Error, CustomStringConvertible {
    package var message: String
    /// `--help`: printed on stdout and the example exits 0.
    package var isHelp = false
    package var description: String { message }

    package init(message: String, isHelp: Bool = false) {
        self.message = message
        self.isHelp = isHelp
    }
}

/// Validates tool inputs against the subset of JSON Schema the tools use:
/// `type` (a name or an array of names), `properties`, `required`, `additionalProperties: false`,
/// `enum`, `items`, `minimum`, `maximum`, `minLength`, `maxLength`, `minItems`, `maxItems`.
/// Keywords outside the subset (`description`, `default`, …) are ignored.
public enum JSONSchema {
    /// Throws the first `SchemaViolation` found (object members are checked in name order, so the
    /// report is stable), or `InvalidSchema` when the schema itself cannot be read.
    public static func validate(_ value: JSONValue, against schema: JSONValue) throws {
        try check(value, schema, path: "input", schemaPath: "schema")
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, path: String, schemaPath: String) throws {
        guard case .object(let keywords) = schema else {
            if case .bool(true) = schema { return }
            if case .bool(false) = schema { throw SchemaViolation(path: path, message: "no value is allowed here") }
            throw InvalidSchema(path: schemaPath, message: "a schema must be an object or a boolean")
        }

        if let type = keywords["type"] {
            let names = try typeNames(type, schemaPath: schemaPath + ".type")
            if !names.contains(where: { matches(value, typeName: $0) }) {
                let expected = names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
                throw SchemaViolation(path: path, message: "expected \(expected), got \(describe(value))")
            }
        }

        if let allowed = keywords["enum"] {
            guard case .array(let options) = allowed else {
                throw InvalidSchema(path: schemaPath + ".enum", message: "enum must be an array")
            }
            if !options.contains(where: { equal($0, value) }) {
                let list = options.map { $0.stringValue ?? $0.compactText }.joined(separator: ", ")
                throw SchemaViolation(path: path, message: "expected one of \(list), got \(describe(value))")
            }
        }

        switch value {
        case .object(let members):
            try checkObject(members, keywords, path: path, schemaPath: schemaPath)
        case .array(let elements):
            try checkArray(elements, keywords, path: path, schemaPath: schemaPath)
        case .string(let text):
            try checkString(text, keywords, path: path)
        case .int, .double:
            try checkNumber(value, keywords, path: path)
        case .null, .bool:
            break
        }
    }

    // MARK: Kinds

    private static func checkObject(_ members: [String: JSONValue], _ keywords: [String: JSONValue], path: String, schemaPath: String) throws {
        let properties = keywords["properties"]?.objectValue ?? [:]
        if let required = keywords["required"] {
            guard let names = required.arrayValue?.compactMap(\.stringValue) else {
                throw InvalidSchema(path: schemaPath + ".required", message: "required must be an array of strings")
            }
            for name in names where members[name] == nil {
                throw SchemaViolation(path: join(path, name), message: "is required but missing")
            }
        }
        if case .bool(false) = keywords["additionalProperties"] {
            for name in members.keys.sorted() where properties[name] == nil {
                let allowed = properties.keys.sorted()
                let list = allowed.isEmpty ? "this object takes no fields" : "allowed: " + allowed.joined(separator: ", ")
                throw SchemaViolation(path: join(path, name), message: "unknown field (\(list))")
            }
        }
        for name in members.keys.sorted() {
            guard let member = members[name] else { continue }
            if let propertySchema = properties[name] {
                try check(member, propertySchema, path: join(path, name), schemaPath: schemaPath + ".properties." + name)
            } else if let extra = keywords["additionalProperties"], extra.objectValue != nil {
                try check(member, extra, path: join(path, name), schemaPath: schemaPath + ".additionalProperties")
            }
        }
    }

    private static func checkArray(_ elements: [JSONValue], _ keywords: [String: JSONValue], path: String, schemaPath: String) throws {
        if let minimum = keywords["minItems"]?.intValue, elements.count < minimum {
            throw SchemaViolation(path: path, message: "must have at least \(minimum) item\(minimum == 1 ? "" : "s"), got \(elements.count)")
        }
        if let maximum = keywords["maxItems"]?.intValue, elements.count > maximum {
            throw SchemaViolation(path: path, message: "must have at most \(maximum) item\(maximum == 1 ? "" : "s"), got \(elements.count)")
        }
        if let items = keywords["items"] {
            for (index, element) in elements.enumerated() {
                try check(element, items, path: "\(path)[\(index)]", schemaPath: schemaPath + ".items")
            }
        }
    }

    private static func checkString(_ text: String, _ keywords: [String: JSONValue], path: String) throws {
        if let minimum = keywords["minLength"]?.intValue, text.count < minimum {
            throw SchemaViolation(path: path, message: "must be at least \(minimum) character\(minimum == 1 ? "" : "s") long, got \(text.count)")
        }
        if let maximum = keywords["maxLength"]?.intValue, text.count > maximum {
            throw SchemaViolation(path: path, message: "must be at most \(maximum) character\(maximum == 1 ? "" : "s") long, got \(text.count)")
        }
    }

    private static func checkNumber(_ value: JSONValue, _ keywords: [String: JSONValue], path: String) throws {
        guard let number = numeric(value) else { return }
        if let minimum = keywords["minimum"].flatMap(numeric), number < minimum {
            throw SchemaViolation(path: path, message: "must be at least \(format(minimum)), got \(describe(value))")
        }
        if let maximum = keywords["maximum"].flatMap(numeric), number > maximum {
            throw SchemaViolation(path: path, message: "must be at most \(format(maximum)), got \(describe(value))")
        }
    }

    // MARK: Helpers

    private static let typeNameSet: Set<String> = ["object", "array", "string", "integer", "number", "boolean", "null"]

    private static func typeNames(_ type: JSONValue, schemaPath: String) throws -> [String] {
        let names: [String]
        switch type {
        case .string(let name): names = [name]
        case .array(let list): names = list.compactMap(\.stringValue)
        default: throw InvalidSchema(path: schemaPath, message: "type must be a string or an array of strings")
        }
        if let unknown = names.first(where: { !typeNameSet.contains($0) }) {
            throw InvalidSchema(path: schemaPath, message: "unknown type \"\(unknown)\"")
        }
        return names
    }

    private static func matches(_ value: JSONValue, typeName: String) -> Bool {
        switch (typeName, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null):
            return true
        case ("number", .int), ("number", .double):
            return true
        case ("integer", .int):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number && number.isFinite
        default:
            return false
        }
    }

    /// Equality where `1` and `1.0` are the same number, as JSON Schema requires.
    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = numeric(lhs), let right = numeric(rhs) { return left == right }
        return lhs == rhs
    }

    private static func numeric(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    private static func join(_ path: String, _ name: String) -> String {
        let simple = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return simple ? "\(path).\(name)" : "\(path)[\(JSONValue.string(name).compactText)]"
    }

    /// A short, bounded description of a value for messages: its kind and (for scalars) the value.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "boolean \(flag)"
        case .int(let number): return "integer \(number)"
        case .double(let number): return "number \(number)"
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return JSONValue.string(shown).compactText
        case .array(let elements): return "an array of \(elements.count)"
        case .object: return "an object"
        }
    }
}

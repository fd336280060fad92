import KodeKernel

/// Converts a tool's JSON Schema into the OpenAPI-style subset Gemini's `functionDeclarations`
/// accept. Unsupported keywords (`additionalProperties`, `$schema`, `$ref`, `default`,
/// `examples`, `allOf`, `not`, `patternProperties`, …) are dropped; `type: [T, "null"]` becomes
/// `type: T, nullable: true`; `const` becomes a one-value `enum`; `oneOf` becomes `anyOf`;
/// `required` keeps only names that are declared properties.
package enum GeminiSchema {
    /// Keywords passed through unchanged.
    static let plainKeywords: Set<String> = [
        "description", "title", "nullable", "minItems", "maxItems", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "minProperties", "maxProperties", "propertyOrdering",
    ]
    /// The `format` values Gemini understands.
    static let formats: Set<String> = ["enum", "date-time", "int32", "int64", "float", "double"]

    /// The converted schema for a whole tool input; nil when it declares no properties (Gemini
    /// rejects an `OBJECT` parameter schema with empty `properties`, so the field is omitted).
    package static func parameters(_ schema: JSONValue) -> JSONValue? {
        let converted = convert(schema)
        if let properties = converted["properties"]?.objectValue, !properties.isEmpty { return converted }
        return nil
    }

    /// Converts one schema node.
    package static func convert(_ schema: JSONValue) -> JSONValue {
        guard case .object(let node) = schema else { return .object([:]) }
        var out: [String: JSONValue] = [:]
        for (key, value) in node where plainKeywords.contains(key) { out[key] = value }

        switch node["type"] {
        case .string(let type)?:
            out["type"] = .string(type)
        case .array(let types)?:
            let names = types.compactMap(\.stringValue)
            if names.contains("null") { out["nullable"] = true }
            if let first = names.first(where: { $0 != "null" }) { out["type"] = .string(first) }
        default:
            break
        }
        if let format = node["format"]?.stringValue, formats.contains(format) { out["format"] = .string(format) }

        var enumValues = node["enum"]?.arrayValue
        if let constant = node["const"] { enumValues = [constant] }
        if let values = enumValues {
            // Gemini's enums are lists of strings on string schemas.
            let strings = values.compactMap { value -> JSONValue? in
                switch value {
                case .string: return value
                case .int(let number): return .string(String(number))
                case .double(let number): return .string(String(number))
                case .bool(let flag): return .string(String(flag))
                default: return nil
                }
            }
            if !strings.isEmpty {
                out["enum"] = .array(strings)
                out["type"] = "string"
            }
        }

        if case .object(let properties)? = node["properties"] {
            out["properties"] = .object(properties.mapValues(convert))
            if out["type"] == nil { out["type"] = "object" }
            if let required = node["required"]?.arrayValue {
                let kept = required.filter { name in name.stringValue.map { properties[$0] != nil } ?? false }
                if !kept.isEmpty { out["required"] = .array(kept) }
            }
        }
        if let items = node["items"] {
            out["items"] = convert(items)
            if out["type"] == nil { out["type"] = "array" }
        }
        if let variants = (node["anyOf"] ?? node["oneOf"])?.arrayValue {
            out["anyOf"] = .array(variants.map(convert))
        }
        return .object(out)
    }
}

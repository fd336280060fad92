import Testing
import KodeKernel

@Suite struct JSONSchemaTests {
    private func violation(_ value: JSONValue, _ schema: JSONValue) -> SchemaViolation? {
        do {
            try JSONSchema.validate(value, against: schema)
            return nil
        } catch let error as SchemaViolation {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func todoStatusOutsideEnumNamesPathAndChoices() {
        let input: JSONValue = ["todos": [
            ["id": "1", "title": "a", "status": "pending"],
            ["id": "2", "title": "b", "status": "done"],
        ]]
        let error = violation(input, TodoWriteTool().inputSchema)
        #expect(error?.path == "input.todos[1].status")
        #expect(error?.message == "expected one of pending, in_progress, completed, got \"done\"")
        #expect(error?.description == "input.todos[1].status: expected one of pending, in_progress, completed, got \"done\"")
    }

    @Test func missingRequiredField() {
        let error = violation(["content": "x"], FsWriteTool().inputSchema)
        #expect(error?.path == "input.path")
        #expect(error?.message == "is required but missing")
    }

    @Test func unknownFieldIsRejectedWithAllowedList() {
        let error = violation(["path": "a", "lines": 3], FsReadTool().inputSchema)
        #expect(error?.path == "input.lines")
        #expect(error?.message == "unknown field (allowed: limit, offset, path)")
    }

    @Test func wrongTypes() {
        #expect(violation(["cmd": 5], BashRunTool().inputSchema)?.message == "expected string, got integer 5")
        #expect(violation(["path": "a", "offset": 1.5], FsReadTool().inputSchema)?.message == "expected integer, got number 1.5")
        #expect(violation("text", ["type": "object"])?.path == "input")
        #expect(violation(["path": "a", "offset": 2.0], FsReadTool().inputSchema) == nil)
    }

    @Test func typeArraysAcceptAnyListedType() {
        let schema: JSONValue = ["type": ["string", "null"]]
        #expect(violation("x", schema) == nil)
        #expect(violation(nil, schema) == nil)
        #expect(violation(3, schema)?.message == "expected one of string, null, got integer 3")
    }

    @Test func boundsAndLengths() {
        #expect(violation(["cmd": "ls", "timeout_ms": 0], BashRunTool().inputSchema)?.message == "must be at least 1, got integer 0")
        #expect(violation(["cmd": "ls", "timeout_ms": 600_001], BashRunTool().inputSchema)?.message == "must be at most 600000, got integer 600001")
        #expect(violation(["cmd": ""], BashRunTool().inputSchema)?.message == "must be at least 1 character long, got 0")
        #expect(violation([1], ["type": "array", "minItems": 2])?.message == "must have at least 2 items, got 1")
        #expect(violation([1, "x"], ["type": "array", "items": ["type": "integer"]])?.path == "input[1]")
        #expect(violation(5, ["type": "number", "maximum": 5]) == nil)
    }

    @Test func emptyObjectSchemaRejectsAnyField() {
        let error = violation(["x": 1], TodoReadTool().inputSchema)
        #expect(error?.message == "unknown field (this object takes no fields)")
        #expect(violation([:], TodoReadTool().inputSchema) == nil)
    }

    @Test func oddFieldNamesAreQuotedInPaths() {
        let error = violation(["a b": 1], ["type": "object", "properties": [:], "additionalProperties": false])
        #expect(error?.path == "input[\"a b\"]")
    }

    @Test func invalidSchemaIsReportedAsSuch() {
        #expect(throws: InvalidSchema.self) { try JSONSchema.validate(1, against: ["type": "integr"]) }
        #expect(throws: InvalidSchema.self) { try JSONSchema.validate(1, against: "nonsense") }
    }

    @Test func everyBuiltinSchemaIsValidAndClosed() throws {
        for definition in ToolRegistry.builtins().definitions {
            #expect(definition.inputSchema["additionalProperties"] == false, "\(definition.name)")
            // Validating an empty object exercises the schema: only missing-field violations may come back.
            do {
                try JSONSchema.validate([:], against: definition.inputSchema)
            } catch let error as SchemaViolation {
                #expect(error.message == "is required but missing", "\(definition.name): \(error)")
            }
        }
    }
}

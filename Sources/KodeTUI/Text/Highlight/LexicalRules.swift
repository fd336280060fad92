/// What the C-like scanner needs to know about a language: its words, comments and strings.
struct LexicalRules: Sendable {
    var keywords: Set<String>
    var types: Set<String> = []
    var constants: Set<String> = ["true", "false"]
    var lineComment: String? = "//"
    var blockComment: (open: String, close: String)? = ("/*", "*/")
    /// String delimiters, longest first; those in `multiline` may span lines.
    var strings: [String] = ["\""]
    var multiline: Set<String> = []
    /// Delimiters inside which a backslash does not escape (Go's raw strings).
    var raw: Set<String> = []
    /// A capitalised identifier is a type (Swift, Rust, Go, TypeScript, Python classes).
    var capitalizedTypes = true
    /// Identifier prefixes that start a string (`f"…"`, `r"…"`, `b'…'`).
    var stringPrefixes: Set<String> = []
    /// `@attribute` / `#directive` words count as keywords.
    var sigils: Set<Character> = []
    /// `'a` is a lifetime unless it closes as a character literal (Rust).
    var lifetimes = false

    static let swift = LexicalRules(
        keywords: ["actor", "any", "as", "associatedtype", "async", "await", "break", "case", "catch", "class", "continue", "convenience", "default", "defer", "deinit", "do", "else", "enum", "extension", "fallthrough", "fileprivate", "final", "for", "func", "get", "guard", "if", "import", "in", "indirect", "init", "inout", "internal", "is", "lazy", "let", "mutating", "nonisolated", "open", "operator", "override", "package", "precedencegroup", "private", "protocol", "public", "repeat", "required", "rethrows", "return", "self", "Self", "set", "some", "static", "struct", "subscript", "super", "switch", "throw", "throws", "try", "typealias", "var", "weak", "where", "while", "willSet", "didSet", "consuming", "borrowing", "sending"],
        constants: ["true", "false", "nil"],
        strings: ["\"\"\"", "\""], multiline: ["\"\"\""], sigils: ["@", "#"])

    static let python = LexicalRules(
        keywords: ["and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "match", "case", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "self"],
        types: ["int", "str", "float", "bool", "list", "dict", "set", "tuple", "bytes", "object", "type"],
        constants: ["True", "False", "None"], lineComment: "#", blockComment: nil,
        strings: ["\"\"\"", "'''", "\"", "'"], multiline: ["\"\"\"", "'''"],
        stringPrefixes: ["f", "r", "b", "u", "rb", "br", "fr", "rf", "F", "R", "B"], sigils: ["@"])

    static let javascript = LexicalRules(
        keywords: ["abstract", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "declare", "default", "delete", "do", "else", "enum", "export", "extends", "finally", "for", "from", "function", "get", "if", "implements", "import", "in", "instanceof", "interface", "keyof", "let", "namespace", "new", "of", "private", "protected", "public", "readonly", "return", "satisfies", "set", "static", "super", "switch", "this", "throw", "try", "type", "typeof", "var", "void", "while", "with", "yield"],
        types: ["string", "number", "boolean", "any", "unknown", "never", "object", "bigint", "symbol"],
        constants: ["true", "false", "null", "undefined", "NaN", "Infinity"],
        strings: ["`", "\"", "'"], multiline: ["`"], sigils: ["@"])

    static let go = LexicalRules(
        keywords: ["break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var"],
        types: ["bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any"],
        constants: ["true", "false", "nil", "iota"],
        strings: ["`", "\"", "'"], multiline: ["`"], raw: ["`"], capitalizedTypes: false)

    static let rust = LexicalRules(
        keywords: ["as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "type", "unsafe", "use", "where", "while"],
        types: ["bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "str", "u8", "u16", "u32", "u64", "u128", "usize", "String", "Vec", "Option", "Result", "Box"],
        constants: ["true", "false", "None", "Some", "Ok", "Err"],
        strings: ["\""], multiline: ["\""], stringPrefixes: ["b", "r"], sigils: ["#"], lifetimes: true)
}

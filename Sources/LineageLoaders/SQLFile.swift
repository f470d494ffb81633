internal import LineageCore
public import LineageSQL

/// SQL text read from a file or standard input, for `lineage sql`.
public enum SQLFile {
  /// Reads `path` (`-` for standard input) and derives its column lineage.
  ///
  /// - Parameters:
  ///   - path: A file of one or more statements, or `-`.
  ///   - dialect: How to read identifiers, strings and comments.
  ///   - schema: The tables' columns, for `*` and unqualified names.
  /// - Returns: The lineage of every statement, and the findings.
  /// - Throws: ``LoadError`` when the file cannot be read.
  public static func analyze(path: String, dialect: SQLDialect, schema: SQLSchema) throws(LoadError) -> SQLAnalysis {
    let file = try MappedFile(path == "-" ? "/dev/stdin" : path)
    defer { withExtendedLifetime(file) {} }
    if let bad = invalidUTF8(file.bytes, file: path, severity: .error) {
      throw LoadError(message: bad.message, location: bad.location, hint: bad.hint)
    }
    return SQLLineage.analyze(bytes: file.bytes, dialect: dialect, schema: schema)
  }
}

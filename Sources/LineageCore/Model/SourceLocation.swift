/// A place in an input file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The file path as the user gave it (relative paths stay relative).
  public var file: String
  /// Line number, starting at 1. Zero when only the file is known.
  public var line: Int
  /// Column number in Unicode scalars, starting at 1. Zero when unknown.
  public var column: Int

  /// Creates a location.
  ///
  /// - Parameters:
  ///   - file: The file as the user gave it.
  ///   - line: The 1-based line; 0 when unknown.
  ///   - column: The 1-based column; 0 when unknown.
  public init(file: String, line: Int = 0, column: Int = 0) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`, leaving out the parts that are unknown.
  public var description: String {
    if line <= 0 { return file }
    if column <= 0 { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }

  /// Orders locations by file (byte order), line and column.
  ///
  /// - Parameters:
  ///   - a: A location.
  ///   - b: Another location.
  /// - Returns: True when `a` comes first.
  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    if a.file != b.file { return a.file.utf8.lexicographicallyPrecedes(b.file.utf8) }
    if a.line != b.line { return a.line < b.line }
    return a.column < b.column
  }
}

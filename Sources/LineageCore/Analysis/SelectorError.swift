/// A malformed selector, located in the argument.
public struct SelectorError: LocatedError, Equatable {
  public var message: String
  /// The argument it was found in.
  public var selector: String
  /// 1-based column in `selector`.
  public var column: Int
  public var hint: String?

  /// The place in the argument: the selector stands for the file, on line 1.
  public var location: SourceLocation? { SourceLocation(file: selector, line: 1, column: column) }

  public var description: String {
    var s = "invalid selector '\(Self.excerpt(selector))' at column \(column): \(message)"
    if let hint { s += " (\(hint))" }
    return s
  }
}

extension SelectorError {
  /// A long selector shortened for a message: its first 60 and last 20 characters.
  public static func excerpt(_ s: String) -> String {
    s.count <= 100 ? s : "\(s.prefix(60))…\(s.suffix(20)) (\(s.count) characters)"
  }
}

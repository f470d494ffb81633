/// A malformed selector, located in the argument.
public struct SelectorError: LocatedError, Equatable {
  /// What is wrong with the selector, in one sentence, without the location or the hint.
  public var message: String
  /// The argument it was found in.
  public var selector: String
  /// 1-based column in `selector`.
  public var column: Int
  /// How to fix it, often with an example, when there is something to say.
  public var hint: String?

  /// The place in the argument: the selector stands for the file, on line 1.
  public var location: SourceLocation? { SourceLocation(file: selector, line: 1, column: column) }

  /// `invalid selector 'S' at column N: MESSAGE (HINT)`, with a long selector shortened by
  /// ``excerpt(_:)``.
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

public import LineageCore

/// A failure inside Graphviz, with the messages it printed.
public struct RenderError: LocatedError {
  public var message: String
  public var hint: String?
  /// Always nil: Graphviz reports no place in the diagram's input.
  public var location: SourceLocation? { nil }

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - message: What Graphviz reported.
  ///   - hint: How to fix it.
  public init(message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  public var description: String { message + (hint.map { "\n  hint: " + $0 } ?? "") }
}

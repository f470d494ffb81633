public import LineageCore

/// A failure inside Graphviz, with the messages it printed.
public struct RenderError: LocatedError {
  /// What failed, followed by Graphviz's own messages when it printed any.
  public var message: String
  /// How to fix it (how to repair the plugins, or the engines or formats available), when known.
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

  /// The message, then `hint: HINT` on an indented line of its own.
  public var description: String { message + (hint.map { "\n  hint: " + $0 } ?? "") }
}

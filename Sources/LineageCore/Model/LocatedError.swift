/// The one shape of an error that stops an operation and can say where: a message,
/// a place (file, line and column, each part when known) and an optional hint.
///
/// ``ImpactError``, ``SelectorError``, `LoadError` (LineageLoaders) and `RenderError`
/// (LineageRender) adopt it, so that a front end (the command line, a server) prints or
/// serialises every one of them the same way without knowing which module threw it.
/// Each keeps its own `description`, the text the command line prints.
public protocol LocatedError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, in one sentence, without the location or the hint.
  var message: String { get }
  /// Where it went wrong: a file with line and column when known, or nil when the
  /// error has no place in an input (a Graphviz failure, say). For a command-line
  /// argument (a selector) the "file" is the argument itself and the column is
  /// 1-based within it.
  var location: SourceLocation? { get }
  /// How to fix it, when there is something to say.
  var hint: String? { get }
}

public import LineageCore

/// A problem that stops loading an input altogether (exit status 2).
public struct LoadError: LocatedError {
  /// Which problem it is, for the problems a front end may phrase in its own terms
  /// (naming its options); the library's `hint` names none.
  public enum Reason: Sendable, Equatable {
    /// No input was named and no mesh.yaml was found from the directory upward.
    case noMeshFound
    /// The input named does not exist.
    case noSuchInput
  }

  /// Which problem it is; nil for the problems that need no front end's words.
  public var reason: Reason?
  /// What could not be read, in one sentence, without the location or the hint.
  public var message: String
  /// Where in the input, when the problem has a place: a file, with line and column when known.
  public var location: SourceLocation?
  /// How to fix it, when there is something to say; it names no front end's options (see
  /// ``reason``).
  public var hint: String?
  /// The load errors of an input that was read only in part (see
  /// ``ModelLoader/loadComplete(paths:cwd:options:)``); empty when the input could not
  /// be read at all, which `message` then says.
  public var findings: [Finding]

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - message: What could not be read.
  ///   - location: Where, when known.
  ///   - hint: How to fix it.
  ///   - findings: The load errors of an input read in part.
  public init(message: String, location: SourceLocation? = nil, hint: String? = nil, findings: [Finding] = []) {
    self.message = message
    self.location = location
    self.hint = hint
    self.findings = findings
  }

  /// `LOCATION: error: MESSAGE` (the location only when known), then `hint: HINT` on an indented
  /// line of its own, as the command line prints it.
  public var description: String {
    var s = (location.map { "\($0): " } ?? "") + "error: " + message
    if let hint { s += "\n  hint: " + hint }
    return s
  }
}

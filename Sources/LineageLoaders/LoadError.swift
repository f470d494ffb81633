public import LineageCore

/// A problem that stops loading an input altogether (exit status 2).
public struct LoadError: LocatedError {
  public var message: String
  public var location: SourceLocation?
  public var hint: String?
  /// The load errors of an input that was read only in part (see
  /// ``ModelLoader/loadComplete(paths:cwd:options:)``); empty when the input could not
  /// be read at all, which `message` then says.
  public var findings: [Finding]

  public init(message: String, location: SourceLocation? = nil, hint: String? = nil, findings: [Finding] = []) {
    self.message = message
    self.location = location
    self.hint = hint
    self.findings = findings
  }

  public var description: String {
    var s = (location.map { "\($0): " } ?? "") + "error: " + message
    if let hint { s += "\n  hint: " + hint }
    return s
  }
}

public import LineageCore

/// What a report says when it answers from an input that was read only in part
/// (`--allow-load-errors`): every format marks it, so no partial answer passes for a
/// whole one.
public struct PartialNote: Sendable, Equatable {
  /// The load errors of the input (see ``Finding/isLoadError``).
  public var loadErrors: [Finding]
  /// What was read ("mesh directory samples/demo").
  public var source: String

  /// Creates the note for a model that is not complete, or nil when it is.
  ///
  /// - Parameter model: The loaded model.
  public init?(_ model: LineageModel) {
    guard !model.isComplete else { return nil }
    self.loadErrors = model.loadErrors
    self.source = model.source
  }

  /// Creates a note from load errors.
  ///
  /// - Parameters:
  ///   - loadErrors: The load errors.
  ///   - source: What was read.
  public init(loadErrors: [Finding], source: String) {
    self.loadErrors = loadErrors
    self.source = source
  }

  var count: Int { loadErrors.count }
  var summary: String {
    "answered from the part of the \(source) that could be read: \(count) load error\(count == 1 ? "" : "s")"
  }

  /// The first line of a text report.
  public func text(style: TextStyle) -> String {
    style.yellow(style.bold("partial")) + ": " + terminalSafe(summary) + " (listed on standard error)\n"
  }

  /// A warning block at the top of a Markdown report.
  public func markdown() -> String {
    var s = "> [!WARNING]\n> **Partial answer**: \(Markdown.text(summary)).\n"
    for f in loadErrors.prefix(10) {
      s += "> - \(Markdown.code(f.location?.description ?? "-")): \(Markdown.text(f.message))\n"
    }
    if count > 10 { s += "> - ... and \(count - 10) more\n" }
    return s + "\n"
  }

  /// Writes `"partial": true` and the `loadErrors` array into the open JSON object.
  public func write(into w: inout JSONWriter) {
    w.field("partial", true)
    w.key("loadErrors")
    w.beginArray()
    for f in loadErrors { FindingsReport.write(f, into: &w) }
    w.endArray()
  }
}

extension Optional where Wrapped == PartialNote {
  func text(style: TextStyle) -> String { self?.text(style: style) ?? "" }
  func markdown() -> String { self?.markdown() ?? "" }
  func write(into w: inout JSONWriter) { self?.write(into: &w) }
}

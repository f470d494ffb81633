import ArgumentParser
import LineageCore
import LineageReports

/// The one error the command line throws: an exit status and what to print on
/// standard error. Subcommands throw it and print nothing themselves; the entry point
/// (``Lineage/main()``) prints it with ``Output/report(_:)`` and exits.
struct CLIError: Error {
  /// The documented exit statuses.
  enum Status: Int32 {
    /// Findings at or above the failing severity (cycles, a failing gate, a blast
    /// radius that breaks something); the report already said so.
    case findings = 1
    /// A usage or input error.
    case input = 2
  }

  var status: Status
  /// The message printed after `lineage: `; nil when the output already said it all.
  var message: String?
  /// Where the problem is, when it has a place (a file position, a selector column).
  var location: SourceLocation?
  /// Warnings printed before everything else (selector atoms that matched nothing).
  var warnings: [String] = []
  /// Findings printed before the message, as `validate` prints them.
  var findings: [Finding] = []
  /// At most this many of `findings` are printed, then a count of the rest.
  var findingsLimit = Int.max

  /// An error with a message (exit status 2 unless `status` says otherwise).
  init(_ message: String, status: Status = .input, location: SourceLocation? = nil) {
    self.status = status
    self.message = message
    self.location = location
  }

  /// A library error with a place: its description is the message.
  init(_ error: some LocatedError, status: Status = .input) {
    self.init(error.description, status: status, location: error.location)
  }

  /// Findings at or above the failing severity: exit status 1, nothing more to print.
  static let findings = CLIError(status: .findings)

  /// Input that could not be read: its findings first, then a message.
  init(findings: [Finding], limit: Int = Int.max, message: String?) {
    self.status = .input
    self.message = message
    self.findings = findings
    self.findingsLimit = limit
  }

  /// An exit status with nothing more to print: the output already said why.
  init(status: Status) {
    self.status = status
    self.message = nil
  }
}

extension CLIError {
  /// A model that could not be read completely: its load errors, and how to go on.
  static func incomplete(_ model: LineageModel, allowHint: Bool = true) -> CLIError {
    let errors = model.loadErrors
    let hint =
      "  hint: fix the input ('lineage validate' lists every load error and finding)"
      + (allowHint ? ", or pass --allow-load-errors to answer from the part that was read" : "")
    return CLIError(
      findings: errors, limit: 20,
      message:
        "the \(model.source) could not be read completely (\(plural(errors.count, "load error"))); nothing was answered from it\n"
        + hint)
  }
}

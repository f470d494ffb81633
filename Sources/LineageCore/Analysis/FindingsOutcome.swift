/// What a list of findings decides for a run that reports them (`validate`, `owners`):
/// the exit decision belongs to the findings, not to the report that prints them.
public enum FindingsOutcome: Sendable, Equatable {
  /// A load error is among them: the input was not read completely, so other
  /// findings may be missing (the command line's exit status 2).
  case incomplete
  /// A finding is at or above the failing severity (exit status 1).
  case failed
  /// Nothing fails (exit status 0).
  case passed

  /// The outcome of `findings` when findings at or above `failOn` fail the run.
  ///
  /// - Parameters:
  ///   - findings: The findings.
  ///   - failOn: The lowest severity that fails.
  /// - Complexity: O(n) for n findings.
  public init(_ findings: some Sequence<Finding>, failOn: Severity) {
    var failed = false
    for f in findings {
      if f.isLoadError {
        self = .incomplete
        return
      }
      if f.severity >= failOn { failed = true }
    }
    self = failed ? .failed : .passed
  }

  /// Whether a finding is at or above the failing severity: true for
  /// ``failed``, and for ``incomplete`` (a load error is an error).
  public var isFailure: Bool { self != .passed }
}

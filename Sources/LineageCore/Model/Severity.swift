/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
  /// Worth knowing; nothing needs fixing. Text output calls it a note.
  case info
  /// Probably a mistake, or a policy set to `warning`; fails a run only when the threshold is
  /// `warning`.
  case warning
  /// Something is wrong (input that could not be read, a broken reference, a policy set to
  /// `error`); fails a run by default.
  case error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  /// Orders severities: `info < warning < error`.
  ///
  /// - Parameters:
  ///   - a: A severity.
  ///   - b: Another severity.
  /// - Returns: True when `a` is less serious.
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

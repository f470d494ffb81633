/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
  case info
  case warning
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

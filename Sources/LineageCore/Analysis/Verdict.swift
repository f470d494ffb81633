/// How badly a node or column is hit.
public enum Verdict: String, Sendable, Comparable {
  case mayBreak = "may-break"
  case breaks

  /// Orders verdicts: `mayBreak < breaks`.
  ///
  /// - Parameters:
  ///   - a: A verdict.
  ///   - b: Another verdict.
  /// - Returns: True when `a` is the milder.
  public static func < (a: Verdict, b: Verdict) -> Bool { a == .mayBreak && b == .breaks }
}

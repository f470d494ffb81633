/// How badly a node or column is hit.
public enum Verdict: String, Sendable, Comparable {
  /// It may break: it keeps running, but its data may change or no longer fit (a narrowing
  /// retype, nulls passed on, changed values, or a read that declares no columns).
  case mayBreak = "may-break"
  /// It breaks: it uses what the change removes or renames, or what the change makes invalid
  /// for it (a type it cannot hold, nulls in a non-null column, access it no longer has).
  case breaks

  /// Orders verdicts: `mayBreak < breaks`.
  ///
  /// - Parameters:
  ///   - a: A verdict.
  ///   - b: Another verdict.
  /// - Returns: True when `a` is the milder.
  public static func < (a: Verdict, b: Verdict) -> Bool { a == .mayBreak && b == .breaks }
}

/// How much a consumer matters when it breaks.
public enum Criticality: String, Sendable, Hashable, CaseIterable {
  /// As the consumer declares it in `criticality` (or a dbt exposure in `maturity`), least critical
  /// first.
  case low, medium, high
}

/// One-line descriptions of the rules findings carry, for SARIF rule metadata and
/// help output: the summaries of ``Finding/Rule/catalogue``.
public enum RuleCatalog {
  /// The summary of every catalogued rule by id, except the changes `lineage diff`
  /// reports (``Finding/Rule/Category/change``), which SARIF names by their id.
  public static let descriptions: [String: String] = Dictionary(
    Finding.Rule.catalogue.filter { $0.category != .change }.map { ($0.rule.rawValue, $0.summary) },
    uniquingKeysWith: { a, _ in a })
}

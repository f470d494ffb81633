/// The governance rules a mesh can configure under `policies:` in `mesh.yaml`.
public enum PolicyCatalog {
  /// Every known rule id.
  public static let rules: [String] = [
    "require-owner", "require-description", "require-sla", "require-schema", "no-cycles",
    "cross-domain-private-access", "pii-propagation", "deprecated-input", "sla-freshness", "max-depth",
    // Declared vs observed (`Drift`): judged against OpenLineage events, not the mesh alone.
    "undeclared-read", "stale-input", "observed-private-access", "observed-domain-only-access", "schema-drift",
    "unknown-producer",
  ]

  /// The depth `max-depth` allows when it is enabled without a `limit`.
  public static let defaultMaxDepth = 8

  /// The level a rule has when `mesh.yaml` does not set it.
  ///
  /// - Parameter rule: A policy id.
  /// - Returns: Its level when `mesh.yaml` does not set it.
  public static func defaultLevel(_ rule: String) -> PolicyLevel {
    switch rule {
    case "no-cycles", "cross-domain-private-access", "pii-propagation", "require-owner": .error
    case "undeclared-read", "observed-private-access", "observed-domain-only-access": .error
    case "require-description", "deprecated-input", "sla-freshness": .warning
    case "stale-input", "schema-drift", "unknown-producer": .warning
    default: .off
    }
  }
}

extension Mesh {
  /// The configured level of `rule`, or its default.
  ///
  /// - Parameter rule: A policy id.
  /// - Returns: The level `mesh.yaml` sets (the last setting wins), or the default.
  public func policyLevel(_ rule: String) -> PolicyLevel {
    policies.last { $0.rule == rule }?.level ?? PolicyCatalog.defaultLevel(rule)
  }
}

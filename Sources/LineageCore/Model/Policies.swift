/// The governance rules a mesh can configure under `policies:` in `mesh.yaml`.
public enum PolicyCatalog {
  /// Every known rule id.
  public static let rules: [String] = [
    "require-owner", "require-description", "require-sla", "require-schema", "no-cycles",
    "cross-domain-private-access", "pii-propagation", "deprecated-input", "sla-freshness", "max-depth",
  ]

  /// The depth `max-depth` allows when it is enabled without a `limit`.
  public static let defaultMaxDepth = 8

  /// The level a rule has when `mesh.yaml` does not set it.
  public static func defaultLevel(_ rule: String) -> PolicyLevel {
    switch rule {
    case "no-cycles", "cross-domain-private-access", "pii-propagation", "require-owner": .error
    case "require-description", "deprecated-input", "sla-freshness": .warning
    default: .off
    }
  }
}

extension Mesh {
  /// The configured level of `rule`, or its default.
  public func policyLevel(_ rule: String) -> PolicyLevel {
    policies.last { $0.rule == rule }?.level ?? PolicyCatalog.defaultLevel(rule)
  }
}

/// One-line descriptions of the rules findings carry, for SARIF rule metadata and
/// help output.
public enum RuleCatalog {
  public static let descriptions: [String: String] = [
    "require-owner": "Every node has an owning team, its own or its domain's.",
    "require-description": "Every node has a description.",
    "require-sla": "Every data product promises a service level (freshness or availability).",
    "require-schema": "Every data product and source declares its schema.",
    "no-cycles": "Products do not depend on themselves through their inputs.",
    "cross-domain-private-access": "Products with access 'domain' are read only from their domain, 'private' ones only by their team.",
    "pii-propagation": "Unmasked personal data only reaches products whose sensitivity is confidential or restricted.",
    "deprecated-input": "No node reads a deprecated product; none reads one past its sunset date or retired.",
    "sla-freshness": "No product promises fresher data than its inputs guarantee.",
    "max-depth": "No chain of products is longer than the configured limit.",
    "entity-overlap": "One domain is the source of truth for each business entity.",
    "entity-overlap-in-domain": "One product per domain is the source of truth for each business entity.",
    "duplicate-id": "Each id is declared once in the mesh.",
    "location-overlap": "Each physical table or topic is served by one product.",
    "team-spans-domains": "A team owns products in several domains.",
    "owner-not-domain-team": "A product is owned by a team other than its domain's.",
    "schema-overlap": "Products in different domains have heavily overlapping schemas (possible duplication).",
    "unresolved-reference": "Every reference names a declared domain, team, product or column.",
    "missing-field": "Required fields are present.",
    "unknown-field": "Fields are among those the spec defines.",
    "invalid-value": "Field values have the expected type and form.",
    "load-error": "Every input can be read.",
    "diff-not-compared": "Both versions of a diff can be read completely, so that they can be compared.",
  ]
}

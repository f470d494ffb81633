/// A selector method: `METHOD:PATTERN` keeps the nodes whose attribute matches.
public enum SelectorMethod: String, Sendable, CaseIterable {
  /// The node id (same as a bare pattern).
  case id
  /// The node's domain.
  case domain
  /// The owning team.
  case owner
  /// Any of the node's tags.
  case tag
  /// The node kind (`source`, `product`, `consumer`, ...).
  case kind
  /// The lifecycle status (`draft`, `active`, `deprecated`, `retired`).
  case status
  /// dbt: a source, as `SOURCE`, `SOURCE.TABLE` or `PACKAGE.SOURCE.TABLE` (each part a glob).
  case source
  /// dbt: an exposure by name (or `PACKAGE.NAME`).
  case exposure
  /// dbt: a metric by name.
  case metric
  /// dbt: a semantic model by name.
  case semanticModel = "semantic_model"
  /// dbt: a saved query by name.
  case savedQuery = "saved_query"
  /// dbt: the defining file or a directory above it, relative to the project.
  case path
  /// dbt: the fully qualified name, or a prefix of it (package, folders).
  case fqn
  /// dbt: the package.
  case package
  /// dbt: the resource type.
  case resourceType = "resource_type"
  /// dbt: a config value, `config.KEY[.SUBKEY...]:VALUE` (equal to the value, or an
  /// element of a list; `true`/`false` match booleans without case).
  case config
  /// dbt: a model's access (`private`, `protected`, `public`).
  case access
  /// dbt: the group (`config.group`) of a model, test, seed, snapshot or metric.
  case group
  /// dbt: a generic test's name (`unique`, `not_null`, ...), a glob.
  case testName = "test_name"
  /// dbt: the kind of test: `generic`, `singular`, `data` (both) or `unit`.
  case testType = "test_type"
  /// dbt: a model's version: `latest`, `prerelease`, `old` or `none`.
  case version
  /// dbt: a unit test by name or fully qualified name.
  case unitTest = "unit_test"
  /// dbt: the defining file's name, a glob (`file:stg_orders.sql`).
  case file

  /// True for the methods that need an imported graph (a dbt manifest).
  public var needsResources: Bool {
    switch self {
    case .id, .domain, .owner, .tag, .kind, .status: false
    default: true
    }
  }

  /// The only values a method takes, as dbt checks them; nil when any value goes.
  var allowedValues: [String]? {
    switch self {
    case .testType: ["generic", "schema", "singular", "data", "unit"]
    case .version: ["latest", "prerelease", "old", "none"]
    default: nil
    }
  }

  var example: String {
    switch self {
    case .source: "raw.orders"
    case .exposure, .metric, .semanticModel, .savedQuery: "weekly_revenue"
    case .path: "models/staging"
    case .fqn: "jaffle_shop.staging.*"
    case .package: "jaffle_shop"
    case .resourceType: "model"
    case .config: "view"
    case .access: "public"
    case .group: "finance"
    case .testName: "unique"
    case .testType: "generic"
    case .version: "latest"
    case .unitTest: "test_is_valid_email_address"
    case .file: "stg_orders.sql"
    case .id: "sales.*"
    case .domain: "sales"
    case .owner: "team-sales"
    case .tag: "pii"
    case .kind: "consumer"
    case .status: "deprecated"
    }
  }
}

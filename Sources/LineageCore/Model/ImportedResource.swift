/// What an importer knows about a node beyond the mesh model: its identity in the
/// tool it came from. dbt selection methods (`fqn:`, `path:`, `source:`, ...) match
/// on these.
public struct ImportedResource: Hashable, Sendable {
  /// The tool's resource type (`model`, `seed`, `test`, `source`, ...).
  public var type: String
  /// The resource's own name (a source's table name).
  public var name: String
  /// dbt's fully qualified name: package, folders, name.
  public var fqn: [String]
  /// The package (dbt project) that defines it, when the tool has packages.
  public var package: String?
  /// The file that defines it, relative to its project, `/`-separated.
  public var path: String?
  /// The YAML file that documents it, relative to its project.
  public var patchPath: String?
  /// A dbt source's source name.
  public var sourceName: String?
  /// A versioned model's version.
  public var version: String?
  /// True when the resource enforces a contract on its columns.
  public var contractEnforced: Bool
  /// A model's access as dbt writes it (`private`, `protected`, `public`).
  public var access: String?
  /// The dbt group (`config.group`).
  public var group: String?
  /// A generic data test's test name (`test_metadata.name`: `unique`, `not_null`,
  /// `relationships`, ...); nil for singular tests and other resources.
  public var testName: String?
  /// A versioned model's latest version.
  public var latestVersion: String?
  /// The resource's `config`, flattened: each dotted key path (`materialized`,
  /// `meta.owner`) to its string values, one per element for lists; booleans are
  /// kept as ``ImportedResource/configTrue`` and ``ImportedResource/configFalse``.
  /// Numbers and nulls are left out: dbt's `config.` method never matches them.
  public var config: [String: [String]]

  /// The stored form of a `true` config value.
  public static let configTrue = "\u{1}true"
  /// The stored form of a `false` config value.
  public static let configFalse = "\u{1}false"

  /// Creates an imported resource. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - type: Sets ``type``.
  ///   - name: Sets ``name``.
  ///   - fqn: Sets ``fqn``.
  ///   - package: Sets ``package``.
  ///   - path: Sets ``path``.
  ///   - patchPath: Sets ``patchPath``.
  ///   - sourceName: Sets ``sourceName``.
  ///   - version: Sets ``version``.
  ///   - contractEnforced: Sets ``contractEnforced``.
  ///   - access: Sets ``access``.
  ///   - group: Sets ``group``.
  ///   - testName: Sets ``testName``.
  ///   - latestVersion: Sets ``latestVersion``.
  ///   - config: Sets ``config``.
  public init(
    type: String, name: String, fqn: [String] = [], package: String? = nil, path: String? = nil,
    patchPath: String? = nil, sourceName: String? = nil, version: String? = nil,
    contractEnforced: Bool = false, access: String? = nil, group: String? = nil, testName: String? = nil,
    latestVersion: String? = nil, config: [String: [String]] = [:]
  ) {
    self.access = access
    self.group = group
    self.testName = testName
    self.latestVersion = latestVersion
    self.config = config
    self.type = type
    self.name = name
    self.fqn = fqn
    self.package = package
    self.path = path
    self.patchPath = patchPath
    self.sourceName = sourceName
    self.version = version
    self.contractEnforced = contractEnforced
  }
}

/// The kind of a node in the lineage graph.
///
/// Mesh specs declare `source`, `product` and `consumer`; importers add their own
/// kinds (`model`, `seed`, `dataset`, ...), so the set is open.
public struct NodeKind: RawRepresentable, Hashable, Sendable, Comparable, ExpressibleByStringLiteral {
  public var rawValue: String
  /// Creates a kind.
  ///
  /// - Parameter rawValue: Its name, such as `product` or `model`.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a kind from a literal.
  ///
  /// - Parameter value: Its name.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// Orders kinds by name.
  ///
  /// - Parameters:
  ///   - a: A kind.
  ///   - b: Another kind.
  /// - Returns: True when `a`'s name sorts first.
  public static func < (a: NodeKind, b: NodeKind) -> Bool { a.rawValue < b.rawValue }

  /// An operational system or raw landing table: a schema, no inputs.
  public static let source: NodeKind = "source"
  /// A data product published by a domain.
  public static let product: NodeKind = "product"
  /// A dashboard, report, ML model or application that reads products.
  public static let consumer: NodeKind = "consumer"
}

/// Lifecycle of a product.
public enum ProductStatus: String, Sendable, Hashable, CaseIterable {
  case draft, active, deprecated, retired
}

/// Who may read a product.
public enum Access: String, Sendable, Hashable, CaseIterable {
  /// Anyone in the mesh (the default).
  case `public`
  /// Only products of the same domain.
  case domain
  /// Only the owning team's products.
  case `private`
}

/// Data classification level of a product.
public enum Sensitivity: String, Sendable, Hashable, CaseIterable {
  case `public`, `internal`, confidential, restricted
}

/// How much a consumer matters when it breaks.
public enum Criticality: String, Sendable, Hashable, CaseIterable {
  case low, medium, high
}

/// How a column is derived from an upstream column, following OpenLineage's
/// transformation types: direct ones (`identity`, `transformation`, `aggregation`)
/// and indirect uses (`join`, `filter`, `group_by`, `sort`, `window`, `conditional`).
public enum Transform: String, Sendable, Hashable, CaseIterable {
  case identity, transformation, aggregation
  case join, filter
  case groupBy = "group_by"
  case sort, window, conditional

  /// True for indirect uses: the value is not copied but steers the result.
  public var isIndirect: Bool {
    switch self {
    case .identity, .transformation, .aggregation: false
    default: true
    }
  }
}

/// A domain of the mesh.
public struct Domain: Hashable, Sendable {
  public var id: String
  public var name: String?
  /// The owning team's id.
  public var owner: String?
  public var description: String?
  public var location: SourceLocation?
  /// Where `owner` was written, for unresolved-reference findings.
  public var ownerLocation: SourceLocation?

  /// Creates a domain. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - id: Sets ``id``.
  ///   - name: Sets ``name``.
  ///   - owner: Sets ``owner``.
  ///   - description: Sets ``description``.
  ///   - location: Sets ``location``.
  ///   - ownerLocation: Sets ``ownerLocation``.
  public init(
    id: String, name: String? = nil, owner: String? = nil, description: String? = nil,
    location: SourceLocation? = nil, ownerLocation: SourceLocation? = nil
  ) {
    self.id = id
    self.name = name
    self.owner = owner
    self.description = description
    self.location = location
    self.ownerLocation = ownerLocation
  }
}

/// A team that owns domains and products.
public struct Team: Hashable, Sendable {
  public var id: String
  public var name: String?
  /// An e-mail address or channel.
  public var contact: String?
  public var location: SourceLocation?

  /// Creates a team. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - id: Sets ``id``.
  ///   - name: Sets ``name``.
  ///   - contact: Sets ``contact``.
  ///   - location: Sets ``location``.
  public init(id: String, name: String? = nil, contact: String? = nil, location: SourceLocation? = nil) {
    self.id = id
    self.name = name
    self.contact = contact
    self.location = location
  }
}

/// A governance rule's configured level in `mesh.yaml`.
public enum PolicyLevel: String, Sendable, Hashable, CaseIterable {
  case error, warning, off
}

/// One entry of `policies:` in `mesh.yaml`.
public struct PolicySetting: Hashable, Sendable {
  public var rule: String
  public var level: PolicyLevel
  /// A numeric parameter (for `max-depth`), when given.
  public var limit: Int?
  public var location: SourceLocation?

  /// Creates a policy setting. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - rule: Sets ``rule``.
  ///   - level: Sets ``level``.
  ///   - limit: Sets ``limit``.
  ///   - location: Sets ``location``.
  public init(rule: String, level: PolicyLevel, limit: Int? = nil, location: SourceLocation? = nil) {
    self.rule = rule
    self.level = level
    self.limit = limit
    self.location = location
  }
}

/// One upstream column a column is derived from.
public struct ColumnRef: Hashable, Sendable {
  /// The upstream node's id.
  public var product: String
  /// The upstream column's name.
  public var column: String
  public var transform: Transform
  /// Masked on the way (hashing, tokenising): personal data does not pass.
  public var masked: Bool
  public var location: SourceLocation?

  /// Creates a column reference. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - product: Sets ``product``.
  ///   - column: Sets ``column``.
  ///   - transform: Sets ``transform``.
  ///   - masked: Sets ``masked``.
  ///   - location: Sets ``location``.
  public init(
    product: String, column: String, transform: Transform = .identity, masked: Bool = false,
    location: SourceLocation? = nil
  ) {
    self.product = product
    self.column = column
    self.transform = transform
    self.masked = masked
    self.location = location
  }
}

/// A column of a node's schema.
public struct Column: Hashable, Sendable {
  public var name: String
  /// The SQL type as written (`decimal(18,2)`), when declared.
  public var type: String?
  public var nullable: Bool
  public var primaryKey: Bool
  /// Data classification such as `pii`.
  public var classification: String?
  /// The value is masked (hashed, tokenised) in this column.
  public var masked: Bool
  /// The previous name, when the column was renamed.
  public var renamedFrom: String?
  public var description: String?
  /// Column-level lineage: the upstream columns this one derives from.
  public var from: [ColumnRef]
  public var location: SourceLocation?

  /// Creates a column. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - name: Sets ``name``.
  ///   - type: Sets ``type``.
  ///   - nullable: Sets ``nullable``.
  ///   - primaryKey: Sets ``primaryKey``.
  ///   - classification: Sets ``classification``.
  ///   - masked: Sets ``masked``.
  ///   - renamedFrom: Sets ``renamedFrom``.
  ///   - description: Sets ``description``.
  ///   - from: Sets ``from``.
  ///   - location: Sets ``location``.
  public init(
    name: String, type: String? = nil, nullable: Bool = true, primaryKey: Bool = false,
    classification: String? = nil, masked: Bool = false, renamedFrom: String? = nil,
    description: String? = nil, from: [ColumnRef] = [], location: SourceLocation? = nil
  ) {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.primaryKey = primaryKey
    self.classification = classification
    self.masked = masked
    self.renamedFrom = renamedFrom
    self.description = description
    self.from = from
    self.location = location
  }
}

/// A read of an upstream node.
public struct Input: Hashable, Sendable {
  /// The upstream node's id.
  public var product: String
  /// Where this edge comes from, when not from the node's own declaration (an
  /// OpenLineage job, say); one entry per input that has it.
  public var provenance: [Provenance] = []
  /// The columns read, or nil when it reads all of it (or it is unknown which).
  public var columns: [String]?
  public var location: SourceLocation?
  /// Where each entry of `columns` was written (same order).
  public var columnLocations: [SourceLocation]

  /// Creates an input. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - product: Sets ``product``.
  ///   - columns: Sets ``columns``.
  ///   - location: Sets ``location``.
  ///   - columnLocations: Sets ``columnLocations``.
  public init(
    product: String, columns: [String]? = nil, location: SourceLocation? = nil,
    columnLocations: [SourceLocation] = []
  ) {
    self.product = product
    self.columns = columns
    self.location = location
    self.columnLocations = columnLocations
  }
}

/// Where a node or an edge comes from: declared in a mesh spec, imported from
/// another tool's metadata, observed at run time (OpenLineage), or derived from the
/// SQL that builds it.
public struct Provenance: Hashable, Sendable, CustomStringConvertible {
  /// `derived`: read from the SQL that builds the node (a dbt model's code, a `.sql` file).
  public enum Kind: String, Sendable, Hashable { case declared, imported, observed, derived }
  public var kind: Kind
  /// The file it was read from.
  public var file: String
  /// Detail such as the format (`dbt manifest v12`) or the OpenLineage job.
  public var detail: String?

  /// Creates a provenance entry.
  ///
  /// - Parameters:
  ///   - kind: How the node or edge was known.
  ///   - file: The file it was read from.
  ///   - detail: The format or the job, when useful.
  public init(_ kind: Kind, file: String, detail: String? = nil) {
    self.kind = kind
    self.file = file
    self.detail = detail
  }

  public var description: String {
    switch kind {
    case .derived: "derived from SQL in \(file)" + (detail.map { " (\($0))" } ?? "")
    default: "\(kind.rawValue) \(kind == .imported ? "from" : "in") \(file)" + (detail.map { " (\($0))" } ?? "")
    }
  }
}

/// Deprecation details of a product.
public struct Deprecation: Hashable, Sendable {
  /// The date after which the product goes away.
  public var sunset: CalendarDate?
  /// The id of the product that replaces it.
  public var replacedBy: String?
  public var location: SourceLocation?

  /// Creates deprecation details. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - sunset: Sets ``sunset``.
  ///   - replacedBy: Sets ``replacedBy``.
  ///   - location: Sets ``location``.
  public init(sunset: CalendarDate? = nil, replacedBy: String? = nil, location: SourceLocation? = nil) {
    self.sunset = sunset
    self.replacedBy = replacedBy
    self.location = location
  }
}

/// Service levels a product promises.
public struct ServiceLevel: Hashable, Sendable {
  /// Freshness as written (`1h`, `15m`, `1d`).
  public var freshness: String?
  /// Availability in percent.
  public var availability: Double?

  /// Creates service levels. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - freshness: Sets ``freshness``.
  ///   - availability: Sets ``availability``.
  public init(freshness: String? = nil, availability: Double? = nil) {
    self.freshness = freshness
    self.availability = availability
  }
}

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

/// A declared node of the mesh: a data product, a source or a consumer.
public struct MeshNode: Hashable, Sendable {
  public var id: String
  public var kind: NodeKind
  public var name: String?
  public var domain: String?
  /// The owning team as declared; ``Mesh/effectiveOwner(of:)`` falls back to the domain's owner.
  public var owner: String?
  public var description: String?
  public var version: String?
  public var status: ProductStatus
  public var deprecation: Deprecation?
  public var access: Access
  public var sensitivity: Sensitivity?
  public var tags: [String]
  /// Business entities this node is the source of truth for.
  public var entities: [String]
  /// The physical table or topic it is served from.
  public var physicalLocation: String?
  public var serviceLevel: ServiceLevel?
  /// For consumers: how much it matters.
  public var criticality: Criticality?
  public var inputs: [Input]
  public var schema: [Column]
  /// Where the document declaring the node starts.
  public var location: SourceLocation?
  /// Where individual fields were written (`id`, `domain`, `owner`, `entities`, ...).
  public var fieldLocations: [String: SourceLocation]
  /// For imported nodes: the resource in the tool it came from.
  public var resource: ImportedResource?
  /// Where the node comes from (declared, imported, observed), one entry per input
  /// that has it; empty for a node of a single mesh spec, whose location says it.
  public var provenance: [Provenance] = []

  /// Creates a node. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - id: Sets ``id``.
  ///   - kind: Sets ``kind``.
  ///   - name: Sets ``name``.
  ///   - domain: Sets ``domain``.
  ///   - owner: Sets ``owner``.
  ///   - description: Sets ``description``.
  ///   - version: Sets ``version``.
  ///   - status: Sets ``status``.
  ///   - deprecation: Sets ``deprecation``.
  ///   - access: Sets ``access``.
  ///   - sensitivity: Sets ``sensitivity``.
  ///   - tags: Sets ``tags``.
  ///   - entities: Sets ``entities``.
  ///   - physicalLocation: Sets ``physicalLocation``.
  ///   - serviceLevel: Sets ``serviceLevel``.
  ///   - criticality: Sets ``criticality``.
  ///   - inputs: Sets ``inputs``.
  ///   - schema: Sets ``schema``.
  ///   - location: Sets ``location``.
  ///   - fieldLocations: Sets ``fieldLocations``.
  public init(
    id: String, kind: NodeKind, name: String? = nil, domain: String? = nil, owner: String? = nil,
    description: String? = nil, version: String? = nil, status: ProductStatus = .active,
    deprecation: Deprecation? = nil, access: Access = .public, sensitivity: Sensitivity? = nil,
    tags: [String] = [], entities: [String] = [], physicalLocation: String? = nil,
    serviceLevel: ServiceLevel? = nil, criticality: Criticality? = nil, inputs: [Input] = [],
    schema: [Column] = [], location: SourceLocation? = nil,
    fieldLocations: [String: SourceLocation] = [:]
  ) {
    self.id = id
    self.kind = kind
    self.name = name
    self.domain = domain
    self.owner = owner
    self.description = description
    self.version = version
    self.status = status
    self.deprecation = deprecation
    self.access = access
    self.sensitivity = sensitivity
    self.tags = tags
    self.entities = entities
    self.physicalLocation = physicalLocation
    self.serviceLevel = serviceLevel
    self.criticality = criticality
    self.inputs = inputs
    self.schema = schema
    self.location = location
    self.fieldLocations = fieldLocations
  }

  /// The column with this name, if declared.
  ///
  /// - Parameter name: A column name.
  /// - Returns: The declared column, or nil.
  public func column(named name: String) -> Column? { schema.first { $0.name == name } }
}

/// A whole mesh as declared: its domains, teams, policies and nodes.
public struct Mesh: Sendable {
  public var name: String
  public var domains: [Domain]
  public var teams: [Team]
  public var policies: [PolicySetting]
  /// Every declared node, in load order (files sorted by path, documents in file order).
  /// A duplicate id keeps its first declaration here; the loader reports the rest.
  public var nodes: [MeshNode]
  /// Where the `Mesh` document is.
  public var location: SourceLocation?

  /// Creates a mesh. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - name: Sets ``name``.
  ///   - domains: Sets ``domains``.
  ///   - teams: Sets ``teams``.
  ///   - policies: Sets ``policies``.
  ///   - nodes: Sets ``nodes``.
  ///   - location: Sets ``location``.
  public init(
    name: String, domains: [Domain] = [], teams: [Team] = [], policies: [PolicySetting] = [],
    nodes: [MeshNode] = [], location: SourceLocation? = nil
  ) {
    self.name = name
    self.domains = domains
    self.teams = teams
    self.policies = policies
    self.nodes = nodes
    self.location = location
  }

  /// The domain with this id.
  ///
  /// - Parameter id: A domain id.
  /// - Returns: The domain, or nil when the mesh declares none of that id.
  public func domain(_ id: String) -> Domain? { domains.first { $0.id == id } }

  /// The team with this id.
  ///
  /// - Parameter id: A team id.
  /// - Returns: The team, or nil when the mesh declares none of that id.
  public func team(_ id: String) -> Team? { teams.first { $0.id == id } }

  /// The node's owner, or its domain's owner when it declares none.
  ///
  /// - Parameter node: A node.
  /// - Returns: Its own owner, else its domain's, else nil.
  public func effectiveOwner(of node: MeshNode) -> String? {
    if let owner = node.owner { return owner }
    guard let d = node.domain else { return nil }
    return domain(d)?.owner
  }
}

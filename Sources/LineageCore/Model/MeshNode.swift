/// A declared node of the mesh: a data product, a source or a consumer.
public struct MeshNode: Hashable, Sendable {
  /// The node id (`domain.name` in a mesh spec, the tool's id when imported).
  public var id: String
  /// What kind of node it is.
  public var kind: NodeKind
  /// A display name.
  public var name: String?
  /// The domain it belongs to.
  public var domain: String?
  /// The owning team as declared; ``Mesh/effectiveOwner(of:)`` falls back to the domain's owner.
  public var owner: String?
  /// What it holds, in prose.
  public var description: String?
  /// Its declared version (semantic versioning).
  public var version: String?
  /// Its lifecycle status.
  public var status: ProductStatus
  /// When deprecated: the sunset date and the replacement.
  public var deprecation: Deprecation?
  /// Who may read it.
  public var access: Access
  /// How sensitive its data is.
  public var sensitivity: Sensitivity?
  /// Free-form tags (`pii`, ...).
  public var tags: [String]
  /// The data quality rules a contract states for the whole dataset (its `quality`
  /// entries), each as a canonical text (keys sorted, no layout), sorted.
  public var quality: [String] = []
  /// Business entities this node is the source of truth for.
  public var entities: [String]
  /// The physical table or topic it is served from.
  public var physicalLocation: String?
  /// Its freshness promise.
  public var serviceLevel: ServiceLevel?
  /// For consumers: how much it matters.
  public var criticality: Criticality?
  /// The nodes it reads.
  public var inputs: [Input]
  /// Its columns, in declaration order.
  public var schema: [Column]
  /// Where the document declaring the node starts.
  public var location: SourceLocation?
  /// Where individual fields were written (`id`, `domain`, `owner`, `entities`, ...).
  public var fieldLocations: [String: SourceLocation]
  /// For imported nodes: the resource in the tool it came from.
  public var resource: ImportedResource? {
    get { resourceBox?.value }
    set { resourceBox = newValue.map(ResourceBox.init) }
  }
  /// The resource, boxed: inline it took 200 of a node's 544 bytes, moved and copied
  /// with every node, though most nodes have none.
  var resourceBox: ResourceBox?
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

/// An ``ImportedResource`` behind a reference (see ``MeshNode/resource``); equal and
/// hashed by value.
final class ResourceBox: Hashable, Sendable {
  let value: ImportedResource
  init(_ value: ImportedResource) { self.value = value }
  static func == (a: ResourceBox, b: ResourceBox) -> Bool { a === b || a.value == b.value }
  func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

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

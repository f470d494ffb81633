/// A whole mesh as declared: its domains, teams, policies and nodes.
public struct Mesh: Sendable {
  /// The mesh's name (the `Mesh` document's `name`); a merged mesh joins its parts' names with
  /// a plus sign (`demo + jaffle_shop`).
  public var name: String
  /// The declared domains, in declaration order.
  public var domains: [Domain]
  /// The declared teams, in declaration order.
  public var teams: [Team]
  /// The `policies:` entries in the order read; when several set one rule, the last wins (see
  /// ``policyLevel(_:)``).
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

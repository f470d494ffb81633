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

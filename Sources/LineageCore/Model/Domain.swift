/// A domain of the mesh.
public struct Domain: Hashable, Sendable {
  /// The domain's id, unique in the mesh; nodes name it in `domain`.
  public var id: String
  /// A display name, when declared.
  public var name: String?
  /// The owning team's id.
  public var owner: String?
  /// Free-text documentation of the domain, when declared.
  public var description: String?
  /// Where the domain's entry is in `mesh.yaml`, nil when not known.
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

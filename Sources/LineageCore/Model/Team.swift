/// A team that owns domains and products.
public struct Team: Hashable, Sendable {
  /// The team's id, unique in the mesh; domains and nodes name it in `owner`.
  public var id: String
  /// A display name, when declared.
  public var name: String?
  /// An e-mail address or channel.
  public var contact: String?
  /// Where the team's entry is in `mesh.yaml`, nil when not known.
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

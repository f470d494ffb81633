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

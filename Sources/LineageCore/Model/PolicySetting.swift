/// One entry of `policies:` in `mesh.yaml`.
public struct PolicySetting: Hashable, Sendable {
  /// The policy's id, one of ``PolicyCatalog/rules`` (`max-depth`, `no-cycles`, ...).
  public var rule: String
  /// The level set for it.
  public var level: PolicyLevel
  /// A numeric parameter (for `max-depth`), when given.
  public var limit: Int?
  /// Where the policy's key is written in `mesh.yaml`, nil when not known.
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

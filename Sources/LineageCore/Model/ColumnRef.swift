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

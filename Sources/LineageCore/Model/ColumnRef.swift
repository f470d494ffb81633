/// One upstream column a column is derived from.
public struct ColumnRef: Hashable, Sendable {
  /// The upstream node's id.
  public var product: String
  /// The upstream column's name.
  public var column: String
  /// How the upstream value becomes this column's (``Transform/identity`` when not said); the blast
  /// radius and `pii-propagation` judge each hop by it.
  public var transform: Transform
  /// Masked on the way (hashing, tokenising): personal data does not pass.
  public var masked: Bool
  /// Where the reference is written (its entry of `from`), nil when not known.
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

/// A read of an upstream node.
public struct Input: Hashable, Sendable {
  /// The upstream node's id.
  public var product: String
  /// Where this edge comes from, when not from the node's own declaration (an
  /// OpenLineage job, say); one entry per input that has it.
  public var provenance: [Provenance] = []
  /// The columns read, or nil when it reads all of it (or it is unknown which).
  public var columns: [String]?
  /// Where the input is written (its `product`, or the list entry of the short form), nil when not
  /// known.
  public var location: SourceLocation?
  /// Where each entry of `columns` was written (same order).
  public var columnLocations: [SourceLocation]

  /// Creates an input. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - product: Sets ``product``.
  ///   - columns: Sets ``columns``.
  ///   - location: Sets ``location``.
  ///   - columnLocations: Sets ``columnLocations``.
  public init(
    product: String, columns: [String]? = nil, location: SourceLocation? = nil,
    columnLocations: [SourceLocation] = []
  ) {
    self.product = product
    self.columns = columns
    self.location = location
    self.columnLocations = columnLocations
  }
}

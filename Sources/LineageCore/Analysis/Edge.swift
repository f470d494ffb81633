/// A directed edge between two nodes, by index.
public struct Edge: Hashable, Sendable {
  /// The upstream node (``LineageGraph`` index): data flows from it.
  public var from: Int32
  /// The downstream node (``LineageGraph`` index): the node that reads `from`.
  public var to: Int32
  /// Creates the edge `from -> to`.
  ///
  /// - Parameters:
  ///   - from: The reading end's source node.
  ///   - to: The node that reads it.
  public init(_ from: Int32, _ to: Int32) {
    self.from = from
    self.to = to
  }
}

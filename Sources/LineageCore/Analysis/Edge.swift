/// A directed edge between two nodes, by index.
public struct Edge: Hashable, Sendable {
  public var from: Int32
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

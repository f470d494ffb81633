/// The nodes a selection picked, sorted by id, each with its distance from the
/// nearest selected root (0 for a root).
public struct Selection: Sendable, Equatable {
  /// The selected nodes (``LineageGraph`` indices), sorted by id (byte order).
  public var nodes: [Int32]
  /// Each node's distance in hops from the nearest selected root, parallel to ``nodes``.
  public var depths: [Int32]
  /// Atoms whose value matched no node, with a suggestion when there is one.
  public var unmatched: [(atom: String, suggestion: String?)]

  /// Two selections are equal when they select the same nodes at the same depths.
  ///
  /// - Parameters:
  ///   - a: A selection.
  ///   - b: Another selection.
  /// - Returns: True when nodes and depths are equal.
  public static func == (a: Selection, b: Selection) -> Bool { a.nodes == b.nodes && a.depths == b.depths }
}

/// Which way a traversal follows the edges.
public enum Direction: String, Sendable, Hashable {
  /// Towards the nodes that are read (ancestors).
  case upstream
  /// Towards the readers (descendants).
  case downstream
}

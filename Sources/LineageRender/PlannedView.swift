/// A diagram ready to lay out: the drawing, the engine and its settings.
public struct PlannedView: Sendable {
  /// The drawing, at ``level``, with the plan's notes (a collapsed level, the engine chosen).
  public var diagram: Diagram
  /// The Graphviz layout engine to use: `dot`, `sfdp` above ``Views/dotLimit`` nodes, or the one
  /// the request forced.
  public var engine: String
  /// Graph attributes for the engine (`rankdir`, `splines`, ...), merged into the DOT graph's
  /// attributes by ``DOTWriter/write(_:engine:layout:)``.
  public var layout: [String: String]
  /// The level actually drawn (the size policy may collapse the request).
  public var level: ViewLevel
}

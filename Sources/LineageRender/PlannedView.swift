/// A diagram ready to lay out: the drawing, the engine and its settings.
public struct PlannedView: Sendable {
  public var diagram: Diagram
  public var engine: String
  public var layout: [String: String]
  /// The level actually drawn (the size policy may collapse the request).
  public var level: ViewLevel
}

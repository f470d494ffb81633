public import LineageCore

/// What to draw.
public struct ViewRequest: Sendable {
  public var level: ViewLevel
  /// Focus roots (graph indices); nil draws the whole mesh.
  public var focus: [Int32]?
  /// Hops upstream and downstream of the focus.
  public var upstream: Int
  public var downstream: Int
  /// A layout engine forced by the user; nil lets the size policy decide.
  public var engine: String?
  /// A blast radius to highlight; without a focus the view shows the changed product,
  /// everything affected and the paths between them.
  public var impact: ImpactResult?

  public init(
    level: ViewLevel = .product, focus: [Int32]? = nil, upstream: Int = 1, downstream: Int = 1,
    engine: String? = nil, impact: ImpactResult? = nil
  ) {
    self.impact = impact
    self.level = level
    self.focus = focus
    self.upstream = upstream
    self.downstream = downstream
    self.engine = engine
  }
}

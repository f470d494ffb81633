public import LineageCore
public import LineageRender

/// What an exported explorer page holds beyond the whole mesh: a focus to draw when the
/// mesh is too large to draw whole, the date findings are judged at, and the front end's
/// words.
public struct ExplorerOptions: Sendable {
  /// Focus roots (graph indices) whose neighbourhood gets a diagram of its own; nil for none.
  public var focus: [Int32]?
  /// Hops upstream of the focus.
  public var upstream: Int
  /// Hops downstream of the focus.
  public var downstream: Int
  /// The day validation findings (freshness, deprecation dates) are judged at.
  public var today: CalendarDate
  /// The front end's words.
  public var wording: Wording
  /// Notes the front end puts first in the page (a partial input, say).
  public var notes: [String] = []
  /// Whether the data carries precomputed blast radii (within
  /// ``ExplorerPage/impactNodeLimit`` and ``ExplorerPage/impactColumnLimit``); a page
  /// whose server answers each impact question itself needs none.
  public var blastRadii = true

  /// The words of the page and of the plan's notes that belong to the front end.
  public struct Wording: Sendable {
    /// How to see more than the export holds, shown in the page ("serve the mesh, or
    /// export it with a focus").
    public var seeMore: String
    /// The words of the diagrams' notes.
    public var view: ViewRequest.Wording

    /// Creates the wording; each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - seeMore: Sets ``seeMore``.
    ///   - view: Sets ``view``.
    public init(
      seeMore: String = "serve the mesh, or export it again with a focus on what you want to see",
      view: ViewRequest.Wording = ViewRequest.Wording()
    ) {
      self.seeMore = seeMore
      self.view = view
    }
  }

  /// Creates the options; each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - focus: Sets ``focus``.
  ///   - upstream: Sets ``upstream``.
  ///   - downstream: Sets ``downstream``.
  ///   - today: Sets ``today``.
  ///   - wording: Sets ``wording``.
  public init(
    focus: [Int32]? = nil, upstream: Int = 1, downstream: Int = 1, today: CalendarDate,
    wording: Wording = Wording()
  ) {
    self.focus = focus
    self.upstream = upstream
    self.downstream = downstream
    self.today = today
    self.wording = wording
  }
}

public import LineageCore

/// What to draw.
public struct ViewRequest: Sendable {
  /// The level asked for; the size policy may draw a coarser one (see ``PlannedView/level``).
  public var level: ViewLevel
  /// Focus roots (graph indices); nil draws the whole mesh.
  public var focus: [Int32]?
  /// Hops upstream of the focus (0 or more); ignored without a focus.
  public var upstream: Int
  /// Hops downstream of the focus (0 or more); ignored without a focus.
  public var downstream: Int
  /// A layout engine forced by the user; nil lets the size policy decide.
  public var engine: String?
  /// A blast radius to highlight; without a focus the view shows the changed product,
  /// everything affected and the paths between them.
  public var impact: ImpactResult?
  /// True to draw checks (dbt data tests and unit tests); by default they are left
  /// out, except focus roots and the checks a blast radius reaches.
  public var showChecks: Bool
  /// How the plan's notes tell the reader to narrow a view or name a forced engine.
  public var wording: Wording
  /// True to give every drawn graph node the Graphviz `id` `gN` (`N` its index in the
  /// model's graph) and every edge between two of them `eA_B_K` (`K` its place in the
  /// diagram), so that a page can find them in the SVG; at the product and column levels
  /// only. Off by default, so the DOT of every other use stays as it was.
  public var elementIDs = false

  /// The words of the plan's notes that belong to the front end: how to narrow a view
  /// that is too large, and who chose the layout engine. The defaults name no option;
  /// the command line gives its flags (`narrow it with --focus`, ...).
  public struct Wording: Sendable {
    /// In parentheses after "N tables are too many for a readable column view;
    /// showing the product level".
    public var narrowColumnView: String
    /// In parentheses after "N nodes are too many to lay out readably; showing the
    /// domain level".
    public var narrowProductView: String
    /// After "layout engine NAME".
    public var engineChosen: String
    /// In parentheses after "N tests left out".
    public var showChecks: String

    /// Creates the wording; each argument sets the property of the same name.
    ///
    /// - Parameters:
    ///   - narrowColumnView: Sets ``narrowColumnView``.
    ///   - narrowProductView: Sets ``narrowProductView``.
    ///   - engineChosen: Sets ``engineChosen``.
    ///   - showChecks: Sets ``showChecks``.
    public init(
      narrowColumnView: String = "narrow it to a focus",
      narrowProductView: String = "focus on a few products, some hops up and down, to see products",
      engineChosen: String = "chosen by the request",
      showChecks: String = "ask for checks to see them"
    ) {
      self.narrowColumnView = narrowColumnView
      self.narrowProductView = narrowProductView
      self.engineChosen = engineChosen
      self.showChecks = showChecks
    }
  }

  /// Creates a request; each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - level: Sets ``level``.
  ///   - focus: Sets ``focus``.
  ///   - upstream: Sets ``upstream``.
  ///   - downstream: Sets ``downstream``.
  ///   - engine: Sets ``engine``.
  ///   - impact: Sets ``impact``.
  ///   - showChecks: Sets ``showChecks``.
  ///   - wording: Sets ``wording``.
  ///   - elementIDs: Sets ``elementIDs``.
  public init(
    level: ViewLevel = .product, focus: [Int32]? = nil, upstream: Int = 1, downstream: Int = 1,
    engine: String? = nil, impact: ImpactResult? = nil, showChecks: Bool = false, wording: Wording = Wording(),
    elementIDs: Bool = false
  ) {
    self.elementIDs = elementIDs
    self.impact = impact
    self.showChecks = showChecks
    self.wording = wording
    self.level = level
    self.focus = focus
    self.upstream = upstream
    self.downstream = downstream
    self.engine = engine
  }
}

public import LineageCore

/// Mermaid views that Mermaid draws with its default limits.
extension Views {
  /// A planned view and its Mermaid text.
  public struct MermaidView: Sendable {
    /// The view drawn (its notes say when it is not the one requested).
    public var plan: PlannedView
    /// The flowchart text.
    public var text: String
    /// True when Mermaid draws it with its default limits (``MermaidWriter/fits(_:_:)``);
    /// false when even the smallest view tried is past them.
    public var fits: Bool
  }

  /// The view of `request` as Mermaid text within Mermaid's default limits
  /// (``MermaidWriter/maxTextSize`` characters, ``MermaidWriter/maxEdges`` edges). A view
  /// past them is replaced by a smaller one, with a note that says why: a column view by
  /// the product level; a blast radius by a focus on the changed product, one hop up
  /// and down (with "+N more" stubs); then anything by the domain level.
  ///
  /// - Parameters:
  ///   - model: The model.
  ///   - request: What to draw.
  /// - Returns: The first view that fits, or the last one tried (``MermaidView/fits``
  ///   false) when none does.
  public static func mermaid(_ model: LineageModel, _ request: ViewRequest) -> MermaidView {
    var planned = plan(model, request)
    var text = MermaidWriter.write(planned.diagram)
    if MermaidWriter.fits(text, planned.diagram) { return MermaidView(plan: planned, text: text, fits: true) }
    var attempts: [(request: ViewRequest, what: String)] = []
    if planned.level == .column {
      var r = request
      r.level = .product
      attempts.append((r, "the product level"))
    }
    if let impact = request.impact, request.focus == nil {
      var r = request
      r.level = .product
      r.focus = [impact.product]
      r.upstream = 1
      r.downstream = 1
      attempts.append((r, "\(model.graph.id(impact.product)) and what is one hop up and down"))
    }
    if planned.level != .domain {
      var r = request
      r.level = .domain
      attempts.append((r, "the domain level (\(request.wording.narrowProductView))"))
    }
    for (r, what) in attempts {
      let size =
        "\(planned.diagram.nodes.count) nodes, \(planned.diagram.edges.count) edges, \(text.utf16.count) characters"
      var next = plan(model, r)
      next.diagram.notes.insert(
        "the \(planned.level.rawValue) view (\(size)) is past Mermaid's default limits (maxTextSize \(MermaidWriter.maxTextSize), maxEdges \(MermaidWriter.maxEdges)); showing \(what)",
        at: 0)
      planned = next
      text = MermaidWriter.write(planned.diagram)
      if MermaidWriter.fits(text, planned.diagram) { return MermaidView(plan: planned, text: text, fits: true) }
    }
    return MermaidView(plan: planned, text: text, fits: false)
  }
}

public import LineageCore

extension Views {
  /// A diagram of `model` as `request` asks, in one format: the plan (Mermaid's first
  /// view that fits its default limits, or Graphviz's), then the text (`dot`,
  /// `mermaid`) or Graphviz's rendering (`svg`, `png`, `pdf`).
  ///
  /// - Parameters:
  ///   - model: The lineage to draw.
  ///   - request: What to draw, and the wording of the notes.
  ///   - format: `svg`, `png`, `pdf`, `dot` or `mermaid`.
  ///   - notes: Notes the front end puts first (a partial input, say).
  /// - Returns: The diagram's bytes, and every note the diagram carries.
  /// - Throws: ``RenderError`` when Graphviz fails, or for a format it does not know.
  public static func draw(
    _ model: LineageModel, _ request: ViewRequest, format: String, notes: [String] = []
  ) throws(RenderError) -> (bytes: [UInt8], notes: [String]) {
    let mermaid = format == "mermaid" ? mermaid(model, request) : nil
    var plan = mermaid?.plan ?? self.plan(model, request)
    if let mermaid, !mermaid.fits {
      plan.diagram.notes.append(
        "the diagram is still past Mermaid's default limits (maxTextSize \(MermaidWriter.maxTextSize), maxEdges \(MermaidWriter.maxEdges)): raise them where it is drawn, or \(request.wording.narrowColumnView)"
      )
    }
    plan.diagram.notes.insert(contentsOf: notes, at: 0)
    switch format {
    case "mermaid": return (Array(MermaidWriter.write(plan.diagram).utf8), plan.diagram.notes)
    case "dot":
      return (Array(DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout).utf8), plan.diagram.notes)
    default:
      let dot = DOTWriter.write(plan.diagram, engine: plan.engine, layout: plan.layout)
      return (try Graphviz.render(dot: dot, engine: plan.engine, format: format), plan.diagram.notes)
    }
  }
}

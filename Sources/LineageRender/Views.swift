public import LineageCore

/// The size policy and the views.
///
/// Layout cost grows with layer width and edge length far faster than with node count
/// (measured in `shared/design/GRAPHVIZ.md`: dot takes 0.6 s at 1,000 nodes and over
/// 300 s at 20,000), so large views degrade on their own:
/// - up to ``dotLimit`` drawn nodes: `dot`, with fast settings above ``fastLimit``;
/// - up to ``sfdpLimit``: `sfdp` (force-directed, straight edges);
/// - beyond: the product level collapses to the domain level (and the column level
///   to the product level first), with a note saying so and how to see more.
/// `--engine` overrides the engine choice but not the collapse, and the result says which.
public enum Views {
  /// Drawn nodes above which `dot` gets fast settings (fewer layout passes, straight edges).
  public static let fastLimit = 300
  /// Drawn nodes above which the layout engine is `sfdp` instead of `dot` (unless `dot` is forced).
  public static let dotLimit = 1_000
  /// Nodes above which a product view collapses to the domain level.
  public static let sfdpLimit = 4_000
  /// Column views with more tables than this fall back to the product level.
  public static let columnTableLimit = 150
  /// The most edges between groups a domain-level view draws (see
  /// `strongestFlows`); past it, the heaviest are drawn, with a note.
  public static let domainEdgeLimit = 60

  /// Builds and plans the view.
  public static func plan(_ model: LineageModel, _ request: ViewRequest) -> PlannedView {
    let g = model.graph
    var included: [Int32]
    var upSide = Set<Int32>(), downSide = Set<Int32>()
    var notes: [String] = []
    if let roots = request.focus {
      let up = g.reach(from: roots, direction: .upstream, maxDepth: request.upstream)
      let down = g.reach(from: roots, direction: .downstream, maxDepth: request.downstream)
      upSide = Set(up.nodes)
      downSide = Set(down.nodes)
      included = Array(upSide.union(downSide))
    } else if let impact = request.impact {
      var set = Set([impact.product])
      for i in 0..<impact.count { set.formUnion(impact.path(at: i)) }
      included = Array(set)
    } else {
      included = Array(0..<Int32(g.nodeCount))
    }
    // Checks (dbt tests) are left out unless asked for; a focus root stays, and so do
    // the checks a blast radius reaches (they break).
    var hidden = Set<Int32>()
    var skipped: (Int32) -> Bool = { _ in false }
    if !request.showChecks {
      var keep = Set(request.focus ?? [])
      if let impact = request.impact { keep.formUnion(impact.nodes) }
      for v in included where !keep.contains(v) && isCheck(model, v) { hidden.insert(v) }
      skipped = { v in !keep.contains(v) && isCheck(model, v) }
      if !hidden.isEmpty {
        included.removeAll { hidden.contains($0) }
        notes.append(
          "\(hidden.count) \(hidden.count == 1 ? "test" : "tests") left out (\(request.wording.showChecks))")
      }
    }
    g.sortByID(&included)
    var level = request.level
    if level == .column && included.count > columnTableLimit {
      notes.append(
        "\(included.count) tables are too many for a readable column view; showing the product level (\(request.wording.narrowColumnView))"
      )
      level = .product
    }
    if level == .product && included.count > sfdpLimit {
      notes.append(
        "\(included.count) nodes are too many to lay out readably; showing the domain level (\(request.wording.narrowProductView))"
      )
      level = .domain
    }
    let cyclic = cyclicEdges(g)
    var diagram: Diagram
    switch level {
    case .domain: diagram = domainView(model, included: included, cyclic: cyclic)
    case .product:
      diagram = productView(
        model, included: included, cyclic: cyclic, upSide: upSide, downSide: downSide,
        focused: request.focus != nil, roots: Set(request.focus ?? []), hidden: skipped)
    case .column:
      diagram = columnView(
        model, included: included, cyclic: cyclic, upSide: upSide, downSide: downSide,
        focused: request.focus != nil, hidden: skipped)
    }
    if let impact = request.impact { highlight(&diagram, impact, model: model, included: included, level: level) }
    if request.elementIDs && level != .domain { identify(&diagram, included) }
    diagram.notes = notes + diagram.notes
    let count = diagram.nodes.count
    var engine = "dot"
    var layout: [String: String] = ["rankdir": "LR"]
    if count > dotLimit && request.engine != "dot" {
      engine = "sfdp"
      layout = ["overlap": "prism", "splines": "false", "outputorder": "edgesfirst"]
      diagram.notes.append("\(count) nodes: laid out with sfdp (force-directed) instead of dot")
    } else if count > fastLimit && (request.engine == nil || request.engine == "dot") {
      layout.merge([
        "nslimit": "2", "nslimit1": "2", "mclimit": "0.2", "searchsize": "10", "splines": "line",
        "remincross": "false",
      ]) { _, b in b }
      diagram.notes.append("\(count) nodes: dot with fast settings (straight edges)")
    }
    if let forced = request.engine, forced != engine {
      engine = forced
      if forced != "dot" { layout.removeValue(forKey: "rankdir") }
      diagram.notes.append("layout engine \(forced) \(request.wording.engineChosen)")
    }
    return PlannedView(diagram: diagram, engine: engine, layout: layout, level: level)
  }

  // MARK: Shared

  /// Edges inside strongly connected components with a cycle, as `src << 32 | dst`.
  static func cyclicEdges(_ g: LineageGraph) -> Set<Int64> {
    let scc = StronglyConnectedComponents(g.forward)
    var out = Set<Int64>()
    for c in 0..<Int32(scc.count) where scc.isCyclic(c) {
      for v in scc.members.neighbors(c) {
        for w in g.forward.neighbors(v) where scc.component[Int(w)] == c { out.insert(key(v, w)) }
      }
    }
    return out
  }

  static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(b) }

  /// Gives the first `included.count` nodes (the graph nodes, in `included` order; stubs
  /// come after them) the id `gN` and the edges between two of them `eA_B_K`.
  static func identify(_ d: inout Diagram, _ included: [Int32]) {
    var index: [String: Int32] = [:]
    for (i, v) in included.enumerated() where i < d.nodes.count {
      index[d.nodes[i].id] = v
      d.nodes[i].attributes["id"] = "g\(v)"
    }
    for k in d.edges.indices {
      guard let a = index[d.edges[k].from], let b = index[d.edges[k].to] else { continue }
      d.edges[k].attributes["id"] = "e\(a)_\(b)_\(k)"
    }
  }

  /// Clusters by domain for the included nodes: (cluster list, cluster index per domain symbol).
  static func clusters(_ model: LineageModel, _ included: [Int32]) -> ([Diagram.Cluster], [Int32: Int]) {
    let groups = groups(model, included)
    var used = Set<Int32>()
    for v in included { if let k = groups.of[v] { used.insert(k) } }
    // Domains in byte order, then folders (already in byte order after the domains).
    let g = model.graph
    let domains = used.filter { $0 < groups.domainCount }.sorted { g.domainNames.precedes($0, $1) }
    let folders = used.filter { $0 >= groups.domainCount }.sorted()
    var index: [Int32: Int] = [:]
    var list: [Diagram.Cluster] = []
    for k in domains + folders {
      index[k] = list.count
      let name = groups.names[Int(k)]
      list.append(
        Diagram.Cluster(
          label: name,
          classes: k < groups.domainCount
            ? ["domain-" + Escape.cssClass(name)] : ["folder", "folder-" + Escape.cssClass(name)]))
    }
    var of: [Int32: Int] = [:]
    for v in included { if let k = groups.of[v] { of[v] = index[k] } }
    return (list, of)
  }

  static func stubs(
    _ g: LineageGraph, _ included: [Int32], ids: [Int32: String], upSide: Set<Int32>,
    downSide: Set<Int32>, hidden: (Int32) -> Bool = { _ in false }, into d: inout Diagram
  ) {
    var count = 0
    for v in included {
      guard let id = ids[v] else { continue }
      for (side, csr, word) in [(upSide, g.reverse, "upstream"), (downSide, g.forward, "downstream")]
      where side.contains(v) {
        var cut = 0
        for w in csr.neighbors(v) where ids[w] == nil && !hidden(w) { cut += 1 }
        guard cut > 0 else { continue }
        let s = "s\(count)"
        count += 1
        d.nodes.append(stubNode(s, "+\(cut) more \(word)"))
        let attributes = ["style": "dashed", "color": "#8c959f"]
        d.edges.append(
          word == "upstream"
            ? Diagram.Edge(from: s, to: id, attributes: attributes, classes: ["stub"])
            : Diagram.Edge(from: id, to: s, attributes: attributes, classes: ["stub"]))
      }
    }
    if count > 0 { d.notes.append("dashed \"+N more\" nodes mark where the focused view was cut") }
  }

  static func stubNode(_ id: String, _ text: String) -> Diagram.Node {
    Diagram.Node(
      id: id, label: .lines([text]),
      attributes: [
        "shape": "box", "style": "dashed,rounded", "color": "#8c959f", "fontcolor": "#57606a",
        "fontsize": "8",
      ],
      tooltip: nil, classes: ["stub"], cluster: nil, shape: "stub")
  }
}

public import LineageCore

/// Which level a diagram shows.
public enum ViewLevel: String, Sendable, CaseIterable {
  /// One node per product, source and consumer, clustered by domain.
  case product
  /// One node per domain; edges count the product edges between domains.
  case domain
  /// Table-shaped nodes with one row per column; edges from column to column.
  case column
}

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

  public init(level: ViewLevel = .product, focus: [Int32]? = nil, upstream: Int = 1, downstream: Int = 1,
              engine: String? = nil, impact: ImpactResult? = nil) {
    self.impact = impact
    self.level = level
    self.focus = focus
    self.upstream = upstream
    self.downstream = downstream
    self.engine = engine
  }
}

/// A diagram ready to lay out: the drawing, the engine and its settings.
public struct PlannedView: Sendable {
  public var diagram: Diagram
  public var engine: String
  public var layout: [String: String]
  /// The level actually drawn (the size policy may collapse the request).
  public var level: ViewLevel
}

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
  public static let fastLimit = 300
  public static let dotLimit = 1_000
  public static let sfdpLimit = 4_000
  /// Column views with more tables than this fall back to the product level.
  public static let columnTableLimit = 150

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
      for a in impact.affected { set.formUnion(a.path) }
      included = Array(set)
    } else {
      included = Array(0..<Int32(g.nodeCount))
    }
    g.sortByID(&included)
    var level = request.level
    if level == .column && included.count > columnTableLimit {
      notes.append("\(included.count) tables are too many for a readable column view; showing the product level (narrow it with --focus)")
      level = .product
    }
    if level == .product && included.count > sfdpLimit {
      notes.append("\(included.count) nodes are too many to lay out readably; showing the domain level (use --focus X --upstream N --downstream N to see products)")
      level = .domain
    }
    let cyclic = cyclicEdges(g)
    var diagram: Diagram
    switch level {
    case .domain: diagram = domainView(model, included: included, cyclic: cyclic)
    case .product:
      diagram = productView(model, included: included, cyclic: cyclic, upSide: upSide, downSide: downSide,
                            focused: request.focus != nil, roots: Set(request.focus ?? []))
    case .column:
      diagram = columnView(model, included: included, cyclic: cyclic, upSide: upSide, downSide: downSide,
                           focused: request.focus != nil)
    }
    if let impact = request.impact { highlight(&diagram, impact, model: model, included: included, level: level) }
    diagram.notes = notes + diagram.notes
    let count = diagram.nodes.count
    var engine = "dot"
    var layout: [String: String] = ["rankdir": "LR"]
    if count > dotLimit && request.engine != "dot" {
      engine = "sfdp"
      layout = ["overlap": "prism", "splines": "false", "outputorder": "edgesfirst"]
      diagram.notes.append("\(count) nodes: laid out with sfdp (force-directed) instead of dot")
    } else if count > fastLimit && (request.engine == nil || request.engine == "dot") {
      layout.merge(["nslimit": "2", "nslimit1": "2", "mclimit": "0.2", "searchsize": "10", "splines": "line",
                    "remincross": "false"]) { _, b in b }
      diagram.notes.append("\(count) nodes: dot with fast settings (straight edges)")
    }
    if let forced = request.engine, forced != engine {
      engine = forced
      if forced != "dot" { layout.removeValue(forKey: "rankdir") }
      diagram.notes.append("layout engine \(forced) chosen with --engine")
    }
    return PlannedView(diagram: diagram, engine: engine, layout: layout, level: level)
  }

  // MARK: Shared

  /// Edges inside strongly connected components with a cycle, as `src << 32 | dst`.
  static func cyclicEdges(_ g: LineageGraph) -> Set<Int64> {
    let scc = StronglyConnectedComponents(g.forward)
    var out = Set<Int64>()
    for c in 0..<Int32(scc.count) where scc.isCyclic(c, in: g.forward) {
      for v in scc.members.neighbors(c) {
        for w in g.forward.neighbors(v) where scc.component[Int(w)] == c { out.insert(key(v, w)) }
      }
    }
    return out
  }

  static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(b) }

  static let cycleColor = "#d1242f"

  static func style(_ model: LineageModel, _ v: Int32) -> (attributes: [String: String], shape: String) {
    let g = model.graph
    var a: [String: String] = [:]
    var shape = "box"
    switch g.kindName(v) {
    case "source":
      a["shape"] = "cylinder"
      a["fillcolor"] = "#e8f1fb"
      shape = "cylinder"
    case "consumer", "exposure":
      a["shape"] = "note"
      a["fillcolor"] = "#fff4d6"
      shape = "stadium"
    default:
      a["shape"] = "box"
      a["style"] = "rounded,filled"
      shape = "round"
    }
    var styles = (a["style"] ?? "filled").split(separator: ",").map(String.init)
    switch g.status[Int(v)] {
    case .deprecated: styles.append("dashed")
    case .draft: styles.append("dotted")
    case .retired:
      styles.append("dashed")
      a["fillcolor"] = "#eeeeee"
      a["fontcolor"] = "#8c959f"
      a["color"] = "#8c959f"
    case .active: break
    }
    a["style"] = styles.joined(separator: ",")
    return (a, shape)
  }

  static func meta(_ model: LineageModel, _ v: Int32) -> String? {
    let g = model.graph
    var parts: [String] = []
    if let n = model.declaration(of: v) {
      if n.access != .public { parts.append(n.access.rawValue) }
      if let s = n.sensitivity, s != .public, s != .internal { parts.append(s.rawValue) }
    }
    if g.status[Int(v)] != .active { parts.append(g.status[Int(v)].rawValue) }
    return parts.isEmpty ? nil : "[" + parts.joined(separator: " · ") + "]"
  }

  static func tooltip(_ model: LineageModel, _ v: Int32) -> String {
    let g = model.graph
    var lines = ["\(g.kindName(v)) \(g.id(v))", "domain: \(g.domainName(v) ?? "-")", "owner: \(g.ownerName(v) ?? "-")"]
    if let d = model.declaration(of: v)?.description { lines.append(String(d.prefix(300))) }
    return lines.joined(separator: "\n")
  }

  static func classes(_ model: LineageModel, _ v: Int32) -> [String] {
    let g = model.graph
    return ["kind-" + Escape.cssClass(g.kindName(v)), "domain-" + Escape.cssClass(g.domainName(v) ?? "none"),
            "status-" + g.status[Int(v)].rawValue]
  }

  /// Clusters by domain for the included nodes: (cluster list, cluster index per domain symbol).
  static func clusters(_ g: LineageGraph, _ included: [Int32]) -> ([Diagram.Cluster], [Int32: Int]) {
    var domains = Set<Int32>()
    for v in included where g.domain[Int(v)] >= 0 { domains.insert(g.domain[Int(v)]) }
    let sorted = domains.sorted { g.domainNames.precedes($0, $1) }
    var index: [Int32: Int] = [:]
    var list: [Diagram.Cluster] = []
    for d in sorted {
      index[d] = list.count
      list.append(Diagram.Cluster(label: g.domainNames[d], classes: ["domain-" + Escape.cssClass(g.domainNames[d])]))
    }
    return (list, index)
  }

  /// "+N more" stubs where a focused view cut the graph.
  static func stubs(_ g: LineageGraph, _ included: [Int32], ids: [Int32: String], upSide: Set<Int32>,
                    downSide: Set<Int32>, into d: inout Diagram) {
    var count = 0
    for v in included {
      guard let id = ids[v] else { continue }
      for (side, csr, word) in [(upSide, g.reverse, "upstream"), (downSide, g.forward, "downstream")] where side.contains(v) {
        var hidden = 0
        for w in csr.neighbors(v) where ids[w] == nil { hidden += 1 }
        guard hidden > 0 else { continue }
        let s = "s\(count)"
        count += 1
        d.nodes.append(stubNode(s, "+\(hidden) more \(word)"))
        let attributes = ["style": "dashed", "color": "#8c959f"]
        d.edges.append(word == "upstream"
          ? Diagram.Edge(from: s, to: id, attributes: attributes, classes: ["stub"])
          : Diagram.Edge(from: id, to: s, attributes: attributes, classes: ["stub"]))
      }
    }
    if count > 0 { d.notes.append("dashed \"+N more\" nodes mark where the focused view was cut") }
  }

  static func stubNode(_ id: String, _ text: String) -> Diagram.Node {
    Diagram.Node(id: id, label: .lines([text]),
                 attributes: ["shape": "box", "style": "dashed,rounded", "color": "#8c959f", "fontcolor": "#57606a",
                              "fontsize": "8"],
                 tooltip: nil, classes: ["stub"], cluster: nil, shape: "stub")
  }

  // MARK: Impact

  static let breaksColor = "#cf222e", mayBreakColor = "#bf8700", changedColor = "#0969da", mutedColor = "#afb8c1"

  /// Colours a view by a blast radius: the change blue, breaks red, may-break amber,
  /// the rest greyed; edges along the paths to affected nodes take their colour.
  static func highlight(_ d: inout Diagram, _ r: ImpactResult, model: LineageModel, included: [Int32], level: ViewLevel) {
    let g = model.graph
    guard level != .domain else {
      d.notes.append("the blast radius is drawn at the product and column levels only")
      return
    }
    var verdict: [Int32: Verdict] = [:]
    for a in r.affected { verdict[a.node] = a.verdict }
    var idOf: [String: Int32] = [:]
    for (i, v) in included.enumerated() where i < d.nodes.count { idOf[d.nodes[i].id] = v }
    var onPath = Set<Int64>()
    for a in r.affected {
      for (x, y) in zip(a.path, a.path.dropFirst()) { onPath.insert(key(x, y)) }
    }
    for i in d.nodes.indices {
      guard let v = idOf[d.nodes[i].id] else { continue }
      var a = d.nodes[i].attributes
      if v == r.product {
        a["color"] = changedColor
        a["penwidth"] = "3"
        if a["shape"] != "plain" { a["fillcolor"] = "#ddf4ff" }
        d.nodes[i].classes.append("changed")
      } else if let vd = verdict[v] {
        a["color"] = vd == .breaks ? breaksColor : mayBreakColor
        a["penwidth"] = "2.5"
        if a["shape"] != "plain" { a["fillcolor"] = vd == .breaks ? "#ffebe9" : "#fff8c5" }
        d.nodes[i].classes.append("verdict-" + vd.rawValue)
      } else {
        a["color"] = mutedColor
        a["fontcolor"] = "#8c959f"
        if a["shape"] != "plain" { a["fillcolor"] = "#f6f8fa" }
        d.nodes[i].classes.append("unaffected")
      }
      d.nodes[i].attributes = a
      if case .table(let title, let subtitle, var rows) = d.nodes[i].label {
        for j in rows.indices {
          rows[j].highlight = nil
          guard let c = model.columns.column(of: v, named: rows[j].name) else { continue }
          if v == r.product && (r.column == nil || r.column == rows[j].name) {
            rows[j].highlight = "#b6e3ff"
          } else if let cv = r.columnVerdicts[c] {
            rows[j].highlight = cv == .breaks ? "#ffcecb" : "#fff1a8"
          }
        }
        d.nodes[i].label = .table(title: title, subtitle: subtitle, rows: rows)
      }
    }
    // Column edges take the verdict of the column they reach; reads that of the reader.
    var portColumn: [String: Int32] = [:]
    for n in d.nodes {
      guard let v = idOf[n.id], case .table(_, _, let rows) = n.label else { continue }
      for row in rows { if let c = model.columns.column(of: v, named: row.name) { portColumn[n.id + ":" + row.port] = c } }
    }
    for i in d.edges.indices {
      guard let from = idOf[d.edges[i].from], let to = idOf[d.edges[i].to] else { continue }
      if level == .column {
        var vd: Verdict?
        if let port = d.edges[i].toPort, let c = portColumn[d.edges[i].to + ":" + port] {
          vd = r.columnVerdicts[c]
        } else if let port = d.edges[i].fromPort, let c = portColumn[d.edges[i].from + ":" + port],
                  r.columnVerdicts[c] != nil || (from == r.product && model.columns.name(c) == r.column) {
          vd = verdict[to]
        }
        if let vd {
          d.edges[i].attributes["color"] = vd == .breaks ? breaksColor : mayBreakColor
          d.edges[i].attributes["penwidth"] = "2"
          d.edges[i].classes.append("impact")
        } else {
          d.edges[i].attributes["color"] = mutedColor
        }
        continue
      }
      if onPath.contains(key(from, to)), let vd = verdict[to] {
        d.edges[i].attributes["color"] = vd == .breaks ? breaksColor : mayBreakColor
        d.edges[i].attributes["penwidth"] = "2"
        d.edges[i].classes.append("impact")
      } else if d.edges[i].attributes["color"] == nil {
        d.edges[i].attributes["color"] = mutedColor
      }
    }
    let what = g.id(r.product) + (r.column.map { "." + $0 } ?? "")
    d.title += ", impact of \(r.change) \(what)"
    d.legend = [("blue: \(r.change) \(what)", changedColor), ("red: breaks", breaksColor),
                ("amber: may break", mayBreakColor), ("grey: unaffected", mutedColor)]
  }

  // MARK: Views

  static func productView(_ model: LineageModel, included: [Int32], cyclic: Set<Int64>, upSide: Set<Int32>,
                          downSide: Set<Int32>, focused: Bool, roots focusRoots: Set<Int32>) -> Diagram {
    let g = model.graph
    var d = Diagram(title: "\(model.mesh.name): product level, \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.6"]
    let (clusters, clusterOf) = clusters(g, included)
    d.clusters = clusters
    var ids: [Int32: String] = [:]
    for (i, v) in included.enumerated() {
      let id = "n\(i)"
      ids[v] = id
      var (attrs, shape) = style(model, v)
      var lines = [g.id(v)]
      if let m = meta(model, v) { lines.append(m) }
      var cls = classes(model, v)
      if focusRoots.contains(v) {
        attrs["penwidth"] = "2.5"
        attrs["color"] = "#0969da"
        cls.append("focus")
      }
      d.nodes.append(Diagram.Node(id: id, label: .lines(lines), attributes: attrs, tooltip: tooltip(model, v),
                                  classes: cls, cluster: g.domain[Int(v)] >= 0 ? clusterOf[g.domain[Int(v)]] : nil,
                                  shape: shape))
    }
    var inCycle = Set<Int32>()
    for v in included {
      for w in g.forward.neighbors(v) {
        guard let from = ids[v], let to = ids[w] else { continue }
        var e = Diagram.Edge(from: from, to: to, attributes: [:], classes: [])
        if g.domain[Int(v)] != g.domain[Int(w)] { e.classes.append("cross-domain") }
        if cyclic.contains(key(v, w)) {
          e.attributes = ["color": cycleColor, "penwidth": "2"]
          e.classes.append("cycle")
          inCycle.insert(v)
        }
        d.edges.append(e)
      }
    }
    for (i, v) in included.enumerated() where inCycle.contains(v) {
      d.nodes[i].attributes["color"] = cycleColor
      d.nodes[i].attributes["penwidth"] = "2"
      d.nodes[i].classes.append("cycle")
    }
    if !inCycle.isEmpty { d.legend.append(("red: a cycle", cycleColor)) }
    if focused { stubs(g, included, ids: ids, upSide: upSide, downSide: downSide, into: &d) }
    return d
  }

  static func domainView(_ model: LineageModel, included: [Int32], cyclic: Set<Int64>) -> Diagram {
    let g = model.graph
    var counts: [Int32: [String: Int]] = [:]
    var flows: [Int64: Int] = [:]
    var cyclicFlows = Set<Int64>()
    let inView = Set(included)
    let none = Int32(g.domainNames.count)  // nodes without a domain
    func dom(_ v: Int32) -> Int32 { g.domain[Int(v)] >= 0 ? g.domain[Int(v)] : none }
    for v in included {
      counts[dom(v), default: [:]][g.kindName(v), default: 0] += 1
      for w in g.forward.neighbors(v) where inView.contains(w) && dom(w) != dom(v) {
        flows[key(dom(v), dom(w)), default: 0] += 1
        if cyclic.contains(key(v, w)) { cyclicFlows.insert(key(dom(v), dom(w))) }
      }
    }
    func name(_ d: Int32) -> String { d == none ? "(no domain)" : g.domainNames[d] }
    let domains = counts.keys.sorted { name($0).utf8.lexicographicallyPrecedes(name($1).utf8) }
    var d = Diagram(title: "\(model.mesh.name): domain level, \(domains.count) domains, \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.4", "ranksep": "0.8"]
    var ids: [Int32: String] = [:]
    for (i, dm) in domains.enumerated() {
      ids[dm] = "n\(i)"
      let kinds = (counts[dm] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)\($0.value == 1 ? "" : "s")" }
      let owner = dm == none ? nil : model.mesh.domain(name(dm))?.owner
      var lines = [name(dm)]
      if let owner { lines.append(owner) }
      lines.append(kinds.joined(separator: ", "))
      d.nodes.append(Diagram.Node(id: "n\(i)", label: .lines(lines),
                                  attributes: ["shape": "box", "style": "rounded,filled", "fillcolor": "#f6f8fa"],
                                  tooltip: "domain \(name(dm)): " + kinds.joined(separator: ", "),
                                  classes: ["domain", "domain-" + Escape.cssClass(name(dm))], cluster: nil,
                                  shape: "round"))
    }
    for (k, n) in flows.sorted(by: { a, b in
      let (af, at) = (Int32(truncatingIfNeeded: a.key >> 32), Int32(truncatingIfNeeded: a.key))
      let (bf, bt) = (Int32(truncatingIfNeeded: b.key >> 32), Int32(truncatingIfNeeded: b.key))
      return (name(af), name(at)) < (name(bf), name(bt))
    }) {
      let from = Int32(truncatingIfNeeded: k >> 32), to = Int32(truncatingIfNeeded: k)
      guard let a = ids[from], let b = ids[to] else { continue }
      var e = Diagram.Edge(from: a, to: b, label: "\(n)", attributes: ["penwidth": String(min(6, 1 + n / 10))],
                           classes: ["domain-edge"])
      if cyclicFlows.contains(k) {
        e.attributes["color"] = cycleColor
        e.classes.append("cycle")
      }
      d.edges.append(e)
    }
    if !cyclicFlows.isEmpty { d.legend.append(("red: edges of a product-level cycle", cycleColor)) }
    d.notes.append("edge labels count the product-level edges between two domains")
    return d
  }

  static func columnView(_ model: LineageModel, included: [Int32], cyclic: Set<Int64>, upSide: Set<Int32>,
                         downSide: Set<Int32>, focused: Bool) -> Diagram {
    let g = model.graph, cg = model.columns
    var d = Diagram(title: "\(model.mesh.name): column level, \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.3", "ranksep": "1.0"]
    let (clusters, clusterOf) = clusters(g, included)
    d.clusters = clusters
    // Columns per node, in schema order (declared first, then implicit ones).
    var columnsOf: [Int32: [Int32]] = [:]
    for c in 0..<Int32(cg.count) { columnsOf[cg.node[Int(c)], default: []].append(c) }
    var ids: [Int32: String] = [:]
    var port: [Int32: String] = [:]
    for (i, v) in included.enumerated() {
      let id = "n\(i)"
      ids[v] = id
      let cols = columnsOf[v] ?? []
      let decl = model.declaration(of: v)
      var (attrs, shape) = style(model, v)
      if cols.isEmpty {
        var lines = [g.id(v)]
        if let m = meta(model, v) { lines.append(m) }
        d.nodes.append(Diagram.Node(id: id, label: .lines(lines), attributes: attrs, tooltip: tooltip(model, v),
                                    classes: classes(model, v), cluster: g.domain[Int(v)] >= 0 ? clusterOf[g.domain[Int(v)]] : nil,
                                    shape: shape))
        continue
      }
      var rows: [Diagram.Row] = []
      for (j, c) in cols.enumerated() {
        port[c] = "c\(j)"
        let col = decl?.column(named: cg.name(c))
        var detail = col?.type ?? ""
        if col?.classification != nil { detail += (detail.isEmpty ? "" : " ") + (col?.classification ?? "") }
        if col?.masked == true { detail += " masked" }
        rows.append(Diagram.Row(port: "c\(j)", name: cg.name(c), detail: detail.isEmpty ? nil : detail,
                                highlight: col?.classification == "pii" && col?.masked != true ? "#fde2e1" : nil))
      }
      attrs = ["shape": "plain"]
      if g.status[Int(v)] == .retired { attrs["fontcolor"] = "#8c959f" }
      d.nodes.append(Diagram.Node(id: id, label: .table(title: g.id(v), subtitle: meta(model, v), rows: rows),
                                  attributes: attrs, tooltip: tooltip(model, v), classes: classes(model, v),
                                  cluster: g.domain[Int(v)] >= 0 ? clusterOf[g.domain[Int(v)]] : nil, shape: "box"))
    }
    for c in 0..<Int32(cg.count) {
      let v = cg.node[Int(c)]
      guard let from = ids[v] else { continue }
      var i = Int(cg.forward.offsets[Int(c)])
      for t in cg.forward.neighbors(c) {
        defer { i += 1 }
        let w = cg.node[Int(t)]
        guard let to = ids[w] else { continue }
        var e = Diagram.Edge(from: from, to: to, fromPort: port[c], toPort: port[t], attributes: [:],
                             classes: ["column-edge"])
        let transform = cg.transform[i]
        if transform.isIndirect {
          e.attributes["style"] = "dashed"
          e.classes.append("indirect")
        }
        if transform != .identity { e.label = transform.rawValue }
        if cyclic.contains(key(v, w)) {
          e.attributes["color"] = cycleColor
          e.classes.append("cycle")
        }
        d.edges.append(e)
      }
      for reader in cg.reads.neighbors(c) where (columnsOf[reader] ?? []).isEmpty {
        guard let to = ids[reader] else { continue }
        d.edges.append(Diagram.Edge(from: from, to: to, fromPort: port[c], attributes: ["color": "#8c959f"],
                                    classes: ["read"]))
      }
    }
    d.legend.append(("dashed: indirect use (join, filter, group by)", ""))
    d.legend.append(("pink row: unmasked personal data", "#fde2e1"))
    if focused { stubs(g, included, ids: ids, upSide: upSide, downSide: downSide, into: &d) }
    return d
  }
}

internal import LineageCore

/// The product level: one node per product, source and consumer, clustered by domain.
extension Views {
  static func productView(
    _ model: LineageModel, included: [Int32], cyclic: Set<Int64>, upSide: Set<Int32>,
    downSide: Set<Int32>, focused: Bool, roots focusRoots: Set<Int32>, hidden: (Int32) -> Bool = { _ in false }
  ) -> Diagram {
    let g = model.graph
    var d = Diagram(title: "\(model.mesh.name): product level, \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.6"]
    let (clusters, clusterOf) = clusters(model, included)
    let names = labels(model, included)
    d.clusters = clusters
    var ids: [Int32: String] = [:]
    for (i, v) in included.enumerated() {
      let id = "n\(i)"
      ids[v] = id
      var (attrs, shape) = style(model, v)
      var lines = [names[v] ?? g.id(v)]
      if let m = meta(model, v) { lines.append(m) }
      var cls = classes(model, v)
      if focusRoots.contains(v) {
        attrs["penwidth"] = "2.5"
        attrs["color"] = "#0969da"
        cls.append("focus")
      }
      d.nodes.append(
        Diagram.Node(
          id: id, label: .lines(lines), attributes: attrs, tooltip: tooltip(model, v),
          classes: cls, cluster: clusterOf[v],
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
    if focused { stubs(g, included, ids: ids, upSide: upSide, downSide: downSide, hidden: hidden, into: &d) }
    return d
  }
}

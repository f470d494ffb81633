internal import LineageCore

/// The domain level: one node per domain; edges count the product edges between domains.
extension Views {
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
      let kinds = (counts[dm] ?? [:]).sorted { $0.key < $1.key }.map {
        "\($0.value) \($0.key)\($0.value == 1 ? "" : "s")"
      }
      let owner = dm == none ? nil : model.mesh.domain(name(dm))?.owner
      var lines = [name(dm)]
      if let owner { lines.append(owner) }
      lines.append(kinds.joined(separator: ", "))
      d.nodes.append(
        Diagram.Node(
          id: "n\(i)", label: .lines(lines),
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
      var e = Diagram.Edge(
        from: a, to: b, label: "\(n)", attributes: ["penwidth": String(min(6, 1 + n / 10))],
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
}

internal import LineageCore

/// The domain level: one node per domain; edges count the product edges between domains.
extension Views {
  static func domainView(_ model: LineageModel, included: [Int32], cyclic: Set<Int64>) -> Diagram {
    let g = model.graph
    var counts: [Int32: [String: Int]] = [:]
    var flows: [Int64: Int] = [:]
    var cyclicFlows = Set<Int64>()
    let inView = Set(included)
    let groups = groups(model, included)
    let none = Int32(groups.names.count)  // nodes in no group
    func dom(_ v: Int32) -> Int32 { groups.of[v] ?? none }
    for v in included {
      counts[dom(v), default: [:]][g.kindName(v), default: 0] += 1
      for w in g.forward.neighbors(v) where inView.contains(w) && dom(w) != dom(v) {
        flows[key(dom(v), dom(w)), default: 0] += 1
        if cyclic.contains(key(v, w)) { cyclicFlows.insert(key(dom(v), dom(w))) }
      }
    }
    func name(_ d: Int32) -> String {
      d == none ? (groups.hasFolders ? "(no group)" : "(no domain)") : groups.names[Int(d)]
    }
    func isDomain(_ d: Int32) -> Bool { d < groups.domainCount }
    // Domains, then folders, then the rest, each in byte order.
    func rank(_ d: Int32) -> Int { isDomain(d) ? 0 : d == none ? 2 : 1 }
    let domains = counts.keys.sorted {
      rank($0) != rank($1) ? rank($0) < rank($1) : name($0).utf8.lexicographicallyPrecedes(name($1).utf8)
    }
    let groupWord = groups.hasFolders ? "groups" : "domains"
    var d = Diagram(
      title: "\(model.mesh.name): domain level, \(domains.count) \(groupWord), \(included.count) nodes")
    d.graphAttributes = ["fontname": "Helvetica", "nodesep": "0.4", "ranksep": "0.8"]
    var ids: [Int32: String] = [:]
    for (i, dm) in domains.enumerated() {
      ids[dm] = "n\(i)"
      let kinds = (counts[dm] ?? [:]).sorted { $0.key < $1.key }.map {
        "\($0.value) \($0.key)\($0.value == 1 ? "" : "s")"
      }
      let owner = isDomain(dm) ? model.mesh.domain(name(dm))?.owner : nil
      var lines = [name(dm)]
      if let owner { lines.append(owner) }
      lines.append(kinds.joined(separator: ", "))
      d.nodes.append(
        Diagram.Node(
          id: "n\(i)", label: .lines(lines),
          attributes: ["shape": "box", "style": "rounded,filled", "fillcolor": "#f6f8fa"],
          tooltip: "\(isDomain(dm) || dm == none ? "domain" : "folder") \(name(dm)): " + kinds.joined(separator: ", "),
          classes: isDomain(dm) || dm == none
            ? ["domain", "domain-" + Escape.cssClass(name(dm))] : ["folder", "folder-" + Escape.cssClass(name(dm))],
          cluster: nil,
          shape: "round"))
    }
    let kept = strongestFlows(flows)
    let trimmed = kept.count < flows.count
    let heaviest = kept.map { flows[$0] ?? 0 }.max() ?? 1
    for (k, n) in flows.filter({ kept.contains($0.key) }).sorted(by: { a, b in
      let (af, at) = (Int32(truncatingIfNeeded: a.key >> 32), Int32(truncatingIfNeeded: a.key))
      let (bf, bt) = (Int32(truncatingIfNeeded: b.key >> 32), Int32(truncatingIfNeeded: b.key))
      return (rank(af), name(af), rank(at), name(at)) < (rank(bf), name(bf), rank(bt), name(bt))
    }) {
      let from = Int32(truncatingIfNeeded: k >> 32), to = Int32(truncatingIfNeeded: k)
      guard let a = ids[from], let b = ids[to] else { continue }
      var e = Diagram.Edge(
        from: a, to: b, label: "\(n)",
        attributes: ["penwidth": String(trimmed ? 1 + 5 * n / max(1, heaviest) : min(6, 1 + n / 10))],
        classes: ["domain-edge"])
      if cyclicFlows.contains(k) {
        e.attributes["color"] = cycleColor
        e.classes.append("cycle")
      }
      d.edges.append(e)
    }
    if !cyclicFlows.isEmpty { d.legend.append(("red: edges of a product-level cycle", cycleColor)) }
    let word = groupWord.dropLast()
    if trimmed {
      let total = flows.values.reduce(0, +), drawn = kept.reduce(0) { $0 + (flows[$1] ?? 0) }
      d.notes.append(
        "\(kept.count) of the \(flows.count) edges between \(word)s drawn: each \(word)'s heaviest in and out, then the heaviest (\(drawn) of \(total) product-level edges; widths relative to the heaviest)"
      )
    }
    d.notes.append("edge labels count the product-level edges between two \(word)s")
    return d
  }

  /// The edges between groups a domain-level view draws: all of them up to
  /// ``domainEdgeLimit``; past it, each group's heaviest outgoing and incoming edge,
  /// then the heaviest others up to the limit (ties by key), so that the picture stays
  /// readable and quick to lay out (dot takes seconds on 20 nodes with 380 labelled
  /// edges).
  ///
  /// - Parameter flows: Product-level edge counts by `from << 32 | to` group pair.
  /// - Returns: The pairs to draw.
  static func strongestFlows(_ flows: [Int64: Int]) -> Set<Int64> {
    guard flows.count > domainEdgeLimit else { return Set(flows.keys) }
    let ranked = flows.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }.map(\.key)
    var kept = Set<Int64>()
    var hasOut = Set<Int32>(), hasIn = Set<Int32>()
    for k in ranked {
      let from = Int32(truncatingIfNeeded: k >> 32), to = Int32(truncatingIfNeeded: k)
      if hasOut.insert(from).inserted { kept.insert(k) }
      if hasIn.insert(to).inserted { kept.insert(k) }
    }
    for k in ranked where kept.count < domainEdgeLimit { kept.insert(k) }
    return kept
  }
}

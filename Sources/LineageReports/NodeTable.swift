import LineageCore

/// The rows of a node list as the graph holds them: node indices in id order, with
/// their depths. Reports write them straight from the graph's interned strings into
/// their output buffer, with no ``NodeRow`` per node; ``rows`` makes those for callers
/// that want them.
struct NodeTable: Sendable {
  /// The model the nodes belong to.
  let model: LineageModel
  /// Nodes, sorted by id (byte order).
  let nodes: [Int32]
  /// The depth of each of ``nodes``.
  let depths: [Int32]

  /// Sorts `nodes` by id (``LineageGraph/orderByID(_:)``), keeping each depth with its node.
  init(model: LineageModel, nodes: [Int32], depths: [Int32]) {
    self.model = model
    let order = model.graph.orderByID(nodes)
    self.nodes = order.map { nodes[Int($0)] }
    self.depths = order.map { depths[Int($0)] }
  }

  var count: Int { nodes.count }

  /// One ``NodeRow`` per node, in id order.
  var rows: [NodeRow] {
    let g = model.graph
    return nodes.indices.map { i in
      let v = nodes[i]
      let decl = model.declaration(of: v)
      var row = NodeRow(
        id: g.id(v), kind: g.kindName(v), domain: g.domainName(v), owner: g.ownerName(v),
        depth: Int(depths[i]), status: g.status[Int(v)].rawValue, name: decl?.name)
      row.provenance = decl?.provenance.map(\.description) ?? []
      return row
    }
  }

  /// The number of distinct domains (no domain counting as one) and the largest depth.
  var domainCountAndDeepest: (domains: Int, deepest: Int) {
    let g = model.graph
    var seen = [Bool](repeating: false, count: g.domainNames.count + 1)
    var domains = 0, deepest: Int32 = 0
    for (i, v) in nodes.enumerated() {
      let d = groupKey(v) + 1
      if !seen[d] {
        seen[d] = true
        domains += 1
      }
      deepest = max(deepest, depths[i])
    }
    return (domains, Int(deepest))
  }

  /// The domain a text report lists node `v` under: its domain's index, -1 for none
  /// (a domain named "" is listed with the nodes that have none, as the text report
  /// groups by name).
  func groupKey(_ v: Int32) -> Int {
    let d = model.graph.domain[Int(v)]
    if d < 0 { return -1 }
    return model.graph.domainNames.withBytes(d) { $0.isEmpty } ? -1 : Int(d)
  }

  static func jsonStrings(_ t: Interner) -> [[UInt8]] { t.strings.map { JSONWriter.quoted($0) } }

  /// The position of `s` in `ProductStatus.allCases`.
  static func slot(_ s: ProductStatus) -> Int {
    ProductStatus.allCases.firstIndex(of: s) ?? 0
  }

  /// Writes each node as the compact object ``NodeListReport/json()`` documents.
  func writeJSON(into w: inout JSONWriter) {
    let g = model.graph
    let kinds = Self.jsonStrings(g.kindNames), domains = Self.jsonStrings(g.domainNames)
    let owners = Self.jsonStrings(g.ownerNames)
    let null = Array("null".utf8)
    let statuses = ProductStatus.allCases.map { JSONWriter.quoted($0.rawValue) }
    let declared = model.hasDeclarations
    let idKey = Array(#"{"id":"#.utf8), kindKey = Array(#","kind":"#.utf8)
    let domainKey = Array(#","domain":"#.utf8), ownerKey = Array(#","owner":"#.utf8)
    let depthKey = Array(#","depth":"#.utf8), statusKey = Array(#","status":"#.utf8)
    let nameKey = Array(#","name":"#.utf8), provenanceKey = Array(#","provenance":["#.utf8)
    for (i, v) in nodes.enumerated() {
      let vi = Int(v)
      w.rawValue { out in
        out.append(contentsOf: idKey)
        g.ids.withBytes(v) { JSONWriter.appendString($0, to: &out) }
        out.append(contentsOf: kindKey)
        out.append(contentsOf: kinds[Int(g.kind[vi])])
        out.append(contentsOf: domainKey)
        let d = g.domain[vi]
        out.append(contentsOf: d < 0 ? null : domains[Int(d)])
        out.append(contentsOf: ownerKey)
        let o = g.owner[vi]
        out.append(contentsOf: o < 0 ? null : owners[Int(o)])
        out.append(contentsOf: depthKey)
        JSONWriter.appendDecimal(Int(depths[i]), to: &out)
        out.append(contentsOf: statusKey)
        out.append(contentsOf: statuses[Self.slot(g.status[vi])])
        if declared, let decl = model.declaration(of: v) {
          if let name = decl.name {
            out.append(contentsOf: nameKey)
            out.append(contentsOf: JSONWriter.quoted(name))
          }
          if !decl.provenance.isEmpty {
            out.append(contentsOf: provenanceKey)
            for (k, p) in decl.provenance.enumerated() {
              if k > 0 { out.append(UInt8(ascii: ",")) }
              out.append(contentsOf: JSONWriter.quoted(p.description))
            }
            out.append(UInt8(ascii: "]"))
          }
        }
        out.append(UInt8(ascii: "}"))
      }
    }
  }

  /// True when a byte is printable ASCII: text that is only such bytes is its own
  /// terminal-safe form and as wide as it is long.
  @inline(__always) static func isPlain(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7F }

  static func isPlain(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in p where !isPlain(b) { return false }
    return true
  }

  static func isPlain(_ s: String) -> Bool { s.utf8.allSatisfy { isPlain($0) } }

  /// Appends the domain groups of ``NodeListReport/text(style:moreEdges:)`` (each a
  /// heading and an aligned table) when every string is printable ASCII and no node has
  /// a provenance; returns false, having written nothing, otherwise (the caller then
  /// lays the rows out from ``rows``).
  func writeTextGroups(style: TextStyle, into out: inout [UInt8]) -> Bool {
    let g = model.graph
    for t in [g.kindNames, g.domainNames, g.ownerNames] where !t.strings.allSatisfy(Self.isPlain) { return false }
    for v in nodes where !g.ids.withBytes(v, Self.isPlain) { return false }
    if model.hasDeclarations {
      for v in nodes where !(model.declaration(of: v)?.provenance.isEmpty ?? true) { return false }
    }
    // Groups in the byte order of their domains' names, none ("") first; rows in id
    // order within each.
    var members = [[Int32]](repeating: [], count: g.domainNames.count + 1)
    for (i, v) in nodes.enumerated() { members[groupKey(v) + 1].append(Int32(i)) }
    var named = (0..<Int32(g.domainNames.count)).filter { !members[Int($0) + 1].isEmpty }
    g.domainNames.sortByBytes(&named)
    let order = (members[0].isEmpty ? [] : [-1]) + named.map { Int($0) }

    func wrap(_ code: String) -> (open: [UInt8], close: [UInt8]) {
      style.color ? (Array("\u{1B}[\(code)m".utf8), Array("\u{1B}[0m".utf8)) : ([], [])
    }
    let bold = wrap("1"), dim = wrap("2"), cyan = wrap("36"), yellow = wrap("33")
    let kinds = g.kindNames.strings.map { Array($0.utf8) }
    let owners = g.ownerNames.strings.map { Array($0.utf8) }
    let noOwner = Array("-".utf8)
    let statuses = ProductStatus.allCases.map { Array($0.rawValue.utf8) }
    var depthTexts: [[UInt8]] = []
    func depthText(_ d: Int32) -> [UInt8] {
      while depthTexts.count <= Int(d) {
        let k = depthTexts.count
        depthTexts.append(Array((k == 0 ? "root" : "\(k) hop\(k == 1 ? "" : "s")").utf8))
      }
      return depthTexts[Int(d)]
    }
    func pad(_ n: Int) { for _ in 0..<n { out.append(32) } }
    func styled(_ s: [UInt8], _ st: (open: [UInt8], close: [UInt8])) {
      if s.isEmpty { return }
      out.append(contentsOf: st.open)
      out.append(contentsOf: s)
      out.append(contentsOf: st.close)
    }

    for key in order {
      let rows = members[key + 1]
      out.append(10)
      styled(key < 0 ? Array("(no domain)".utf8) : Array(g.domainNames[Int32(key)].utf8), bold)
      styled(Array("  \(rows.count)".utf8), dim)
      out.append(10)
      var widths = [0, 0, 0, 0, 0]
      for i in rows {
        let v = nodes[Int(i)], vi = Int(v)
        widths[0] = max(widths[0], g.ids.withBytes(v) { $0.count })
        widths[1] = max(widths[1], kinds[Int(g.kind[vi])].count)
        widths[2] = max(widths[2], g.owner[vi] < 0 ? 1 : owners[Int(g.owner[vi])].count)
        widths[3] = max(widths[3], depthText(depths[Int(i)]).count)
        let s = g.status[vi]
        widths[4] = max(widths[4], s == .active ? 0 : statuses[Self.slot(s)].count)
      }
      for i in rows {
        let v = nodes[Int(i)], vi = Int(v)
        out.append(contentsOf: [32, 32])
        let idLength = g.ids.withBytes(v) { b in
          out.append(contentsOf: b)
          return b.count
        }
        pad(widths[0] - idLength + 2)
        let kind = kinds[Int(g.kind[vi])]
        styled(kind, cyan)
        pad(widths[1] - kind.count + 2)
        let owner = g.owner[vi] < 0 ? noOwner : owners[Int(g.owner[vi])]
        out.append(contentsOf: owner)
        pad(widths[2] - owner.count + 2)
        let depth = depthText(depths[Int(i)])
        styled(depth, dim)
        pad(widths[3] - depth.count + 2)
        let s = g.status[vi]
        styled(s == .active ? [] : statuses[Self.slot(s)], yellow)
        while out.last == 32 { out.removeLast() }
        out.append(10)
      }
    }
    return true
  }
}

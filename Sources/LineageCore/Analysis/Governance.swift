/// Federated computational governance: the rules a mesh configures under
/// `policies:` in `mesh.yaml`, checked against the declared mesh.
///
/// Each rule yields findings whose `rule` is the policy id and whose severity is the
/// configured level (`deprecated-input` past a sunset date, or reading a retired
/// product, is always an error). Rules set to `off` are not run. Every finding is
/// located at the declaration at fault and carries a fix hint. `require-owner` and
/// `require-description` on nodes only an importer made, when no mesh sets them, are
/// one `imported-undeclared` note per input instead (see `summarisingImported`).
public enum Governance {
  /// What the checks need besides the model.
  public struct Context: Sendable {
    /// Today's date, for sunset dates; nil when it is not known, and then no sunset
    /// date counts as past.
    public var today: CalendarDate?

    /// Creates a context.
    ///
    /// - Parameter today: Today's date.
    public init(today: CalendarDate?) { self.today = today }

    /// Creates a context from today's date as written.
    ///
    /// - Parameter today: `YYYY-MM-DD`; a text that is not a date (see
    ///   ``CalendarDate/parse(_:)``) leaves the date unknown.
    public init(today: String) { self.today = CalendarDate(today) }
  }

  /// The findings of every enabled policy, in report order.
  ///
  /// - Parameters:
  ///   - model: The loaded model.
  ///   - context: What the checks need besides the model (today's date).
  /// - Returns: The findings of every enabled policy.
  /// - Complexity: O(N + E + C + L) for N nodes, E edges, C columns and L column
  ///   lineage edges.
  public static func findings(_ model: LineageModel, context: Context) -> [Finding] {
    let mesh = model.mesh
    var out: [Finding] = []
    func run(_ rule: String, _ check: (Severity) -> [Finding]) {
      switch mesh.policyLevel(rule) {
      case .off: return
      case .warning: out += check(.warning)
      case .error: out += check(.error)
      }
    }
    let index = NodeIndex(mesh)
    run("require-owner") {
      summarisingImported(requireOwner(mesh, severity: $0), rule: "require-owner", mesh: mesh, index: index)
    }
    run("require-description") {
      summarisingImported(
        requireDescription(mesh, severity: $0), rule: "require-description", mesh: mesh, index: index)
    }
    run("require-sla") { requireSLA(mesh, severity: $0) }
    run("require-schema") { requireSchema(mesh, severity: $0) }
    run("no-cycles") { level in
      Resolver.cycleFindings(CycleFinder.cycles(in: model.graph), graph: model.graph, mesh: mesh).map {
        var f = $0
        f.rule = "no-cycles"
        f.severity = level
        return f
      }
    }
    run("cross-domain-private-access") { privateAccess(mesh, index, severity: $0) }
    run("pii-propagation") { piiPropagation(model, severity: $0) }
    run("deprecated-input") { deprecatedInputs(mesh, index, today: context.today, severity: $0) }
    run("sla-freshness") { slaFreshness(model, severity: $0) }
    run("max-depth") {
      let limit = mesh.policies.last { $0.rule == "max-depth" }?.limit ?? PolicyCatalog.defaultMaxDepth
      return maxDepth(model, limit: limit, severity: $0)
    }
    return out.sorted(by: Finding.reportOrder)
  }

  /// First declaration of each id.
  /// The first declaration of each id, by its place (a table of node copies retained
  /// every field of every node: most of a large mesh's governance check).
  struct NodeIndex {
    let nodes: [MeshNode]
    var byID: [String: Int] = [:]
    init(_ mesh: Mesh) {
      nodes = mesh.nodes
      byID.reserveCapacity(nodes.count)
      for i in nodes.indices where byID[nodes[i].id] == nil { byID[nodes[i].id] = i }
    }
    subscript(_ id: String) -> MeshNode? { byID[id].map { nodes[$0] } }
  }

  static func what(_ n: MeshNode) -> String {
    switch n.kind {
    case .product: "product '\(n.id)'"
    case .source: "source '\(n.id)'"
    case .consumer: "consumer '\(n.id)'"
    default: "\(n.kind.rawValue) '\(n.id)'"
    }
  }

  static func at(_ n: MeshNode) -> SourceLocation? { n.fieldLocations["id"] ?? n.location }

  /// Imported kinds that check or document other nodes rather than hold data, or
  /// that only stand in for something no input declares: the require-* rules leave
  /// them alone.
  static func isAuxiliary(_ n: MeshNode) -> Bool {
    ["test", "unit_test", "analysis", "operation", "external", "contract"].contains(n.kind.rawValue)
  }

  // MARK: require-*

  /// Nodes with no owner of their own and none through their domain.
  static func requireOwner(_ mesh: Mesh, severity: Severity = .error) -> [Finding] {
    let teams = mesh.teams.map(\.id).sorted()
    return mesh.nodes.compactMap { n in
      guard mesh.effectiveOwner(of: n) == nil, !isAuxiliary(n) else { return nil }
      let why = n.domain.map { mesh.domain($0) == nil ? "" : " and its domain '\($0)' names none" } ?? ""
      var hint =
        (n.domain.map { "add 'owner: TEAM' to it or to domain '\($0)'" } ?? "add 'owner: TEAM'")
        + (teams.isEmpty ? "" : " (teams: \(list(teams)))")
      if isImported(n), let p = n.provenance.first, Format(p) == .dbt {
        hint =
          "give '\(n.resource?.name ?? n.id)' 'meta: {owner: TEAM}' in its YAML (or 'config: {meta: {owner: TEAM}}'), or put it in a group with an owner"
          + (teams.isEmpty ? "" : " (owners: \(list(teams)))")
      }
      return Finding(
        rule: .requireOwner, severity: severity, message: "\(what(n)) has no owner\(why)",
        subjects: [n.id], location: at(n), hint: hint)
    }
  }

  /// Nodes without a description.
  static func requireDescription(_ mesh: Mesh, severity: Severity = .warning) -> [Finding] {
    mesh.nodes.compactMap { n in
      guard (n.description ?? "").allSatisfy(\.isWhitespace), !isAuxiliary(n) else { return nil }
      let dbt = isImported(n) && n.provenance.first.map { Format($0) == .dbt } == true
      return Finding(
        rule: .requireDescription, severity: severity, message: "\(what(n)) has no description",
        subjects: [n.id], location: at(n),
        hint: dbt
          ? "add 'description:' to '\(n.resource?.name ?? n.id)' in its YAML, saying what it holds and what one row is"
          : "add 'description:' saying what it holds and what one row is")
    }
  }

  /// Products without a service level.
  static func requireSLA(_ mesh: Mesh, severity: Severity = .warning) -> [Finding] {
    mesh.nodes.compactMap { n in
      guard n.kind == .product, n.serviceLevel?.freshness == nil, n.serviceLevel?.availability == nil else {
        return nil
      }
      return Finding(
        rule: .requireSla, severity: severity, message: "\(what(n)) promises no service level",
        subjects: [n.id], location: at(n), hint: "add 'sla: { freshness: 24h, availability: 99.5 }'")
    }
  }

  /// Products and sources without a schema.
  static func requireSchema(_ mesh: Mesh, severity: Severity = .warning) -> [Finding] {
    mesh.nodes.compactMap { n in
      guard n.kind == .product || n.kind == .source, n.schema.isEmpty else { return nil }
      return Finding(
        rule: .requireSchema, severity: severity, message: "\(what(n)) declares no schema",
        subjects: [n.id], location: at(n),
        hint: "add 'schema:' with each column's name and type, so readers know what they may rely on")
    }
  }

  // MARK: access

  /// Reads of `domain` products from another domain and of `private` products by
  /// another team. The same rule decides which readers `diff` counts as broken when
  /// access narrows.
  static func privateAccess(_ mesh: Mesh, _ index: NodeIndex, severity: Severity = .error) -> [Finding] {
    var out: [Finding] = []
    for n in mesh.nodes {
      for input in n.inputs {
        guard let u = index[input.product], u.id != n.id else { continue }
        switch u.access {
        case .public: continue
        case .domain:
          guard u.domain != n.domain else { continue }
          out.append(
            Finding(
              rule: .crossDomainPrivateAccess, severity: severity,
              message:
                "\(what(n)) \(n.domain.map { "in domain '\($0)'" } ?? "without a domain") reads '\(u.id)', whose access is 'domain' (domain '\(u.domain ?? "none")' only)",
              subjects: [n.id, u.id], location: input.location ?? at(n),
              hint:
                "ask \(mesh.effectiveOwner(of: u).map { "'\($0)'" } ?? "its owner") to publish a public product for this use, or widen '\(u.id)' to 'access: public'"
            ))
        case .private:
          let mine = mesh.effectiveOwner(of: n), theirs = mesh.effectiveOwner(of: u)
          guard mine != theirs else { continue }  // as diff decides who may read it
          let cross = u.domain != n.domain ? (n.domain.map { " from domain '\($0)'" } ?? " without a domain") : ""
          out.append(
            Finding(
              rule: .crossDomainPrivateAccess, severity: severity,
              message:
                "\(what(n))\(cross) (owner \(mine.map { "'\($0)'" } ?? "none")) reads '\(u.id)', which is private to \(theirs.map { "'\($0)'" } ?? "its owning team")",
              subjects: [n.id, u.id], location: input.location ?? at(n),
              hint:
                "read a public product of domain '\(u.domain ?? "none")' instead, or have \(theirs.map { "'\($0)'" } ?? "its owner") widen its access"
            ))
        }
      }
    }
    return out
  }

  // MARK: deprecation

  /// Reads of deprecated products (at the policy's level) and of products past their
  /// sunset date or retired (errors).
  static func deprecatedInputs(
    _ mesh: Mesh, _ index: NodeIndex, today: CalendarDate?, severity level: Severity = .warning
  ) -> [Finding] {
    var out: [Finding] = []
    for n in mesh.nodes where n.status != .retired {
      for input in n.inputs {
        guard let u = index[input.product], u.id != n.id else { continue }
        let deprecated = u.status == .deprecated || u.deprecation != nil
        guard deprecated || u.status == .retired else { continue }
        let sunset = u.deprecation?.sunset
        let past = sunset.flatMap { s in today.map { s < $0 } } ?? false
        var replacement = ""
        if let r = u.deprecation?.replacedBy {
          replacement = "read '\(r)' instead"
        } else {
          replacement =
            "move to the product that replaces it (ask \(mesh.effectiveOwner(of: u).map { "'\($0)'" } ?? "its owner"))"
        }
        let message: String
        let severity: Severity
        if u.status == .retired {
          message = "\(what(n)) reads '\(u.id)', which is retired"
          severity = .error
        } else if past, let sunset {
          message = "\(what(n)) reads '\(u.id)', which is deprecated and past its sunset date \(sunset)"
          severity = .error
        } else {
          message = "\(what(n)) reads '\(u.id)', which is deprecated" + (sunset.map { " (sunset \($0))" } ?? "")
          severity = level
        }
        out.append(
          Finding(
            rule: .deprecatedInput, severity: severity, message: message, subjects: [n.id, u.id],
            location: input.location ?? at(n), hint: replacement,
            related: [u.deprecation?.location].compactMap { $0 }))
      }
    }
    return out
  }

  // MARK: personal data

  /// Where unmasked personal data ends up: columns classified `pii` flow along column
  /// lineage through `identity` and `transformation` edges; masking (on the edge or
  /// on the derived column), aggregation and indirect uses (join, filter, ...) stop
  /// the flow. A node whose `sensitivity` is `public`, `internal` or undeclared that
  /// holds such a column violates the policy: one finding per column, with the path.
  static func piiPropagation(_ model: LineageModel, severity: Severity = .error) -> [Finding] {
    let mesh = model.mesh, g = model.graph, cg = model.columns
    let n = cg.count
    // Nothing to carry without an unmasked pii column (most meshes): the tables below
    // would copy every node and column for no finding.
    let nodes = mesh.nodes
    let anyPII = nodes.indices.contains { i in
      nodes[i].schema.contains { isPII($0.classification) && !$0.masked }
    }
    guard n > 0, anyPII else { return [] }
    // Carrying edges, as a CSR over columns.
    var src: [Int32] = [], dst: [Int32] = []
    var seed = [Bool](repeating: false, count: n)
    var declaredColumn: [Int32: Column] = [:]
    var owner: [Int32: MeshNode] = [:]
    var seen = Set<Int32>()
    for node in mesh.nodes {
      guard let v = g.index(of: node.id), seen.insert(v).inserted else { continue }
      owner[v] = node
      for col in node.schema {
        guard let c = cg.column(of: v, named: col.name) else { continue }
        declaredColumn[c] = col
        if isPII(col.classification), !col.masked { seed[Int(c)] = true }
        if col.masked { continue }
        for ref in col.from where !ref.masked && (ref.transform == .identity || ref.transform == .transformation) {
          guard let u = g.index(of: ref.product), let s = cg.column(of: u, named: ref.column) else { continue }
          src.append(s)
          dst.append(c)
        }
      }
    }
    let carry = CSR(nodeCount: n, sources: src, targets: dst)
    // Multi-source BFS: each reached column remembers the column it was reached from.
    var parent = [Int32](repeating: -2, count: n)  // -2 unreached, -1 a seed
    var queue: [Int32] = []
    for c in 0..<Int32(n) where seed[Int(c)] {
      parent[Int(c)] = -1
      queue.append(c)
    }
    var head = 0
    while head < queue.count {
      let c = queue[head]
      head += 1
      for d in carry.neighbors(c) where parent[Int(d)] == -2 {
        parent[Int(d)] = c
        queue.append(d)
      }
    }
    var out: [Finding] = []
    for c in queue {
      let v = cg.node[Int(c)]
      guard let node = owner[v], node.kind != .consumer else { continue }
      let level = node.sensitivity
      guard level == nil || level == .public || level == .internal else { continue }
      var path: [Int32] = [c]
      var p = parent[Int(c)]
      while p >= 0 {
        path.append(p)
        p = parent[Int(p)]
      }
      path.reverse()
      let origin = path[0]
      let originName = cg.qualifiedName(origin, in: g)
      let name = cg.qualifiedName(c, in: g)
      let label = level.map { "sensitivity '\($0.rawValue)'" } ?? "no declared sensitivity"
      let message =
        path.count == 1
        ? "column '\(name)' is classified pii and unmasked, but '\(node.id)' has \(label)"
        : "column '\(name)' carries unmasked personal data from '\(originName)' (\(path.map { cg.qualifiedName($0, in: g) }.joined(separator: " -> "))), but '\(node.id)' has \(label)"
      out.append(
        Finding(
          rule: .piiPropagation, severity: severity, message: message,
          subjects: [node.id, g.id(cg.node[Int(origin)])],
          location: declaredColumn[c]?.location ?? node.fieldLocations["sensitivity"] ?? at(node),
          hint:
            "mask it ('masked: true'), aggregate it, or declare '\(node.id)' 'sensitivity: confidential' or 'restricted'"
        ))
    }
    return out
  }

  static func isPII(_ classification: String?) -> Bool {
    guard let c = classification?.lowercased() else { return false }
    return c == "pii" || c.hasPrefix("pii:") || c.hasPrefix("pii-") || c == "personal"
  }

  // MARK: freshness

  /// Products promising fresher data than their inputs can provide. A node's
  /// guaranteed freshness is its own promise, or, when it makes none, the stalest
  /// guarantee among its inputs (transitively).
  static func slaFreshness(_ model: LineageModel, severity: Severity = .warning) -> [Finding] {
    let g = model.graph
    let n = g.nodeCount
    var promise = [Double](repeating: -1, count: n)  // seconds, -1 when none
    var promiseText = [String?](repeating: nil, count: n)
    var promised = false
    for node in model.mesh.nodes {
      guard let v = g.index(of: node.id), promise[Int(v)] < 0,
        let text = node.serviceLevel?.freshness, let s = Freshness.seconds(text)
      else { continue }
      promise[Int(v)] = s
      promiseText[Int(v)] = text
      promised = true
    }
    // No promise, nothing to break (a bare graph): skip the components and the sweep.
    if !promised { return [] }
    // bound[v]: the freshness v can guarantee; origin[v]: the node whose promise sets it.
    var bound = promise
    var origin = (0..<Int32(n)).map { promise[Int($0)] >= 0 ? $0 : -1 }
    let scc = StronglyConnectedComponents(g.forward)
    var ci = scc.count - 1
    while ci >= 0 {  // components in topological order
      for v in scc.members.neighbors(Int32(ci)) where promise[Int(v)] < 0 {
        for u in g.reverse.neighbors(v) where scc.component[Int(u)] != Int32(ci) && bound[Int(u)] > bound[Int(v)] {
          bound[Int(v)] = bound[Int(u)]
          origin[Int(v)] = origin[Int(u)]
        }
      }
      ci -= 1
    }
    var out: [Finding] = []
    var seen = Set<Int32>()
    for node in model.mesh.nodes {
      guard let v = g.index(of: node.id), seen.insert(v).inserted, promise[Int(v)] >= 0,
        let mine = promiseText[Int(v)]
      else { continue }
      var worst: Int32 = -1
      for u in g.reverse.neighbors(v) where bound[Int(u)] > promise[Int(v)] {
        if worst < 0 || bound[Int(u)] > bound[Int(worst)]
          || (bound[Int(u)] == bound[Int(worst)] && g.ids.precedes(u, worst))
        {
          worst = u
        }
      }
      guard worst >= 0 else { continue }
      let o = origin[Int(worst)]
      let theirs = promiseText[Int(o)] ?? "?"
      let via = o == worst ? "" : " (through '\(g.id(o))', which promises \(theirs))"
      out.append(
        Finding(
          rule: .slaFreshness, severity: severity,
          message:
            "product '\(node.id)' promises freshness \(mine), but its input '\(g.id(worst))' can be up to \(theirs) old\(via)",
          subjects: [node.id, g.id(worst)], location: node.fieldLocations["sla"] ?? at(node),
          hint: "relax the promise to \(theirs) or more, or ask for a fresher '\(g.id(o))'"))
    }
    return out
  }

  // MARK: depth

  /// Nodes further than `limit` hops from the start of their longest chain.
  static func maxDepth(_ model: LineageModel, limit: Int, severity: Severity = .warning) -> [Finding] {
    let g = model.graph
    let scc = StronglyConnectedComponents(g.forward)
    let layers = TopologicalLayers(g.forward, components: scc)
    var out: [Finding] = []
    for node in model.mesh.nodes {
      guard let v = g.index(of: node.id), Int(layers.layer[Int(v)]) > limit else { continue }
      // One longest chain into v, walked back through predecessors one layer down.
      var chain: [Int32] = [v]
      var cur = v
      while layers.layer[Int(cur)] > 0 {
        let want = layers.layer[Int(cur)] - 1
        var next: Int32 = -1
        for u in g.reverse.neighbors(cur) where layers.layer[Int(u)] == want && (next < 0 || g.ids.precedes(u, next)) {
          next = u
        }
        if next < 0 { break }  // entered through a cycle
        chain.append(next)
        cur = next
      }
      chain.reverse()
      out.append(
        Finding(
          rule: .maxDepth, severity: severity,
          message:
            "\(what(node)) is \(layers.layer[Int(v)]) hops deep, more than the limit of \(limit): \(chain.map { g.id($0) }.joined(separator: " -> "))",
          subjects: [node.id], location: at(node),
          hint: "read a product nearer the sources, or raise 'max-depth: { severity: warning, limit: N }' in mesh.yaml")
      )
    }
    return out
  }

  static func list(_ items: [String]) -> String {
    items.count <= 5 ? items.joined(separator: ", ") : items.prefix(5).joined(separator: ", ") + ", ..."
  }
}

/// The SQL side of ``MeshDiff``: two versions of a model compared by the shapes of
/// their SQL (``SQLShape``), not by their declared columns.
///
/// For a product whose SQL was parsed in both versions, the output columns are
/// compared by name (without case) and fingerprint:
/// - a column only in the new version is added (not breaking);
/// - a column only in the old version is dropped (breaking), unless exactly one added
///   column has its fingerprint and no other dropped one does: then it was renamed
///   (breaking, shown as a rename);
/// - a column in both whose fingerprint differs has a new expression (breaking for the
///   readers of that column: its values change);
/// - a row-level clause kind whose fingerprint differs (WHERE, JOIN, GROUP BY, HAVING,
///   QUALIFY, DISTINCT, LIMIT, UNION) changes the rows of every column (breaking for
///   every reader of the product).
///
/// The declared column diff of such a product keeps only its type and nullability
/// changes (columns in both versions); its added, dropped and renamed columns come
/// from the SQL. A model whose SQL text is the same in both versions is not compared
/// by SQL: it did not change, and what changed upstream of it shows through its
/// declared columns. A product whose SQL changed but could not be parsed in some version
/// keeps the declared diff, with a `sql-not-compared` note that says so.
extension MeshDiff {
  /// Replaces the declared column changes of products compared by SQL with the SQL
  /// changes, and adds the row-level changes and the notes of products that fell back.
  static func applySQL(
    base: LineageModel, head: LineageModel, baseNodes: [String: MeshNode], headNodes: [String: MeshNode],
    changes: inout [MeshChange]
  ) {
    guard !base.sqlShapes.isEmpty || !head.sqlShapes.isEmpty else { return }
    var compared = Set<String>()
    var added: [MeshChange] = []
    let ids = Set(base.sqlShapes.keys).intersection(head.sqlShapes.keys)
    for id in ids.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      guard let old = baseNodes[id], let new = headNodes[id], new.status != .retired,
        let a = base.sqlShapes[id], let b = head.sqlShapes[id]
      else { continue }
      // The same SQL text: the model did not change. What its SQL reads may have (an
      // upstream model removed, a catalog with other columns); that shows through the
      // declared columns, and on the upstream model itself.
      guard a.textDigest != b.textDigest else { continue }
      guard a.parsed && b.parsed else {
        let which = !a.parsed && !b.parsed ? "either version" : !a.parsed ? "the old version" : "the new version"
        added.append(
          MeshChange(
            kind: .sqlNotCompared, product: id, column: nil,
            detail:
              "SQL of \(id) changed but could not be parsed in \(which); its declared columns are compared instead",
            breaking: false, location: new.location))
        continue
      }
      compared.insert(id)
      added += sqlChanges(id, a, b, old: old, new: new)
    }
    let replaced: Set<MeshChange.Kind> = [.columnAdded, .columnDropped, .columnRenamed]
    changes.removeAll { compared.contains($0.product) && replaced.contains($0.kind) }
    changes += added
  }

  /// The changes between two parsed shapes of product `id`.
  static func sqlChanges(_ id: String, _ a: SQLShape, _ b: SQLShape, old: MeshNode, new: MeshNode) -> [MeshChange] {
    var out: [MeshChange] = []
    func key(_ s: String) -> String { s.lowercased() }
    // The declared spelling of a column, else the SQL's.
    func spelled(_ name: String, in node: MeshNode) -> String {
      node.schema.first { key($0.name) == key(name) }?.name ?? name
    }
    // A change of the SQL points at the model's SQL file (at the column's line when
    // it is known), else at the declaration.
    let sqlFile = new.fieldLocations["sql"]
    func location(_ name: String) -> SourceLocation? {
      if let sqlFile {
        guard let line = b.line(ofColumn: name) else { return sqlFile }
        return SourceLocation(file: sqlFile.file, line: line, column: 1)
      }
      return new.schema.first { key($0.name) == key(name) }?.location ?? new.location
    }
    var before: [String: SQLShape.Column] = [:]
    for c in a.columns where before[key(c.name)] == nil { before[key(c.name)] = c }
    var after: [String: SQLShape.Column] = [:]
    for c in b.columns where after[key(c.name)] == nil { after[key(c.name)] = c }
    var seenBefore = Set<String>(), seenAfter = Set<String>()
    let dropped = a.columns.filter { after[key($0.name)] == nil && seenBefore.insert(key($0.name)).inserted }
    let fresh = b.columns.filter { before[key($0.name)] == nil && seenAfter.insert(key($0.name)).inserted }
    // A rename: the only dropped and the only added column with one fingerprint.
    var droppedBy: [UInt64: Int] = [:], freshBy: [UInt64: Int] = [:]
    for c in dropped { droppedBy[c.fingerprint, default: 0] += 1 }
    for c in fresh { freshBy[c.fingerprint, default: 0] += 1 }
    var renamedTo: [String: String] = [:]
    for c in dropped where droppedBy[c.fingerprint] == 1 && freshBy[c.fingerprint] == 1 {
      if let to = fresh.first(where: { $0.fingerprint == c.fingerprint }) { renamedTo[key(c.name)] = to.name }
    }
    let renamedFrom = Set(renamedTo.values.map(key))
    for c in fresh where !renamedFrom.contains(key(c.name)) {
      let name = spelled(c.name, in: new)
      let type = new.column(named: name)?.type
      out.append(
        MeshChange(
          kind: .columnAdded, product: id, column: name,
          detail: "column \(name) added to the SELECT list" + (type.map { " (\($0))" } ?? ""), breaking: false,
          location: location(name)))
    }
    for c in dropped {
      let was = spelled(c.name, in: old)
      if let to = renamedTo[key(c.name)] {
        let name = spelled(to, in: new)
        out.append(
          MeshChange(
            kind: .columnRenamed, product: id, column: name,
            detail: "column \(was) renamed to \(name) (same expression)", breaking: true, location: location(name),
            schemaChange: .rename(name)))
      } else {
        out.append(
          MeshChange(
            kind: .columnDropped, product: id, column: was, detail: "column \(was) dropped from the SELECT list",
            breaking: true, location: sqlFile ?? new.location, schemaChange: .drop))
      }
    }
    for c in b.columns {
      guard let was = before[key(c.name)], was.fingerprint != c.fingerprint, after[key(c.name)] == c else { continue }
      let name = spelled(c.name, in: new)
      out.append(
        MeshChange(
          kind: .columnExpressionChanged, product: id, column: name,
          detail: "column \(name): its expression changed, so its values change for every reader of it",
          breaking: true, location: location(name)))
    }
    let clauses = a.changedClauses(b)
    if !clauses.isEmpty {
      let what = clauses.map { clause -> String in
        switch (a.clauses[clause] != nil, b.clauses[clause] != nil) {
        case (false, true): "\(clause.rawValue) added"
        case (true, false): "\(clause.rawValue) removed"
        default: "\(clause.rawValue) changed"
        }
      }
      out.append(
        MeshChange(
          kind: .rowsChanged, product: id, column: nil,
          detail:
            "rows of \(id) change (\(what.joined(separator: ", "))): every column of every reader may see other rows",
          breaking: true, location: sqlFile ?? new.location))
    }
    return out
  }

  /// The blast radius of the SQL changes whose effect is on values or rows: computed on
  /// the new version, where every reader still reads the product.
  static func sqlImpacts(head: LineageModel, changes: inout [MeshChange]) {
    let g = head.graph
    var downstream: [Int32: [Int32]] = [:]
    for i in changes.indices where changes[i].kind == .columnExpressionChanged || changes[i].kind == .rowsChanged {
      guard let v = g.index(of: changes[i].product) else { continue }
      if downstream[v] == nil { downstream[v] = parents(from: v, in: g) }
      let parent = downstream[v] ?? []
      func path(to w: Int32) -> [Int32] {
        var p: [Int32] = [w]
        var x = w
        while x != v, parent[Int(x)] >= 0, p.count <= g.nodeCount {
          x = parent[Int(x)]
          p.append(x)
        }
        return p.reversed()
      }
      var affected: [ImpactResult.Affected] = []
      if changes[i].kind == .rowsChanged {
        for w in 0..<Int32(g.nodeCount) where w != v && parent[Int(w)] >= 0 {
          let p = path(to: w)
          let reason =
            p.count <= 2
            ? "reads \(g.id(v)), whose rows change"
            : "reads \(g.id(p[p.count - 2])), downstream of \(g.id(v)), whose rows change"
          affected.append(ImpactResult.Affected(node: w, verdict: .mayBreak, columns: [], reason: reason, path: p))
        }
      } else if let name = changes[i].column, let c = try? ColumnReach.column(head, of: v, named: name) {
        let reach = ColumnReach(head, column: c, direction: .downstream)
        var columnsOf: [Int32: [String]] = [:]
        for rc in reach.columns where rc.column != c {
          columnsOf[head.columns.node[Int(rc.column)], default: []].append(head.columns.name(rc.column))
        }
        let changed = g.id(v) + "." + name
        for n in reach.nodes {
          let reason: String
          switch n.via {
          case .lineage:
            let through = n.throughColumn.map { head.columns.name($0) } ?? "?"
            reason = "\(through): derived from \(changed), whose values change"
          case .byName:
            let through = n.throughColumn.map { head.columns.qualifiedName($0, in: g) } ?? changed
            reason =
              through == changed
              ? "reads \(changed) by name, whose values change"
              : "reads \(through) by name, which derives from \(changed), whose values change"
          case .columnsNotDeclared, .columnsUnknown:
            reason =
              "reads \(n.throughNode.map { g.id($0) } ?? g.id(v)) without declaring which columns; \(changed) changes its values"
          }
          let cols = (columnsOf[n.node] ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
          affected.append(
            ImpactResult.Affected(
              node: n.node, verdict: .mayBreak, columns: cols, reason: reason,
              path: parent[Int(n.node)] >= 0 ? path(to: n.node) : [v, n.node]))
        }
      }
      let order = g.orderByID(affected.map(\.node))
      affected = order.map { affected[Int($0)] }
      // ImpactResult has no change of values; a retype to an unknown type is the
      // nearest (the readers' types may hold, their values differ). Reports of the diff
      // show the change's own kind, not this.
      changes[i].impact = ImpactResult(
        product: v, column: changes[i].column, change: .retype("values"), typeChange: nil, affected: affected,
        columnVerdicts: [:])
      changes[i].impactModel = head
    }
  }

  /// Breadth-first parents of the nodes downstream of `v` (`v` is its own parent, -1
  /// for nodes not reached), ties to the lower index.
  static func parents(from v: Int32, in g: LineageGraph) -> [Int32] {
    var parent = [Int32](repeating: -1, count: g.nodeCount)
    parent[Int(v)] = v
    var queue: [Int32] = [v]
    var head = 0
    while head < queue.count {
      let x = queue[head]
      head += 1
      for w in g.forward.neighbors(x) where parent[Int(w)] < 0 {
        parent[Int(w)] = x
        queue.append(w)
      }
    }
    return parent
  }
}

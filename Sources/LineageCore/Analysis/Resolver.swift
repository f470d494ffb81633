/// Checks that every reference in a mesh resolves: domains, owners, inputs, column
/// lineage, and the column lists of inputs. Each unresolved reference is an error
/// located where it was written, with a "did you mean" hint when a close match exists.
public enum Resolver {
  /// All reference findings of a mesh, in declaration order.
  ///
  /// - Parameter mesh: The declared mesh.
  /// - Returns: The reference findings, unsorted.
  /// - Complexity: O(N + R) lookups for N nodes and R references; a failed lookup
  ///   also pays for the suggestion search.
  public static func findings(for mesh: Mesh) -> [Finding] {
    // The first declaration of each id, by its index (not a copy of the node).
    var nodes: [String: Int] = [:]
    nodes.reserveCapacity(mesh.nodes.count)
    for i in mesh.nodes.indices where nodes[mesh.nodes[i].id] == nil { nodes[mesh.nodes[i].id] = i }
    return findings(for: mesh) { nodes[$0] }
  }

  /// ``findings(for:)`` with the first declaration of each id given (a model has them
  /// from its graph).
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - declaration: The `mesh.nodes` index of an id's first declaration, nil for none.
  /// - Returns: The reference findings, unsorted.
  static func findings(for mesh: Mesh, declaration: (String) -> Int?) -> [Finding] {
    findings(for: mesh, places: nil, declarations: [], declaration: declaration)
  }

  /// ``findings(for:declaration:)`` with the graph node of each input found when the
  /// graph was built (``MeshPlaces``) and each node's first declaration: an input's
  /// product is then not looked up again.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - places: Where each declaration and input landed in the mesh's graph; nil to
  ///     look each input up through `declaration`.
  ///   - declarations: The `mesh.nodes` index of each graph node's first declaration.
  ///   - declaration: The `mesh.nodes` index of an id's first declaration, nil for none.
  /// - Returns: The reference findings, unsorted.
  static func findings(
    for mesh: Mesh, places: MeshPlaces?, declarations: [Int], declaration: (String) -> Int?
  ) -> [Finding] {
    check(mesh, places: places, declarations: declarations, declaration: declaration).findings
  }

  /// The reference findings of a mesh's domains and of its nodes (all, or `only`
  /// those), with where each node's end: a model keeps them by node, and checks again
  /// only the nodes an update can change (``LineageModel``).
  struct Checked: Sendable {
    /// The domains' findings, then each node's in the order checked.
    var findings: [Finding]
    /// How many of `findings` are the domains'.
    var domainCount: Int
    /// For each node checked, in order, the end of its findings in `findings`.
    var ends: [Int32]
  }

  /// ``findings(for:places:declarations:declaration:)``, by node.
  ///
  /// - Parameters:
  ///   - mesh: The declared mesh.
  ///   - places: Where each declaration and input landed in the mesh's graph; nil to
  ///     look each input up through `declaration`.
  ///   - declarations: The `mesh.nodes` index of each graph node's first declaration.
  ///   - declaration: The `mesh.nodes` index of an id's first declaration, nil for none.
  ///   - only: The `mesh.nodes` indices to check, in order; nil for all.
  /// - Returns: The findings, with each node's end.
  static func check(
    _ mesh: Mesh, places: MeshPlaces?, declarations: [Int], declaration: (String) -> Int?, only: [Int32]? = nil
  ) -> Checked {
    var out: [Finding] = []
    let domainIDs = Set(mesh.domains.map(\.id))
    let teamIDs = Set(mesh.teams.map(\.id))
    func hasColumn(_ schema: [Column], _ name: String) -> Bool { schema.contains { $0.name == name } }
    // Built at the first unknown node id, then shared by every suggestion.
    var nodeIndex: Suggest.Index?
    func nodeHint(_ value: String) -> String? {
      let index = nodeIndex ?? Suggest.Index(mesh.nodes.map(\.id))
      nodeIndex = index
      return index.hint(for: value)
    }

    func unresolved(
      _ what: String, _ value: String, at location: SourceLocation?, subject: [String],
      candidates: @autoclosure () -> [String], extra: String? = nil
    ) {
      unresolved(
        what, value, at: location, subject: subject, hint: Suggest.hint(for: value, in: candidates()), extra: extra)
    }
    func unresolved(
      _ what: String, _ value: String, at location: SourceLocation?, subject: [String], hint: String?,
      extra: String? = nil
    ) {
      out.append(
        Finding(
          rule: .unresolvedReference, severity: .error,
          message: "unknown \(what) '\(value)'" + (extra.map { " " + $0 } ?? ""), subjects: subject,
          location: location, hint: hint))
    }

    for d in mesh.domains {
      if let o = d.owner, !teamIDs.contains(o) {
        unresolved(
          "team", o, at: d.ownerLocation ?? d.location, subject: [], candidates: Array(teamIDs),
          extra: "as owner of domain '\(d.id)'")
      }
    }

    // Each node is read in place, and so are the declarations its references name (a
    // loop over `mesh.nodes`, or `mesh.nodes[u].kind`, copies the node, retaining
    // every field).
    let landed = places
    // One list (and table) of a node's inputs, used again for every node.
    var entries: [(k: Int, declaration: Int?, columns: [String]?)] = []
    var entryOf: [String: Int] = [:]
    func check(_ i: Int, _ n: UnsafePointer<MeshNode>, _ nodes: UnsafeBufferPointer<MeshNode>) {
      // Made only for a finding: most nodes have none.
      var here: [String] { [n.pointee.id] }
      if let d = n.pointee.domain, !domainIDs.contains(d) {
        unresolved(
          "domain", d, at: n.pointee.fieldLocations["domain"] ?? n.pointee.location, subject: here,
          candidates: Array(domainIDs))
      }
      if let o = n.pointee.owner, !teamIDs.contains(o) {
        unresolved(
          "team", o, at: n.pointee.fieldLocations["owner"] ?? n.pointee.location, subject: here,
          candidates: Array(teamIDs))
      }
      if let r = n.pointee.deprecation?.replacedBy, declaration(r) == nil {
        out.append(
          Finding(
            rule: .unresolvedReference, severity: .warning,
            message: "deprecation.replacedBy names unknown node '\(r)'", subjects: here,
            location: n.pointee.deprecation?.location ?? n.pointee.location, hint: nodeHint(r)))
      }
      // Each input with its product's declaration (looked up once: the columns'
      // lineage names the same products again).
      // A few inputs are searched in a list; many, through a dictionary of places.
      // Each entry is an input's place in the node's list (read in place, not copied),
      // its product's declaration and the columns read (a repeated input's added).
      entries.removeAll(keepingCapacity: true)
      let hashed = n.pointee.inputs.count > 8
      if hashed { entryOf.removeAll(keepingCapacity: true) }
      func entry(_ product: String) -> Int? {
        hashed ? entryOf[product] : entries.firstIndex { n.pointee.inputs[$0.k].product == product }
      }
      for k in n.pointee.inputs.indices {
        let product = n.pointee.inputs[k].product
        if let e = entry(product) {
          out.append(
            Finding(
              rule: .duplicateInput, severity: .warning,
              message: "'\(n.pointee.id)' lists input '\(product)' more than once", subjects: here,
              location: n.pointee.inputs[k].location,
              hint: "merge the entries into one, with the union of their columns"))
          if let cols = n.pointee.inputs[k].columns, let prev = entries[e].columns {
            entries[e].columns = prev + cols
          } else {
            entries[e].columns = nil
          }
          continue
        }
        let declared = landed.map { $0.input(i, k).map { declarations[Int($0)] } } ?? declaration(product)
        if hashed { entryOf[product] = entries.count }
        entries.append((k, declared, n.pointee.inputs[k].columns))
        guard let u = declared else {
          unresolved(
            "input product", product, at: n.pointee.inputs[k].location, subject: here, hint: nodeHint(product))
          continue
        }
        if nodes[u].kind == .consumer {
          out.append(
            Finding(
              rule: .invalidReference, severity: .error,
              message: "'\(n.pointee.id)' reads '\(product)', which is a consumer; consumers are the end of lineage",
              subjects: [n.pointee.id, product], location: n.pointee.inputs[k].location,
              hint: "declare '\(product)' as a DataProduct if others read it"))
        }
        if let cols = n.pointee.inputs[k].columns, !nodes[u].schema.isEmpty {
          let schema = nodes[u].schema
          let names = schema.map(\.name)
          let input = n.pointee.inputs[k]
          for (i, c) in cols.enumerated() where !hasColumn(schema, c) {
            let loc = i < input.columnLocations.count ? input.columnLocations[i] : input.location
            unresolved("column", c, at: loc, subject: here, candidates: names, extra: "in '\(product)'")
          }
        }
      }
      // A few names are compared with those before them; many, through a set.
      var columnNames = Set<String>()
      let schema = n.pointee.schema
      for k in schema.indices {
        let repeated =
          schema.count > 16
          ? !columnNames.insert(schema[k].name).inserted : schema[..<k].contains { $0.name == schema[k].name }
        if repeated {
          out.append(
            Finding(
              rule: .duplicateColumn, severity: .error,
              message: "column '\(schema[k].name)' is declared twice in '\(n.pointee.id)'", subjects: here,
              location: schema[k].location, hint: "rename or remove one of them"))
        }
        for ref in schema[k].from {
          let entry = entry(ref.product).map { entries[$0] }
          guard let u = entry.map({ $0.declaration }) ?? declaration(ref.product) else {
            unresolved(
              "product", ref.product, at: ref.location, subject: here, hint: nodeHint(ref.product),
              extra: "in the lineage of column '\(schema[k].name)'")
            continue
          }
          guard let entry else {
            out.append(
              Finding(
                rule: .lineageNotAnInput, severity: .error,
                message:
                  "column '\(schema[k].name)' derives from '\(ref.product)', which is not among the inputs of '\(n.pointee.id)'",
                subjects: here, location: ref.location,
                hint: "add '- product: \(ref.product)' to inputs"))
            continue
          }
          let upstream = nodes[u].schema
          if !upstream.isEmpty && !hasColumn(upstream, ref.column) {
            unresolved(
              "column", ref.column, at: ref.location, subject: here,
              candidates: upstream.map(\.name), extra: "in '\(ref.product)'")
            continue
          }
          if let cols = entry.columns, !cols.contains(ref.column) {
            out.append(
              Finding(
                rule: .lineageColumnNotRead, severity: .error,
                message:
                  "column '\(schema[k].name)' derives from '\(ref.product).\(ref.column)', but the input lists only \(cols.map { "'\($0)'" }.joined(separator: ", "))",
                subjects: here, location: ref.location,
                hint: Suggest.hint(for: ref.column, in: cols) ?? "add '\(ref.column)' to that input's columns"))
            continue
          }
        }
      }
    }
    let domainCount = out.count
    var ends: [Int32] = []
    mesh.nodes.withUnsafeBufferPointer { nodes in
      guard let base = nodes.baseAddress else { return }
      if let only {
        ends.reserveCapacity(only.count)
        for i in only {
          check(Int(i), base + Int(i), nodes)
          ends.append(Int32(out.count))
        }
      } else {
        ends.reserveCapacity(nodes.count)
        for i in nodes.indices {
          check(i, base + i, nodes)
          ends.append(Int32(out.count))
        }
      }
    }
    return Checked(findings: out, domainCount: domainCount, ends: ends)
  }

  /// One error per cycle, located at the culprit's input declaration when known.
  ///
  /// - Parameters:
  ///   - cycles: The cycles found, with their culprits.
  ///   - g: The graph they were found in.
  ///   - mesh: The declared mesh, for the inputs' locations; nil for graph JSON.
  /// - Returns: One `cycle` error per cycle.
  public static func cycleFindings(_ cycles: [Cycle], graph g: LineageGraph, mesh: Mesh?) -> [Finding] {
    var inputLocations: [String: SourceLocation] = [:]
    if let mesh {
      for n in mesh.nodes {
        for i in n.inputs {
          if let l = i.location, inputLocations[i.product + "\u{0}" + n.id] == nil {
            inputLocations[i.product + "\u{0}" + n.id] = l
          }
        }
      }
    }
    return cycles.map { c in
      let text = (c.path + [c.path[0]]).map { g.id($0) }.joined(separator: " -> ")
      var location: SourceLocation?
      var hint: String
      if let e = c.culprit {
        location = inputLocations[g.id(e.from) + "\u{0}" + g.id(e.to)]
        hint = "likely culprit: \(c.reason); remove that input or move the shared logic upstream"
      } else {
        hint = c.reason
        let u = c.path[c.path.count - 1], v = c.path[0]
        location = inputLocations[g.id(u) + "\u{0}" + g.id(v)]
      }
      let what = c.nodes.count == 1 ? "self-loop" : "cycle of \(c.nodes.count) nodes"
      return Finding(
        rule: .cycle, severity: .error, message: "\(what): \(text)",
        subjects: c.nodes.map { g.id($0) }, location: location, hint: hint)
    }
  }
}

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
    func check(_ n: MeshNode, _ nodes: UnsafeBufferPointer<MeshNode>) {
      // Made only for a finding: most nodes have none.
      var here: [String] { [n.id] }
      if let d = n.domain, !domainIDs.contains(d) {
        unresolved(
          "domain", d, at: n.fieldLocations["domain"] ?? n.location, subject: here,
          candidates: Array(domainIDs))
      }
      if let o = n.owner, !teamIDs.contains(o) {
        unresolved(
          "team", o, at: n.fieldLocations["owner"] ?? n.location, subject: here,
          candidates: Array(teamIDs))
      }
      if let r = n.deprecation?.replacedBy, declaration(r) == nil {
        out.append(
          Finding(
            rule: .unresolvedReference, severity: .warning,
            message: "deprecation.replacedBy names unknown node '\(r)'", subjects: here,
            location: n.deprecation?.location ?? n.location, hint: nodeHint(r)))
      }
      // Each input with its product's declaration (looked up once: the columns'
      // lineage names the same products again).
      // A few inputs are searched in a list; many, through a dictionary of places.
      var entries: [(input: Input, declaration: Int?)] = []
      entries.reserveCapacity(n.inputs.count)
      var places: [String: Int] = [:]
      let hashed = n.inputs.count > 8
      func entry(_ product: String) -> Int? {
        hashed ? places[product] : entries.firstIndex { $0.input.product == product }
      }
      for input in n.inputs {
        if let e = entry(input.product) {
          out.append(
            Finding(
              rule: .duplicateInput, severity: .warning,
              message: "'\(n.id)' lists input '\(input.product)' more than once", subjects: here,
              location: input.location, hint: "merge the entries into one, with the union of their columns"))
          if let cols = input.columns, let prev = entries[e].input.columns {
            entries[e].input.columns = prev + cols
          } else {
            entries[e].input.columns = nil
          }
          continue
        }
        let declared = declaration(input.product)
        if hashed { places[input.product] = entries.count }
        entries.append((input, declared))
        guard let u = declared else {
          unresolved("input product", input.product, at: input.location, subject: here, hint: nodeHint(input.product))
          continue
        }
        if nodes[u].kind == .consumer {
          out.append(
            Finding(
              rule: .invalidReference, severity: .error,
              message: "'\(n.id)' reads '\(input.product)', which is a consumer; consumers are the end of lineage",
              subjects: [n.id, input.product], location: input.location,
              hint: "declare '\(input.product)' as a DataProduct if others read it"))
        }
        if let cols = input.columns, !nodes[u].schema.isEmpty {
          let schema = nodes[u].schema
          let names = schema.map(\.name)
          for (i, c) in cols.enumerated() where !hasColumn(schema, c) {
            let loc = i < input.columnLocations.count ? input.columnLocations[i] : input.location
            unresolved("column", c, at: loc, subject: here, candidates: names, extra: "in '\(input.product)'")
          }
        }
      }
      // A few names are compared with those before them; many, through a set.
      var columnNames = Set<String>()
      let schema = n.schema
      for (k, col) in schema.enumerated() {
        let repeated =
          schema.count > 16
          ? !columnNames.insert(col.name).inserted : schema[..<k].contains { $0.name == col.name }
        if repeated {
          out.append(
            Finding(
              rule: .duplicateColumn, severity: .error,
              message: "column '\(col.name)' is declared twice in '\(n.id)'", subjects: here,
              location: col.location, hint: "rename or remove one of them"))
        }
        for ref in col.from {
          let entry = entry(ref.product).map { entries[$0] }
          guard let u = entry.map({ $0.declaration }) ?? declaration(ref.product) else {
            unresolved(
              "product", ref.product, at: ref.location, subject: here, hint: nodeHint(ref.product),
              extra: "in the lineage of column '\(col.name)'")
            continue
          }
          guard let input = entry?.input else {
            out.append(
              Finding(
                rule: .lineageNotAnInput, severity: .error,
                message:
                  "column '\(col.name)' derives from '\(ref.product)', which is not among the inputs of '\(n.id)'",
                subjects: here, location: ref.location,
                hint: "add '- product: \(ref.product)' to inputs"))
            continue
          }
          let schema = nodes[u].schema
          if !schema.isEmpty && !hasColumn(schema, ref.column) {
            unresolved(
              "column", ref.column, at: ref.location, subject: here,
              candidates: schema.map(\.name), extra: "in '\(ref.product)'")
            continue
          }
          if let cols = input.columns, !cols.contains(ref.column) {
            out.append(
              Finding(
                rule: .lineageColumnNotRead, severity: .error,
                message:
                  "column '\(col.name)' derives from '\(ref.product).\(ref.column)', but the input lists only \(cols.map { "'\($0)'" }.joined(separator: ", "))",
                subjects: here, location: ref.location,
                hint: Suggest.hint(for: ref.column, in: cols) ?? "add '\(ref.column)' to that input's columns"))
            continue
          }
        }
      }
    }
    mesh.nodes.withUnsafeBufferPointer { nodes in for i in nodes.indices { check(nodes[i], nodes) } }
    return out
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

/// Several inputs (mesh specs, dbt manifests, OpenLineage events, contracts) merged
/// into one mesh, each node and edge keeping where it came from.
extension Mesh {
  /// One input to merge: its mesh and how to name it ("mesh directory samples/demo").
  public struct Part: Sendable {
    /// The mesh read from the input.
    public var mesh: Mesh
    /// How findings name the input; also the provenance file of its nodes that have no location.
    public var source: String
    /// Creates a part.
    ///
    /// - Parameters:
    ///   - mesh: The mesh read from one input.
    ///   - source: What the input was, for findings.
    public init(mesh: Mesh, source: String) {
      self.mesh = mesh
      self.source = source
    }
  }

  /// Merges `parts` in order. Domains, teams and nodes with one id become one: the
  /// first input's values win and later inputs fill what it leaves out; inputs,
  /// columns, tags and entities are united. Later policies override earlier ones.
  /// Nodes and edges get a provenance entry per input that has them (a spec node's
  /// is `declared` at its file).
  ///
  /// - Parameter parts: The meshes of the inputs, in the order given.
  /// - Returns: The merged mesh and the `merge-conflict` findings.
  /// - Complexity: O(total nodes + inputs + columns), with hashing.
  public static func merging(_ parts: [Part]) -> (mesh: Mesh, findings: [Finding]) {
    let merged = mergingWithPlaces(parts)
    return (merged.mesh, merged.findings)
  }

  /// ``merging(_:)``, with where each part's nodes landed: `places[p][i]` is the index
  /// in the merged mesh of node `i` of part `p` (the node it was merged into, for an id
  /// seen before). A model of the merged mesh can then be brought up to date when one
  /// part changes (see ``MeshUpdate``).
  ///
  /// - Parameter parts: The meshes of the inputs, in the order given.
  /// - Returns: The merged mesh, the `merge-conflict` findings, and the places.
  public static func mergingWithPlaces(_ parts: [Part]) -> (mesh: Mesh, findings: [Finding], places: [[Int32]]) {
    guard parts.count > 1 else {
      let mesh = parts.first?.mesh ?? Mesh(name: "empty")
      return (mesh, [], parts.isEmpty ? [] : [Array(0..<Int32(mesh.nodes.count))])
    }
    var state = MergeState(name: parts.map(\.mesh.name).joined(separator: " + "))
    for part in parts { state.absorb(part) }
    return (state.out, state.findings, state.places)
  }

  /// A merge as it goes: the merged mesh so far, its findings, where each part's nodes
  /// landed, and the merged domains, teams and nodes by id.
  struct MergeState: Sendable {
    var out: Mesh
    var findings: [Finding] = []
    var places: [[Int32]] = []
    var domainIndex: [String: Int] = [:]
    var teamIndex: [String: Int] = [:]
    var nodeIndex: [String: Int] = [:]

    init(name: String) { out = Mesh(name: name) }

    /// Merges one more part: see ``Mesh/merging(_:)``.
    ///
    /// - Parameters:
    ///   - part: The part.
    ///   - conflicts: Called with each node of the part (by index) that merged into a
    ///     node already there, and the findings its merge made.
    mutating func absorb(_ part: Part, conflicts: ((Int, [Finding]) -> Void)? = nil) {
      let m = part.mesh
      absorbHeader(m)
      var landed: [Int32] = []
      landed.reserveCapacity(m.nodes.count)
      defer { places.append(landed) }
      for (j, node) in m.nodes.enumerated() {
        let n = Mesh.filled(node, source: part.source)
        guard let i = nodeIndex[n.id] else {
          nodeIndex[n.id] = out.nodes.count
          landed.append(Int32(out.nodes.count))
          out.nodes.append(n)
          continue
        }
        landed.append(Int32(i))
        let found = Mesh.merge(n, into: &out.nodes[i], source: part.source)
        findings += found
        conflicts?(j, found)
      }
    }

    /// Merges a part's domains, teams, policies and location (not its nodes).
    mutating func absorbHeader(_ m: Mesh) {
      if out.location == nil { out.location = m.location }
      for d in m.domains {
        if let i = domainIndex[d.id] {
          out.domains[i].name = out.domains[i].name ?? d.name
          out.domains[i].owner = out.domains[i].owner ?? d.owner
          out.domains[i].description = out.domains[i].description ?? d.description
        } else {
          domainIndex[d.id] = out.domains.count
          out.domains.append(d)
        }
      }
      for t in m.teams {
        if let i = teamIndex[t.id] {
          out.teams[i].name = out.teams[i].name ?? t.name
          out.teams[i].contact = out.teams[i].contact ?? t.contact
        } else {
          teamIndex[t.id] = out.teams.count
          out.teams.append(t)
        }
      }
      out.policies += m.policies
    }
  }

  /// A node as a merge takes it from an input named `source`: with a provenance (its
  /// own, or `declared` at its file), which its inputs without one get too.
  static func filled(_ node: MeshNode, source: String) -> MeshNode {
    var n = node
    if n.provenance.isEmpty {
      n.provenance = [Provenance(.declared, file: n.location?.file ?? source)]
    }
    for k in n.inputs.indices where n.inputs[k].provenance.isEmpty {
      n.inputs[k].provenance = n.provenance
    }
    return n
  }

  /// Merges `n` (of the input named `source`) into `base`, a node of the same id from
  /// the inputs before: see ``merging(_:)``.
  ///
  /// - Returns: The `merge-conflict` findings.
  static func merge(_ n: MeshNode, into base: inout MeshNode, source: String) -> [Finding] {
    var findings: [Finding] = []
    if base.kind != n.kind {
      findings.append(
        Finding(
          rule: .mergeConflict, severity: .info,
          message:
            "'\(n.id)' is a \(base.kind.rawValue) in \(base.provenance.first?.file ?? "the first input") and a \(n.kind.rawValue) in \(n.provenance.first?.file ?? source); it stays a \(base.kind.rawValue)",
          subjects: [n.id], location: n.location))
    }
    if let a = base.domain, let b = n.domain, a != b {
      findings.append(
        Finding(
          rule: .mergeConflict, severity: .warning,
          message: "'\(n.id)' is in domain '\(a)' in one input and '\(b)' in \(source); '\(a)' is kept",
          subjects: [n.id], location: n.location, hint: "make the inputs agree, or drop the domain from one of them"
        ))
    }
    base.name = base.name ?? n.name
    base.domain = base.domain ?? n.domain
    base.owner = base.owner ?? n.owner
    base.description = base.description ?? n.description
    base.version = base.version ?? n.version
    base.deprecation = base.deprecation ?? n.deprecation
    base.sensitivity = base.sensitivity ?? n.sensitivity
    base.physicalLocation = base.physicalLocation ?? n.physicalLocation
    base.serviceLevel = base.serviceLevel ?? n.serviceLevel
    base.criticality = base.criticality ?? n.criticality
    base.resource = base.resource ?? n.resource
    base.location = base.location ?? n.location
    if base.quality.isEmpty { base.quality = n.quality }
    for (k, v) in n.fieldLocations where base.fieldLocations[k] == nil { base.fieldLocations[k] = v }
    for t in n.tags where !base.tags.contains(t) { base.tags.append(t) }
    for e in n.entities where !base.entities.contains(e) { base.entities.append(e) }
    for p in n.provenance where !base.provenance.contains(p) { base.provenance.append(p) }
    for input in n.inputs {
      if let k = base.inputs.firstIndex(where: { $0.product == input.product }) {
        for p in input.provenance where !base.inputs[k].provenance.contains(p) {
          base.inputs[k].provenance.append(p)
        }
        if let cols = input.columns, let old = base.inputs[k].columns {
          base.inputs[k].columns = old + cols.filter { !old.contains($0) }
        } else {
          base.inputs[k].columns = nil
        }
      } else {
        base.inputs.append(input)
      }
    }
    for col in n.schema {
      if let k = base.schema.firstIndex(where: { $0.name == col.name }) {
        base.schema[k].type = base.schema[k].type ?? col.type
        base.schema[k].classification = base.schema[k].classification ?? col.classification
        base.schema[k].description = base.schema[k].description ?? col.description
        base.schema[k].masked = base.schema[k].masked || col.masked
        base.schema[k].constraints = base.schema[k].constraints ?? col.constraints
        for r in col.from where !base.schema[k].from.contains(r) { base.schema[k].from.append(r) }
      } else {
        base.schema.append(col)
      }
    }
    return findings
  }

  /// A mesh holding a bare graph's nodes and edges (graph JSON), for merging.
  ///
  /// - Parameters:
  ///   - g: The graph.
  ///   - name: The mesh name.
  ///   - file: The file the graph was read from.
  public init(graph g: LineageGraph, name: String, file: String) {
    self.init(name: name)
    var inputs = [[Input]](repeating: [], count: g.nodeCount)
    let origin = [Provenance(.imported, file: file, detail: "graph JSON")]
    for v in 0..<Int32(g.nodeCount) {
      for w in g.forward.neighbors(v) {
        var input = Input(product: g.id(v))
        input.provenance = origin
        inputs[Int(w)].append(input)
      }
    }
    var domains = Set<String>(), teams = Set<String>()
    for v in 0..<Int32(g.nodeCount) {
      var n = MeshNode(
        id: g.id(v), kind: NodeKind(rawValue: g.kindName(v)), domain: g.domainName(v),
        owner: g.ownerName(v), status: g.status[Int(v)], tags: g.tagList(v), inputs: inputs[Int(v)])
      n.provenance = origin
      if let d = n.domain { domains.insert(d) }
      if let o = n.owner { teams.insert(o) }
      nodes.append(n)
    }
    self.domains = domains.sorted().map { Domain(id: $0) }
    self.teams = teams.sorted().map { Team(id: $0) }
  }
}

extension Mesh {
  /// The mesh made self-contained for a spec directory: nodes without a domain get
  /// `fallback(node)`, and every domain and team that nodes name is declared.
  ///
  /// - Parameter fallback: The domain of a node that has none.
  /// - Returns: The mesh with every node in a domain and every domain declared.
  public func completed(domainFallback fallback: (MeshNode) -> String) -> Mesh {
    var m = self
    for i in m.nodes.indices where m.nodes[i].domain == nil { m.nodes[i].domain = fallback(m.nodes[i]) }
    var domains = Set(m.domains.map(\.id)), teams = Set(m.teams.map(\.id))
    for n in m.nodes {
      if let d = n.domain, domains.insert(d).inserted { m.domains.append(Domain(id: d)) }
      if let o = n.owner, teams.insert(o).inserted { m.teams.append(Team(id: o)) }
    }
    for d in m.domains { if let o = d.owner, teams.insert(o).inserted { m.teams.append(Team(id: o)) } }
    return m
  }
}

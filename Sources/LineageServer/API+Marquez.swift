internal import Hummingbird
internal import LineageCore
internal import LineageReports

/// Marquez's read API, for the clients and pages that speak it: the lineage graph of
/// a node (`GET /api/v1/lineage?nodeId=dataset:NS:NAME&depth=N`, jobs as nodes between
/// datasets, as Marquez draws it) and the namespaces.
extension API {
  /// `GET /api/v1/lineage?nodeId=dataset:NS:NAME|job:NS:NAME&depth=N` (depth 20 by
  /// default, as Marquez): the node, everything upstream and downstream of it within
  /// `depth` hops (a job and a dataset each count as a hop), with their edges.
  func marquezLineage(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    guard let nodeID = q.get("nodeId") else { return Self.error(.badRequest, "nodeId is required") }
    let depth = try Self.integer(q.get("depth"), "depth") ?? 20
    let model = try await model(asOf: q.get("asOf"), jobs: true)
    let g = model.graph
    let ours: String
    if nodeID.hasPrefix("dataset:") {
      ours = String(nodeID.dropFirst("dataset:".count))
    } else if nodeID.hasPrefix("job:") {
      ours = nodeID
    } else {
      return Self.error(.badRequest, "nodeId must be dataset:NAMESPACE:NAME or job:NAMESPACE:NAME")
    }
    guard let v = g.index(of: ours) else { return Self.error(.notFound, "no node \(nodeID)") }
    let up = g.reach(from: [v], direction: .upstream, maxDepth: depth, excluding: nil)
    let down = g.reach(from: [v], direction: .downstream, maxDepth: depth, excluding: nil)
    var inGraph = Set(up.nodes)
    inGraph.formUnion(down.nodes)
    let nodes = inGraph.sorted { g.id($0).utf8.lexicographicallyPrecedes(g.id($1).utf8) }
    var w = JSONWriter(pretty: false, capacity: 256 * nodes.count)
    w.beginObject()
    w.key("graph")
    w.beginArray()
    for n in nodes {
      let isJob = g.kindNames[g.kind[Int(n)]] == "job"
      let id = marquezID(g, n, isJob: isJob)
      w.beginObject()
      w.key("id")
      w.string(id)
      w.key("type")
      w.string(isJob ? "JOB" : "DATASET")
      w.key("data")
      writeData(&w, model, n, isJob: isJob)
      w.key("inEdges")
      edges(&w, g, n, g.reverse, inGraph, incoming: true)
      w.key("outEdges")
      edges(&w, g, n, g.forward, inGraph, incoming: false)
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return Self.json(.ok, w.bytes + [10])
  }

  /// `GET /api/v1/namespaces`: every namespace of a dataset or job, as Marquez lists them.
  func marquezNamespaces(_ request: Request) async throws -> Response {
    let model = try await model(asOf: nil)
    var names = Set<String>()
    for node in model.mesh.nodes {
      if let ns = Self.marquezName(of: node)?.namespace { names.insert(ns) }
    }
    var w = JSONWriter(pretty: false)
    w.beginObject()
    w.key("namespaces")
    w.beginArray()
    for ns in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      w.beginObject()
      w.key("name")
      w.string(ns)
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return Self.json(.ok, w.bytes + [10])
  }

  /// `GET /api/v1/namespaces/{namespace}/datasets` and `.../jobs`: the datasets (with
  /// their fields) or the jobs (with their inputs and outputs) of one namespace, as
  /// Marquez lists them, sorted by name.
  func marquezListing(_ request: Request, namespace: String, jobs: Bool) async throws -> Response {
    let model = try await model(asOf: nil, jobs: true)
    let g = model.graph
    var rows: [(name: String, v: Int32, node: MeshNode)] = []
    for v in 0..<Int32(g.nodeCount) {
      let isJob = g.kindNames[g.kind[Int(v)]] == "job"
      guard isJob == jobs, let node = model.declaration(of: v), let id = Self.marquezName(of: node),
        id.namespace == namespace
      else { continue }
      rows.append((id.name, v, node))
    }
    rows.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    var w = JSONWriter(pretty: false, capacity: 256 * rows.count + 64)
    w.beginObject()
    w.key("totalCount")
    w.int(rows.count)
    w.key(jobs ? "jobs" : "datasets")
    w.beginArray()
    for row in rows {
      writeData(&w, model, row.v, isJob: jobs) { w in
        guard jobs else { return }
        for (key, csr) in [("inputs", g.reverse), ("outputs", g.forward)] {
          w.key(key)
          w.beginArray()
          let named = csr.neighbors(row.v).compactMap { u in
            model.declaration(of: u).flatMap(Self.marquezName(of:))
          }
          for id in named.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            w.beginObject()
            w.key("namespace")
            w.string(id.namespace)
            w.key("name")
            w.string(id.name)
            w.endObject()
          }
          w.endArray()
        }
      }
    }
    w.endArray()
    w.endObject()
    return Self.json(.ok, w.bytes + [10])
  }

  /// A dataset's or job's namespace and name, as Marquez names them. A dataset's id is
  /// `NAMESPACE:NAME` and its node's name is NAME (the namespace may itself hold colons,
  /// as `postgres://host:5432` does); a job's id is `job:NAMESPACE:NAME` and its node's
  /// name `NAMESPACE:NAME`, split at its last colon (job names rarely hold one).
  static func marquezName(of node: MeshNode) -> (namespace: String, name: String)? {
    guard let name = node.name else { return nil }
    if node.id.hasPrefix("job:") {
      guard let colon = name.lastIndex(of: ":") else { return nil }
      return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
    guard node.id.hasSuffix(":" + name), node.id.count > name.count + 1 else { return nil }
    return (String(node.id.dropLast(name.count + 1)), name)
  }

  func marquezID(_ g: LineageGraph, _ v: Int32, isJob: Bool) -> String {
    isJob ? g.id(v) : "dataset:" + g.id(v)
  }

  func writeData(
    _ w: inout JSONWriter, _ model: LineageModel, _ v: Int32, isJob: Bool, more: (inout JSONWriter) -> Void = { _ in }
  ) {
    let node = model.declaration(of: v)
    w.beginObject()
    if let node, let (ns, name) = Self.marquezName(of: node) {
      w.key("id")
      w.beginObject()
      w.key("namespace")
      w.string(ns)
      w.key("name")
      w.string(name)
      w.endObject()
      w.key("namespace")
      w.string(ns)
      w.key("name")
      w.string(name)
    }
    w.key("type")
    w.string(isJob ? "BATCH" : "DB_TABLE")
    if let description = node?.description {
      w.key("description")
      w.string(description)
    }
    if !isJob {
      w.key("fields")
      w.beginArray()
      for c in node?.schema ?? [] {
        w.beginObject()
        w.key("name")
        w.string(c.name)
        if let type = c.type {
          w.key("type")
          w.string(type)
        }
        w.endObject()
      }
      w.endArray()
    }
    more(&w)
    w.endObject()
  }

  func edges(
    _ w: inout JSONWriter, _ g: LineageGraph, _ v: Int32, _ csr: CSR, _ inGraph: Set<Int32>, incoming: Bool
  ) {
    w.beginArray()
    let me = marquezID(g, v, isJob: g.kindNames[g.kind[Int(v)]] == "job")
    for u in csr.neighbors(v).sorted() where inGraph.contains(u) {
      let other = marquezID(g, u, isJob: g.kindNames[g.kind[Int(u)]] == "job")
      w.beginObject()
      w.key("origin")
      w.string(incoming ? other : me)
      w.key("destination")
      w.string(incoming ? me : other)
      w.endObject()
    }
    w.endArray()
  }
}

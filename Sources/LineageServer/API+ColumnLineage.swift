internal import Hummingbird
internal import LineageCore
internal import LineageReports

/// Marquez's column-level lineage (`GET /api/v1/column-lineage`): dataset fields as
/// nodes, an edge from each input field to the field derived from it, as the
/// OpenLineage `columnLineage` facets (and any declared column lineage) say.
extension API {
  /// `GET /api/v1/column-lineage?nodeId=datasetField:NS:NAME:FIELD|dataset:NS:NAME&depth=N
  /// &withDownstream=true`: the field (or every field of the dataset), the fields it
  /// derives from within `depth` hops (20 by default, as Marquez), and with
  /// `withDownstream=true` the fields derived from it too. Nodes are sorted by id;
  /// each carries Marquez's `data` (namespace, dataset, field, fieldType, inputFields
  /// with their transformation type) and its edges within the answer.
  func marquezColumnLineage(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    guard let nodeID = q.get("nodeId") else { return Self.error(.badRequest, "nodeId is required") }
    let depth = try Self.integer(q.get("depth"), "depth") ?? 20
    let downstream = q.get("withDownstream").map { $0.lowercased() == "true" } ?? false
    let model = try await model(asOf: q.get("asOf"), jobs: false)
    let g = model.graph
    let cg = model.columns
    var starts: [Int32] = []
    if nodeID.hasPrefix("datasetField:") {
      let rest = nodeID.dropFirst("datasetField:".count)
      guard let colon = rest.lastIndex(of: ":") else {
        return Self.error(.badRequest, "nodeId must be datasetField:NAMESPACE:DATASET:FIELD or dataset:NAMESPACE:NAME")
      }
      let field = String(rest[rest.index(after: colon)...])
      guard let v = g.index(of: String(rest[..<colon])), let c = cg.column(of: v, named: field) else {
        return Self.error(.notFound, "no field \(nodeID)")
      }
      starts = [c]
    } else if nodeID.hasPrefix("dataset:") {
      guard let v = g.index(of: String(nodeID.dropFirst("dataset:".count))) else {
        return Self.error(.notFound, "no node \(nodeID)")
      }
      starts = (0..<Int32(cg.count)).filter { cg.node[Int($0)] == v }
    } else {
      return Self.error(.badRequest, "nodeId must be datasetField:NAMESPACE:DATASET:FIELD or dataset:NAMESPACE:NAME")
    }
    var inAnswer = Set(starts)
    for (csr, wanted) in [(cg.reverse, true), (cg.forward, downstream)] where wanted {
      var frontier = starts
      var hops = 0
      while !frontier.isEmpty && hops < depth {
        var next: [Int32] = []
        for c in frontier {
          for u in csr.neighbors(c) where inAnswer.insert(u).inserted { next.append(u) }
        }
        frontier = next
        hops += 1
      }
    }
    var ids: [Int32: String] = [:]
    for c in inAnswer { ids[c] = fieldID(model, c) }
    let nodes = inAnswer.sorted { (ids[$0] ?? "").utf8.lexicographicallyPrecedes((ids[$1] ?? "").utf8) }
    var w = JSONWriter(pretty: false, capacity: 256 * nodes.count + 32)
    w.beginObject()
    w.key("graph")
    w.beginArray()
    for c in nodes {
      w.beginObject()
      w.key("id")
      w.string(ids[c] ?? "")
      w.key("type")
      w.string("DATASET_FIELD")
      w.key("data")
      w.beginObject()
      writeField(&w, model, c)
      w.key("fieldType")
      w.optional(fieldType(model, c))
      w.key("transformationDescription")
      w.null()
      w.key("transformationType")
      w.null()
      w.key("inputFields")
      w.beginArray()
      for u in sortedNeighbors(cg.reverse, c, model) {
        w.beginObject()
        writeField(&w, model, u)
        w.key("transformationDescription")
        w.null()
        w.key("transformationType")
        w.string(transform(cg, from: u, to: c).rawValue.uppercased())
        w.endObject()
      }
      w.endArray()
      w.endObject()
      for (key, csr, incoming) in [("inEdges", cg.reverse, true), ("outEdges", cg.forward, false)] {
        w.key(key)
        w.beginArray()
        for u in sortedNeighbors(csr, c, model) where inAnswer.contains(u) {
          w.beginObject()
          w.key("origin")
          w.string(ids[incoming ? u : c] ?? "")
          w.key("destination")
          w.string(ids[incoming ? c : u] ?? "")
          w.endObject()
        }
        w.endArray()
      }
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return Self.json(.ok, w.bytes + [10])
  }

  /// `datasetField:NAMESPACE:DATASET:FIELD` of column `c`.
  func fieldID(_ model: LineageModel, _ c: Int32) -> String {
    let v = model.columns.node[Int(c)]
    let name = model.declaration(of: v).flatMap(Self.marquezName(of:))
    let dataset = name.map { $0.namespace + ":" + $0.name } ?? model.graph.id(v)
    return "datasetField:" + dataset + ":" + model.columns.name(c)
  }

  /// The `namespace`, `dataset`, `datasetVersion` (none kept: null) and `field` keys.
  func writeField(_ w: inout JSONWriter, _ model: LineageModel, _ c: Int32) {
    let v = model.columns.node[Int(c)]
    let name = model.declaration(of: v).flatMap(Self.marquezName(of:))
    w.key("namespace")
    w.string(name?.namespace ?? "")
    w.key("dataset")
    w.string(name?.name ?? model.graph.id(v))
    w.key("datasetVersion")
    w.null()
    w.key("field")
    w.string(model.columns.name(c))
  }

  /// The declared type of column `c`, if its dataset's schema gives one.
  func fieldType(_ model: LineageModel, _ c: Int32) -> String? {
    let name = model.columns.name(c)
    return model.declaration(of: model.columns.node[Int(c)])?.schema.first { $0.name == name }?.type
  }

  /// The neighbours of column `c` in `csr`, sorted by their field ids.
  func sortedNeighbors(_ csr: CSR, _ c: Int32, _ model: LineageModel) -> [Int32] {
    csr.neighbors(c).map { ($0, fieldID(model, $0)) }.sorted { $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
      .map(\.0)
  }

  /// The transform on the edge from column `u` to column `c`.
  func transform(_ cg: ColumnGraph, from u: Int32, to c: Int32) -> Transform {
    let start = Int(cg.forward.offsets[Int(u)])
    for (k, t) in cg.forward.neighbors(u).enumerated() where t == c { return cg.transform[start + k] }
    return .identity
  }
}

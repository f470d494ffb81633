internal import Hummingbird
internal import LineageCore
internal import LineageExplorer
internal import LineageLoaders
internal import LineageRender

/// The web explorer, served: the page at `/`, its script and stylesheet, and its data
/// from the current graph (the same page `lineage render --format html` exports).
extension API {
  /// How the served page tells a reader to see more, in the API's words.
  static let explorerWording = ExplorerOptions.Wording(
    seeMore: "search for a node and open it to see its neighbourhood (focus=S&upstream=N&downstream=N)",
    view: wording)

  /// The headers of every explorer response: its policy, and no sniffing.
  static func explorerHeaders(_ type: String) -> HTTPFields {
    [
      .contentType: type, .contentSecurityPolicy: ExplorerPage.servedPolicy, .xContentTypeOptions: "nosniff",
    ]
  }

  /// `GET /`: the explorer page.
  func explorerPage(_ request: Request) async throws -> Response {
    let model = try await model(asOf: nil)
    return Response(
      status: .ok, headers: Self.explorerHeaders("text/html; charset=utf-8"),
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: ExplorerPage.served(title: model.mesh.name))))
  }

  /// `GET /explorer.js` and `GET /explorer.css`.
  func explorerAsset(script: Bool) -> Response {
    Response(
      status: .ok,
      headers: Self.explorerHeaders(script ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"),
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: script ? ExplorerPage.script : ExplorerPage.stylesheet)))
  }

  /// `GET /api/explorer/data?focus=S&upstream=N&downstream=N&asOf=TIME`: the page's data
  /// (see `ExplorerPage.data`), with a diagram of the focus when one is given; built once
  /// per model version and parameters (see ``ExplorerCache``).
  func explorerData(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let (model, version, asOf) = try await versioned(asOf: q.get("asOf"))
    let roots: [Int32]?
    switch Self.focus(q.get("focus"), in: model) {
    case .success(let picked): roots = picked
    case .failure(let failure): return failure.response
    }
    do {
      let entry = try await explorerData(
        model, version: version, asOf: asOf, focus: roots,
        upstream: try Self.integer(q.get("upstream"), "upstream") ?? 1,
        downstream: try Self.integer(q.get("downstream"), "downstream") ?? 1)
      return Self.cached(request, entry)
    } catch let error as RenderError {
      return Self.error(.internalServerError, "Graphviz could not draw the diagram: \(error.message)")
    }
  }

  /// The explorer's data of `model` (at `version`), from the cache or built now.
  func explorerData(
    _ model: LineageModel, version: UInt64, asOf: Double?, focus roots: [Int32]?, upstream: Int, downstream: Int
  ) async throws -> ExplorerCache.Entry {
    var options = ExplorerOptions(
      focus: roots, upstream: upstream, downstream: downstream, today: .today(), wording: Self.explorerWording)
    // The page asks /api/mesh/impact for each blast radius, at every size.
    options.blastRadii = false
    let key = ExplorerCache.Key(
      version: version,
      request:
        "data asOf=\(asOf.map { "\($0)" } ?? "now") focus=\(roots.map { "\($0)" } ?? "none") up=\(upstream) down=\(downstream) today=\(options.today)"
    )
    return try await explorerCache.entry(key) { [metrics, options] in
      metrics.explorerBuilds.increment()
      return try ExplorerPage.data(model, options).json
    }
  }

  /// Builds the page's data for the present model once the server listens, so that
  /// the first visit to `/` does not wait for it (seconds at 100,000 nodes).
  func warmExplorer() async {
    guard let (model, version) = try? await state.versioned() else { return }
    _ = try? await explorerData(model, version: version, asOf: nil, focus: nil, upstream: 1, downstream: 1)
  }

  /// `GET /api/explorer/view?nodes=ID&nodes=ID...&level=product|column&asOf=TIME`: a
  /// diagram of exactly those nodes, laid out now (the page asks for it when its view
  /// grows past the diagrams it has).
  func explorerView(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let (model, version, asOf) = try await versioned(asOf: q.get("asOf"))
    let levelText = q.get("level") ?? "product"
    guard let level = ViewLevel(rawValue: levelText), level != .domain else {
      return Self.error(.badRequest, "unknown level '\(levelText)'; expected product or column")
    }
    var nodes: [Int32] = []
    for id in q.getAll("nodes") {
      guard let v = model.graph.index(of: String(id)) else { return Self.error(.notFound, "no node '\(id)'") }
      nodes.append(v)
    }
    guard !nodes.isEmpty else { return Self.error(.badRequest, "nodes= is required") }
    guard nodes.count <= Views.sfdpLimit else {
      return Self.error(.badRequest, "at most \(Views.sfdpLimit) nodes in one view")
    }
    let key = ExplorerCache.Key(
      version: version,
      request: "view asOf=\(asOf.map { "\($0)" } ?? "now") level=\(level.rawValue) nodes=\(nodes.sorted())")
    do {
      return Self.cached(
        request,
        try await explorerCache.entry(key) { [metrics, nodes] in
          metrics.explorerBuilds.increment()
          return try ExplorerPage.view(model, nodes: nodes, level: level, wording: Self.wording)
        })
    } catch let error as RenderError {
      return Self.error(.internalServerError, "Graphviz could not draw the diagram: \(error.message)")
    }
  }
}

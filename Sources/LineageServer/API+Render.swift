internal import Hummingbird
internal import LineageCore
internal import LineageRender

/// Diagrams over HTTP, as `lineage render` draws them.
extension API {
  /// The diagram notes' words for the request's parameters.
  static let wording = ViewRequest.Wording(
    narrowColumnView: "narrow it with focus=", narrowProductView: "use focus=X&upstream=N&downstream=N to see products",
    engineChosen: "chosen with engine=", showChecks: "show them with tests=true")

  /// The nodes a `focus` parameter selects, as `--focus` does: nil without one; a 400
  /// for a selector that does not parse, a 404 when it matches no node.
  static func focus(_ text: String?, in model: LineageModel) -> Result<[Int32]?, ResponseFailure> {
    guard let text else { return .success(nil) }
    let picked: Selection
    do {
      picked = model.graph.select(try Selector.parse([text], in: model.graph))
    } catch {
      return .failure(ResponseFailure(Self.error(.badRequest, error.description)))
    }
    guard !picked.nodes.isEmpty else {
      return .failure(ResponseFailure(Self.error(.notFound, "focus '\(text)' matched no node")))
    }
    return .success(picked.nodes)
  }

  /// `GET /api/mesh/render?format=svg|png|pdf|dot|mermaid&level=L&focus=S&upstream=N&downstream=N&impact=P.C&change=K&engine=E&tests=true`:
  /// the diagram `lineage render` draws with the same options (parameters named as its
  /// options), in the format's media type; what the plan did to a large view (a
  /// fallback, a focus cut) is said in the diagram itself.
  func render(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let format = q.get("format") ?? "svg"
    let types = [
      "svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "dot": "text/vnd.graphviz; charset=utf-8",
      "mermaid": "text/plain; charset=utf-8",
    ]
    guard let contentType = types[format] else {
      return Self.error(.badRequest, "unknown format '\(format)'; expected svg, png, pdf, dot or mermaid")
    }
    let levelText = q.get("level") ?? "product"
    guard let level = ViewLevel(rawValue: levelText) else {
      return Self.error(.badRequest, "unknown level '\(levelText)'; expected product, domain or column")
    }
    let upstream = try Self.integer(q.get("upstream"), "upstream") ?? 2
    let downstream = try Self.integer(q.get("downstream"), "downstream") ?? 2
    let tests = q.get("tests").map { $0 == "true" || $0 == "1" } ?? false
    let engine = q.get("engine")
    if let engine {
      let layouts = (try? Graphviz.plugins().layouts) ?? []
      guard layouts.contains(engine) else {
        return Self.error(
          .badRequest, "unknown layout engine '\(engine)' (available: \(layouts.joined(separator: ", ")))")
      }
    }
    let model = try await model(asOf: q.get("asOf"))
    let roots: [Int32]?
    switch Self.focus(q.get("focus"), in: model) {
    case .success(let picked): roots = picked
    case .failure(let failure): return failure.response
    }
    var blast: ImpactResult?
    switch (q.get("impact"), q.get("change")) {
    case (nil, nil): break
    case (let target?, let changeText?):
      guard let change = SchemaChange(parsing: changeText) else {
        return Self.error(
          .badRequest, "unknown change '\(changeText)'; expected drop, rename[:NEW], retype:TYPE, nullable or retire")
      }
      do {
        blast = try ImpactAnalysis.analyze(model, target: target, change: change)
      } catch {
        return Self.error(error.reason == .noSuchProduct ? .notFound : .badRequest, error.description)
      }
    default: return Self.error(.badRequest, "impact and change go together")
    }
    let viewRequest = ViewRequest(
      level: level, focus: roots, upstream: upstream, downstream: downstream, engine: engine, impact: blast,
      showChecks: tests, wording: Self.wording)
    let bytes: [UInt8]
    do {
      bytes = try Views.draw(model, viewRequest, format: format).bytes
    } catch {
      return Self.error(.internalServerError, "Graphviz could not draw the diagram: \(error.message)")
    }
    return Response(
      status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }
}

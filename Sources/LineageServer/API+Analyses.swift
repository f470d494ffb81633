internal import Hummingbird
internal import LineageCore
internal import LineageLoaders
internal import LineageReports

/// The command line's other analyses over HTTP, with its JSON.
extension API {
  /// `GET /api/mesh/impact?target=P.C&change=K`: the blast radius, as `lineage impact`,
  /// with each column's verdict besides (`columnVerdicts`).
  func impact(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    guard let target = q.get("target"), let changeText = q.get("change") else {
      return Self.error(.badRequest, "target and change are required (target=PRODUCT.COLUMN&change=drop)")
    }
    guard let change = SchemaChange(parsing: changeText) else {
      return Self.error(
        .badRequest, "unknown change '\(changeText)'; expected drop, rename[:NEW], retype:TYPE, nullable or retire")
    }
    let model = try await model(asOf: q.get("asOf"))
    do {
      let result = try ImpactAnalysis.analyze(model, target: target, change: change)
      var report = ImpactReport(result, model: model)
      report.partial = PartialNote(model)
      // Beyond lineage impact's fields: each column's own verdict, which the explorer
      // page colours.
      report.columnVerdicts = ImpactReport.columnVerdicts(result, model: model)
      return Self.json(.ok, report.json())
    } catch {
      return Self.error(error.reason == .noSuchProduct ? .notFound : .badRequest, error.description)
    }
  }

  /// `GET /api/mesh/validate?today=YYYY-MM-DD`: every finding, as `lineage validate`
  /// (the load findings of the declared inputs and the events included).
  func validate(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    var today = CalendarDate.today()
    if let text = q.get("today") {
      guard let date = CalendarDate(text) else { return Self.error(.badRequest, "today must be YYYY-MM-DD") }
      today = date
    }
    let model = try await model(asOf: q.get("asOf"))
    let report = FindingsReport(findings: Validation.findings(model, today: today), source: model.source)
    return Self.json(.ok, report.json())
  }

  /// `GET /api/mesh/owners?similarity=S&minColumns=N`: the ownership audit, as
  /// `lineage owners`.
  func owners(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let similarity = q.get("similarity").map { Double($0) } ?? 0.8
    guard let similarity, (0.5...1).contains(similarity) else {
      return Self.error(.badRequest, "similarity must be between 0.5 and 1, such as 0.8")
    }
    let minColumns = try max(1, Self.integer(q.get("minColumns"), "minColumns") ?? 4)
    let model = try await model(asOf: q.get("asOf"))
    let findings = Ownership.audit(model, options: .init(similarity: similarity, minColumns: minColumns))
    var report = FindingsReport(findings: findings, source: model.source, failOn: .error)
    report.partial = PartialNote(model)
    return Self.json(.ok, report.json())
  }

  /// `GET /api/mesh/cycles`.
  func cycles(_ request: Request) async throws -> Response {
    let model = try await model(asOf: request.uri.queryParameters.get("asOf"))
    var report = CyclesReport(cycles: CycleFinder.cycles(in: model.graph), graph: model.graph)
    report.partial = PartialNote(model)
    return Self.json(.ok, report.json())
  }

  /// `GET /api/mesh/stats?top=N`.
  func stats(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    let top = try Self.integer(q.get("top"), "top") ?? 10
    let model = try await model(asOf: q.get("asOf"))
    var report = StatsReport(
      stats: GraphStats(model.graph, top: top, blast: .automatic(for: model.graph)), graph: model.graph,
      source: model.source)
    report.partial = PartialNote(model)
    return Self.json(.ok, report.json())
  }
}

internal import Hummingbird
internal import LineageCore
internal import LineageLoaders
internal import LineageReports

/// Declared vs observed over HTTP, as `lineage drift --format json`.
extension API {
  /// `GET /api/mesh/drift?window=D&until=T&failOn=S&asOf=T`: the declared inputs (the
  /// server's declared lineage) against the events received, with the command line's
  /// JSON. `window` and `until` are drift's; `failOn` (`error` or `warning`) sets
  /// `summary.failed`; `asOf` leaves out the events after it, as every query does
  /// (events after `until` are left out too). The map file is the server's.
  func drift(_ request: Request) async throws -> Response {
    let q = request.uri.queryParameters
    var window: Double?
    if let text = q.get("window") {
      guard let w = Drift.duration(text) else {
        return Self.error(
          .badRequest,
          "window '\(text)' is not a duration: write a whole number and a unit (w, d, h, m or s), as in \(Drift.durationForms)"
        )
      }
      window = w
    }
    var until: Double?
    if let text = q.get("until") {
      guard let t = OpenLineageImporter.seconds(since1970: text) else {
        return Self.error(.badRequest, "until must be an ISO 8601 date or date-time, such as 2026-11-23T12:00:00Z")
      }
      until = t
    }
    var asOf: Double?
    if let text = q.get("asOf") {
      guard let t = OpenLineageImporter.seconds(since1970: text) else {
        return Self.error(.badRequest, "asOf must be an ISO 8601 date-time")
      }
      asOf = t
    }
    var failOn = Severity.error
    if let text = q.get("failOn") {
      switch text {
      case "error": failOn = .error
      case "warning": failOn = .warning
      default: return Self.error(.badRequest, "failOn must be error or warning")
      }
    }
    let (declared, documents) = try await Self.unavailable { () async throws(StoreError) in
      try await state.driftInputs()
    }
    guard let model = declared else {
      return Self.error(
        .conflict, "drift compares declared lineage with the events, and the server was started without declared inputs"
      )
    }
    let end = [until, asOf].compactMap { $0 }.min()
    // The bodies are read from the spill one at a time, off the state's actor.
    let (observed, eventFindings) = try await Self.unavailable { () async throws(StoreError) in
      try ObservedEvents.read(count: documents.places.count, until: end) { (i) throws(StoreError) in
        try documents.spill.document(documents.places[i])
      }
    }
    var findings = eventFindings
    var map: [Drift.MapEntry] = []
    if let path = options.driftMap {
      let (entries, problems) = DriftMapFile.load(path: path)
      map = entries
      findings += problems
    }
    if findings.loadErrors.isEmpty {
      findings += Drift.findings(
        model, observed: observed, options: Drift.Options(window: window, until: until, map: map))
    }
    var report = FindingsReport(findings: findings, source: model.source, failOn: failOn)
    report.partial = PartialNote(model)
    return Self.json(.ok, report.json() + [10])
  }
}

extension LineageState {
  /// What drift compares: the declared model (read again when its files changed), and
  /// where every event kept is, in `eventTime` order (arrival order among equal times),
  /// with the spill to read their bodies from.
  ///
  /// - Throws: ``StoreError`` when the events' index cannot be read back.
  func driftInputs() throws(StoreError) -> (LineageModel?, (places: [EventSpill.Place], spill: EventSpill)) {
    refreshDeclared()
    return (declared?.model, (try timeOrder(asOf: nil).places, spill))
  }
}

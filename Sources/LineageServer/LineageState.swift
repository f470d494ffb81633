public import LineageCore
public import LineageLoaders

/// What the server knows: the events received (kept in the store and, parsed once,
/// in memory) and the lineage graph built from them, rebuilt only when events arrived
/// since the last question.
public actor LineageState {
  let store: any EventStore
  let importer: OpenLineageImporter
  /// Every stored event, in order of arrival.
  var documents: [OpenLineageDocument] = []
  /// Each event's `eventTime` in seconds since 1970, when it has one (for `asOf`).
  var times: [Double?] = []
  var lastSequence: Int64 = 0
  /// Graphs built since the last event arrived: now or as of a time, with or without
  /// jobs as nodes (Marquez's graph has them).
  var built: [Key: LineageModel] = [:]

  struct Key: Hashable {
    var asOf: Double?
    var jobs: Bool
  }

  /// Reads every stored event back (the replay on start).
  ///
  /// - Parameters:
  ///   - store: Where events are kept.
  ///   - importer: How events become lineage (history, jobs as nodes).
  /// - Throws: ``StoreError`` when the store cannot be read.
  public init(store: any EventStore, importer: OpenLineageImporter = OpenLineageImporter()) async throws(StoreError) {
    self.store = store
    self.importer = importer
    add(try await store.events(after: 0))
  }

  /// The number of events kept.
  public var eventCount: Int { documents.count }

  /// Stores `events` durably, then makes them part of the graph.
  ///
  /// - Parameter events: Checked events, in order of arrival.
  /// - Returns: How many were new (an identical event already stored is not stored again).
  /// - Throws: ``StoreError`` when the store cannot take them; none was taken.
  public func ingest(_ events: [StoredEvent]) async throws(StoreError) -> Int {
    let stored = try await store.append(events).compactMap { $0 }
    add(stored)
    return stored.count
  }

  func add(_ events: [StoredEvent]) {
    guard !events.isEmpty else { return }
    for e in events {
      documents.append(OpenLineageDocument(bytes: e.body, label: "event \(e.sequence)"))
      times.append(e.eventTime.flatMap(OpenLineageImporter.seconds(since1970:)))
      lastSequence = max(lastSequence, e.sequence)
    }
    built.removeAll()
  }

  /// The lineage of every event received, or of those whose `eventTime` is at or
  /// before `asOf`.
  ///
  /// - Parameters:
  ///   - asOf: Seconds since 1970; nil for now.
  ///   - jobs: Keep jobs as nodes between their inputs and outputs (as Marquez's
  ///     graph has them), whatever the server's importer says.
  /// - Returns: The model, built from the events in memory (the store is not read),
  ///   and kept until the next event arrives.
  public func model(asOf: Double? = nil, jobs: Bool? = nil) -> LineageModel {
    let key = Key(asOf: asOf, jobs: jobs ?? importer.jobsAsNodes)
    if let model = built[key] { return model }
    let kept = asOf.map { t in zip(documents, times).filter { ($0.1 ?? -Double.infinity) <= t }.map(\.0) } ?? documents
    var importer = self.importer
    importer.jobsAsNodes = key.jobs
    let (mesh, findings) = importer.load(documents: kept)
    let model = LineageModel(mesh: mesh, loadFindings: findings, source: "OpenLineage events received by the server")
    if built.count >= 8 { built.removeAll() }
    built[key] = model
    return model
  }
}

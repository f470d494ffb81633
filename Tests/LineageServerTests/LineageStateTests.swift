import Foundation
import LineageCore
import Synchronization
import Testing

@testable import LineageLoaders
@testable import LineageServer

/// The server's state against a store that fails in the ways a database does.
@Suite struct LineageStateTests {
  /// A SQLite store whose next append commits and then reports a failure, as an append
  /// does when the connection is lost during its commit or its deadline passes.
  final class CommitsThenFails: EventStore {
    let base: SQLiteEventStore
    let failNext = Mutex(false)
    init(path: String) throws { base = try SQLiteEventStore(path: path) }

    func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended] {
      let stored = try await base.append(events)
      if failNext.withLock({ f in
        defer { f = false }; return f
      }) {
        throw StoreError("the connection was lost during the commit")
      }
      return stored
    }
    func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
      try await base.events(after: sequence, limit: limit)
    }
    func count() async throws(StoreError) -> Int { try await base.count() }
  }

  /// A SQLite store whose next append fails without storing, and stores its events
  /// late: after the next read of what was stored (a commit that lands after the
  /// server's read-back).
  final class CommitsLate: EventStore {
    let base: SQLiteEventStore
    let failNext = Mutex(false)
    let late = Mutex<[StoredEvent]>([])
    init(path: String) throws { base = try SQLiteEventStore(path: path) }

    func append(_ events: [StoredEvent]) async throws(StoreError) -> [Appended] {
      if failNext.withLock({ f in
        defer { f = false }; return f
      }) {
        late.withLock { $0 = events }
        throw StoreError("the deadline passed")
      }
      return try await base.append(events)
    }
    func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
      let read = try await base.events(after: sequence, limit: limit)
      let landing = late.withLock { l in
        defer { l = [] }; return l
      }
      if !landing.isEmpty { _ = try await base.append(landing) }
      return read
    }
    func count() async throws(StoreError) -> Int { try await base.count() }
  }

  static func event(_ i: Int) -> StoredEvent {
    let time = String(format: "2024-01-01T00:00:%02dZ", i)
    let json =
      #"{"eventTime":"\#(time)","eventType":"COMPLETE","run":{"runId":"r\#(i)"},"job":{"namespace":"n","name":"j\#(i)"},"outputs":[{"namespace":"n","name":"out\#(i)"}]}"#
    return StoredEvent(sequence: 0, body: Array(json.utf8), kind: "RunEvent", eventTime: time)
  }

  @Test func anEventCommittedByAFailedAppendIsTakenWhenItsRetryFindsItStored() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try CommitsThenFails(path: dir + "/events.db")
    let state = try await LineageState(store: store)
    #expect(try await state.ingest([Self.event(1)]) == 1)
    store.failNext.withLock { $0 = true }
    await #expect(throws: StoreError.self) { try await state.ingest([Self.event(2)]) }
    // Events of other producers arrive before the client retries.
    #expect(try await state.ingest([Self.event(3), Self.event(4)]) == 2)
    // The retry: the store already has the event (nothing new), and the graph must too.
    #expect(try await state.ingest([Self.event(2)]) == 0)
    #expect(await state.eventCount == 4)
    let graph = try await state.model().graph
    let ids = (0..<graph.nodeCount).map { graph.id(Int32($0)) }
    for i in 1...4 { #expect(ids.contains("n:out\(i)"), "out\(i) is not in the graph: \(ids)") }
    // Read back once: a later append does not take the same events again.
    #expect(try await state.ingest([Self.event(5)]) == 1)
    #expect(await state.eventCount == 5)
  }

  @Test func anEventCommittedAfterTheReadBackIsTakenWhenItsRetryFindsItStored() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try CommitsLate(path: dir + "/events.db")
    let state = try await LineageState(store: store)
    #expect(try await state.ingest([Self.event(1)]) == 1)
    store.failNext.withLock { $0 = true }
    await #expect(throws: StoreError.self) { try await state.ingest([Self.event(2)]) }
    // The next append succeeds; its read-back misses event 2, which lands just after.
    #expect(try await state.ingest([Self.event(3)]) == 1)
    #expect(try await store.count() == 3)
    // The retry finds event 2 stored (nothing new), and the graph must have it.
    #expect(try await state.ingest([Self.event(2)]) == 0)
    #expect(await state.eventCount == 3)
    let graph = try await state.model().graph
    let ids = (0..<graph.nodeCount).map { graph.id(Int32($0)) }
    for i in 1...3 { #expect(ids.contains("n:out\(i)"), "out\(i) is not in the graph: \(ids)") }
  }

  /// Event `i` of a chain: job i reads out(i-1) and writes out(i) with a schema that
  /// names its version; at second `second`.
  static func chained(_ i: Int, second: Int, version: Int = 0) -> StoredEvent {
    let time = String(format: "2024-01-01T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
    let input = i > 0 ? #"{"namespace":"n","name":"out\#(i - 1)"}"# : ""
    let json =
      #"{"eventTime":"\#(time)","eventType":"COMPLETE","run":{"runId":"00000000-0000-4000-8000-\#(String(format: "%012d", i * 10 + version))"},"job":{"namespace":"n","name":"j\#(i)"},"inputs":[\#(input)],"outputs":[{"namespace":"n","name":"out\#(i)","facets":{"schema":{"fields":[{"name":"v\#(version)","type":"INT"}]}}}],"producer":"p","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"}"#
    return StoredEvent(sequence: 0, body: Array(json.utf8), kind: "RunEvent", eventTime: time)
  }

  /// Events that arrive later than many events after them in time (a producer's retry)
  /// end as they would in time order, and are read by going back to a mark of the
  /// kept stream, not by reading every event again; so are the graphs asked between.
  /// With marks every 256 events, 64 kept (the server's), and every 32, 24 kept (the
  /// oldest marks are forgotten, and the events read before them with them).
  /// The third case keeps the places of only the newest 100 events in memory: the rest
  /// are read from the index file.
  @Test(arguments: [(256, 64, 32_768), (32, 24, 32_768), (32, 24, 100)])
  func eventsArrivingLateAreReadFromAMarkAndEndAsInTimeOrder(markEvery: Int, marksKept: Int, recent: Int)
    async throws
  {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let state = try await LineageState(store: try SQLiteEventStore(path: dir + "/events.db"))
    await state.useMarks(every: markEvery, kept: marksKept)
    await state.useSpill(EventSpill(recentKept: recent))
    // 3,000 events, one a second; every 150th is held back 700 events (more than wait
    // unread), and each of those has a later twin that wrote another schema, which
    // must stay the latest.
    let count = 3_000
    var arrival: [(event: StoredEvent, second: Int)] = []
    var held: [(due: Int, event: StoredEvent, second: Int)] = []
    for i in 0..<count {
      if i % 150 == 75 {
        held.append((i + 700, Self.chained(i, second: i, version: 1), i))
        arrival.append((Self.chained(i, second: i + 1, version: 2), i + 1))
      } else {
        arrival.append((Self.chained(i, second: i), i))
      }
      while let h = held.first, h.due <= i {
        arrival.append((h.event, h.second))
        held.removeFirst()
      }
    }
    arrival += held.map { ($0.event, $0.second) }
    var taken: [(event: StoredEvent, second: Int)] = []
    for (n, a) in arrival.enumerated() {
      #expect(try await state.ingest([a.event]) == 1)
      taken.append(a)
      guard n % 500 == 499 || n == arrival.count - 1 else { continue }
      // The graph asked now is the graph of the events so far, read in time order.
      let inOrder = taken.enumerated().sorted { ($0.element.second, $0.offset) < ($1.element.second, $1.offset) }
      let expected = OpenLineageImporter().load(
        documents: inOrder.map {
          OpenLineageDocument(bytes: $0.element.event.body, label: "event at \($0.element.event.eventTime ?? "")")
        })
      let model = try await state.model()
      #expect(model.mesh.nodes == expected.0.nodes)
      #expect(model.loadFindings == expected.1)
    }
    let model = try await state.model()
    #expect(model.graph.nodeCount == count)
    #expect(model.mesh.nodes.first { $0.id == "n:out75" }?.schema.map(\.name) == ["v2"])
    #expect(await state.rewinds > 0)
    #expect(await state.rereads == 0)
  }

  /// A question after new events brings the model of the question before up to date
  /// (both kinds: jobs as nodes or not), and gets the model built whole: events that
  /// add datasets and jobs, runs again that change a schema, and late events.
  @Test func aQuestionAfterNewEventsBringsTheModelBeforeUpToDate() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let state = try await LineageState(store: try SQLiteEventStore(path: dir + "/events.db"))
    var questions = 0
    for i in 0..<240 {
      var events = [Self.chained(i, second: 10 * i)]
      // Now and then a job runs again with another schema, or an event comes late.
      if i % 7 == 3 { events.append(Self.chained(i - 2, second: 10 * i + 1, version: i)) }
      if i % 11 == 5 { events.append(Self.chained(1_000 + i, second: 10 * i - 25)) }
      for e in events { #expect(try await state.ingest([e]) == 1) }
      guard i % 3 == 0 else { continue }
      for jobs in [false, true] {
        let model = try await state.model(jobs: jobs)
        let whole = LineageModel(mesh: model.mesh, loadFindings: model.loadFindings, source: model.source)
        #expect(model.graph.ids.strings == whole.graph.ids.strings)
        #expect(model.graph.forward == whole.graph.forward && model.graph.reverse == whole.graph.reverse)
        #expect(model.findings == whole.findings)
        #expect(model.columns.node == whole.columns.node && model.columns.forward == whole.columns.forward)
        questions += 1
      }
    }
    let builds = await state.modelBuilds
    #expect(builds.whole + builds.updates == questions)
    // Built whole: the first of each kind, and after a late event read from a mark.
    #expect(builds.updates > 3 * builds.whole, "\(builds)")
  }

  /// With declared inputs (`--mesh`), the merge of the declared mesh and the events is
  /// brought up to date too: a declared node that events also name, one that reads an
  /// event's dataset, and declared-only ones.
  @Test func aModelMergedWithDeclaredInputsIsBroughtUpToDate() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var mesh = Mesh(name: "declared")
    mesh.teams = [Team(id: "finance")]
    mesh.nodes = [
      MeshNode(id: "n:out3", kind: .product, owner: "finance", schema: [Column(name: "v0")]),
      MeshNode(
        id: "report", kind: .consumer, owner: "finance", inputs: [Input(product: "n:out5", columns: ["v0"])]),
      MeshNode(id: "alone", kind: .product, owner: "finance"),
    ]
    let declared = LineageModel(mesh: mesh, loadFindings: [], source: "mesh directory m")
    let state = try await LineageState(
      store: try SQLiteEventStore(path: dir + "/events.db"),
      declared: LineageState.Declared(model: declared, reload: { declared }))
    var questions = 0
    var taken: [StoredEvent] = []
    for i in 0..<60 {
      taken.append(Self.chained(i, second: 10 * i))
      #expect(try await state.ingest([taken[taken.count - 1]]) == 1)
      if i % 5 == 4 {
        taken.append(Self.chained(i - 3, second: 10 * i + 1, version: i))
        #expect(try await state.ingest([taken[taken.count - 1]]) == 1)
      }
      guard i % 2 == 0 else { continue }
      let model = try await state.model()
      // The merge, brought up to date or made whole, is the merge of the declared mesh
      // with the events' mesh made whole.
      let (observed, observedFindings) = Self.expected(taken)
      let merged = Mesh.merging([
        Mesh.Part(mesh: mesh, source: "mesh directory m"), Mesh.Part(mesh: observed, source: LineageState.eventsSource),
      ])
      #expect(model.mesh.nodes == merged.mesh.nodes && model.mesh.teams == merged.mesh.teams)
      #expect(model.loadFindings == observedFindings + merged.findings)
      let whole = LineageModel(mesh: model.mesh, loadFindings: model.loadFindings, source: model.source)
      #expect(model.graph.ids.strings == whole.graph.ids.strings)
      #expect(model.graph.forward == whole.graph.forward && model.graph.reverse == whole.graph.reverse)
      #expect(model.findings == whole.findings)
      #expect(model.columns.node == whole.columns.node && model.columns.reads == whole.columns.reads)
      #expect(model.mesh.nodes.first?.provenance.count == (i >= 3 ? 2 : 1), "n:out3 merged once events name it")
      questions += 1
    }
    let builds = await state.modelBuilds
    #expect(builds.whole + builds.updates == questions)
    #expect(builds.updates > 3 * builds.whole, "\(builds)")
    #expect(await state.mergeUpdates == builds.updates, "the merges were brought up to date too")
  }

  /// A graph as of a past time is kept while only later events arrive, and read again
  /// when an event at or before that time arrives (late).
  @Test func aGraphAsOfATimeIsKeptUntilAnEventAtOrBeforeItArrives() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let state = try await LineageState(store: try SQLiteEventStore(path: dir + "/events.db"))
    for i in 0..<10 { #expect(try await state.ingest([Self.chained(i, second: i)]) == 1) }
    let asOf = 1_704_067_205.0  // 2024-01-01T00:00:05Z
    let ids = { (m: LineageModel) in (0..<m.graph.nodeCount).map { m.graph.id(Int32($0)) }.sorted() }
    #expect(ids(try await state.model(asOf: asOf)) == (0...5).map { "n:out\($0)" }.sorted())
    #expect(try await state.ingest([Self.chained(20, second: 20)]) == 1)
    #expect(await state.built.keys.contains { $0.asOf == asOf })
    #expect(ids(try await state.model(asOf: asOf)) == (0...5).map { "n:out\($0)" }.sorted())
    // Late: at second 3.
    #expect(try await state.ingest([Self.chained(30, second: 3)]) == 1)
    #expect(await !state.built.keys.contains { $0.asOf == asOf })
    #expect(ids(try await state.model(asOf: asOf)) == ((0...5).map { "n:out\($0)" } + ["n:out29", "n:out30"]).sorted())
  }
}

extension LineageStateTests {
  /// Run `n` of job `n % 10` at second `n`, reading `in(n % 7)` and writing its job's
  /// output (a UUID run id, as producers send).
  static func run(_ n: Int, second: Int? = nil, input: String? = nil) -> StoredEvent {
    let s = second ?? n
    let time = String(format: "2024-01-01T%02d:%02d:%02dZ", s / 3600, s / 60 % 60, s % 60)
    let json =
      #"{"eventTime":"\#(time)","eventType":"COMPLETE","run":{"runId":"00000000-0000-4000-8000-\#(String(format: "%012d", n))"},"job":{"namespace":"n","name":"j\#(n % 10)"},"inputs":[{"namespace":"n","name":"\#(input ?? "in\(n % 7)")"}],"outputs":[{"namespace":"n","name":"out\#(n % 10)"}],"producer":"p","schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"}"#
    return StoredEvent(sequence: 0, body: Array(json.utf8), kind: "RunEvent", eventTime: time)
  }

  static func expected(_ events: [StoredEvent]) -> (Mesh, [Finding]) {
    let inOrder = events.enumerated().sorted {
      ($0.element.eventTime ?? "", $0.offset) < ($1.element.eventTime ?? "", $1.offset)
    }
    return OpenLineageImporter().load(
      documents: inOrder.map {
        OpenLineageDocument(bytes: $0.element.body, label: "event at \($0.element.eventTime ?? "")")
      })
  }

  /// The server's stream folds the runs that can no longer count, so that it keeps a
  /// few runs, not every run received; an event of a folded run (a COMPLETE later than
  /// every run of its job, which makes it the latest with its earlier input) is read by
  /// reading every event again, keeping that run: the present graph and a graph as of a
  /// time are those of the events in time order.
  @Test func runsThatCanNoLongerCountAreFoldedAndAnEventOfOneIsReadInOrder() async throws {
    let dir = NSTemporaryDirectory() + "lineage-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let state = try await LineageState(store: try SQLiteEventStore(path: dir + "/events.db"))
    await state.useMarks(every: 32, kept: 4)
    await state.useSpill(EventSpill(recentKept: 50))
    var taken: [StoredEvent] = []
    for n in 0..<2_000 {
      taken.append(Self.run(n))
      #expect(try await state.ingest([taken[n]]) == 1)
    }
    #expect(try await state.model().mesh.nodes == Self.expected(taken).0.nodes)
    let kept = await state.live?.stream.accumulator.runs.count ?? -1
    let folded = await state.live?.stream.foldedRuns ?? 0
    // Each job's latest, and the runs read since the oldest mark (4 of 32 events).
    #expect(kept >= 10 && kept < 200, "\(kept) runs kept")
    #expect(folded > 1_000, "\(folded) folded")

    let late = Self.run(15, second: 9_000, input: "late")
    taken.append(late)
    #expect(try await state.ingest([late]) == 1)
    let (expected, findings) = Self.expected(taken)
    #expect(expected.nodes.first { $0.id == "n:out5" }?.inputs.map(\.product).sorted() == ["n:in1", "n:late"])
    // As of a time after it, read off the actor (folding as it reads), asked first.
    let asOf = try await state.model(asOf: 1_704_067_200 + 9_500)
    #expect(asOf.mesh.nodes == expected.nodes && asOf.loadFindings == findings)
    let model = try await state.model()
    #expect(model.mesh.nodes == expected.nodes && model.loadFindings == findings)
    #expect(await state.rereads == 1)
    #expect(await state.pinnedRuns == ["00000000-0000-4000-8000-000000000015"])
    // The stream read again folds the rest as before.
    #expect(await state.live?.stream.foldedRuns ?? 0 > 1_000)

    // Three more runs, long folded, get an event each, in separate requests: one
    // reading finds the first, and looks over the events after it for the others.
    let before = await state.readings
    for (n, job) in [(111, 1), (222, 2), (333, 3)] {
      let e = Self.run(n, second: 9_100 + job, input: "late\(job)")
      taken.append(e)
      #expect(try await state.ingest([e]) == 1)
    }
    let (again, againFindings) = Self.expected(taken)
    for job in 1...3 {
      #expect(again.nodes.first { $0.id == "n:out\(job)" }?.inputs.map(\.product).contains("n:late\(job)") == true)
    }
    let present = try await state.model()
    #expect(present.mesh.nodes == again.nodes && present.loadFindings == againFindings)
    // The question's reading meets the first, whose pin makes a reading that meets the
    // second and, looking over what follows, the third: two readings, not three.
    #expect(await state.readings - before == 2)
    #expect(await state.pinnedRuns.count == 4)
    let asOfAgain = try await state.model(asOf: 1_704_067_200 + 9_500)
    #expect(asOfAgain.mesh.nodes == again.nodes && asOfAgain.loadFindings == againFindings)
  }
}

internal import Foundation
public import LineageCore
public import LineageLoaders
internal import NIOConcurrencyHelpers

/// What the server knows: the events received (kept in the store, and their bodies in
/// a file of their own, ``EventSpill``: memory holds a few words per event) and the
/// lineage graph built from them. The present graph is kept up to date as events
/// arrive (``OpenLineageStream``: each event is read once, and a question after new
/// events costs the graph's size, not a reading of every event); a graph as of a past
/// time, or after an event that arrived out of time order, is read from the events
/// kept (their bodies from the spill, one at a time), never from the store.
public actor LineageState {
  let store: any EventStore
  let importer: OpenLineageImporter
  /// Every stored event, in order of arrival (numbered from 0): its body, and its
  /// `eventTime` in seconds since 1970 (-infinity when it has none: it then comes
  /// before every timed event, as the stream reads it). Kept in files, not memory.
  private(set) var spill = EventSpill()
  var lastSequence: Int64 = 0
  /// The sequence numbers of the events in ``spill``: an event read back from the
  /// store (``catchUpFrom``) while its own append was answering is taken once.
  var known = SequenceSet()
  /// Set when an append failed after it may have committed: the last sequence number
  /// read before it, after which the store is read back once an append succeeds.
  var catchUpFrom: Int64?
  /// Graphs built since the last event arrived (as of a time: since the last event at
  /// or before that time arrived): now or as of a time, with or without jobs as nodes
  /// (Marquez's graph has them).
  var built: [Key: LineageModel] = [:]
  /// The present graph's import (both kinds of graph, with and without jobs as
  /// nodes, are made from it); nil when it must be read again from every event.
  var live: Live?
  /// How many events wait at most; past it, the older half joins the stream. Enough
  /// for the skew of concurrent producers (8 producers at 3,000 events a second send
  /// a few events more than 128 late now and then; one later than the events waiting
  /// takes the stream back to a mark); few enough to read again per question (512
  /// events cost about 25 ms, against the graph's build of 200 ms at 20,000 datasets).
  static let pendingLimit = 512

  /// How many events the stream reads between two marks, and how many marks it keeps:
  /// an event that arrives after later events were read goes back to the newest mark
  /// before its time and reads again what came since (its lateness plus at most
  /// `markEvery` events); one later than every mark kept makes every event be read
  /// again. Read-only but in the tests.
  var markEvery = 256
  var marksKept = 64

  /// Sets how often the stream is marked and how many marks it keeps (for the tests).
  func useMarks(every: Int, kept: Int) {
    (markEvery, marksKept) = (every, kept)
  }

  /// Keeps the events in `spill` from now on (for the tests: one that keeps few places
  /// in memory); only before the first event.
  func useSpill(_ spill: EventSpill) {
    precondition(self.spill.count == 0, "the events already kept would be lost")
    self.spill = spill
  }

  /// The import of the present graph: the events read so far, in `eventTime` order,
  /// and the newest events, not yet read. Concurrent producers send events a little
  /// out of time order, so the latest arrivals wait and are read, in time order, when a
  /// question comes, and undone after it (``OpenLineageStream/mesh(reading:jobsAsNodes:)``,
  /// which keeps the mesh it makes for the next question). An event older than the
  /// stream's latest takes the stream back to a mark before it (``settle(_:into:)``).
  struct Live {
    var stream: OpenLineageStream
    var pending: [Int]
    /// The events read into the stream since its oldest mark, in the order read: those
    /// a rewind reads again (`read[0]` is the stream's document number `readBase`).
    var read: [Int] = []
    var readBase = 0
    /// How many were read since the kept meshes were last brought up to date.
    var unrefreshed = 0
  }
  /// Runs that a stream folded away before an event of theirs came (see
  /// ``OpenLineageStream/fold()``): every stream made from now on keeps them.
  var pinnedRuns: Set<String> = []

  /// A new stream for the present graph or a past one, keeping the ``pinnedRuns``.
  static func stream(_ importer: OpenLineageImporter, pinning pinned: Set<String>) -> OpenLineageStream {
    var s = OpenLineageStream(importer: importer)
    s.pinnedRuns = pinned
    return s
  }

  /// Takes note of the runs `stream` refused events of, as it had folded them away.
  func noteLateRuns(of stream: OpenLineageStream) {
    pinnedRuns.formUnion(stream.lateRuns)
  }

  /// How many events are read between two updates of the kept meshes.
  static let refreshEvery = 2_048
  /// The declared lineage (`--mesh` inputs) served beside the events, and how to read
  /// it again when its files change.
  var declared: Declared?
  /// Counts the changes of what the graphs are built from (events arriving, the
  /// declared inputs read again): what was computed from a graph of an older version
  /// (the explorer's data, say) is out of date.
  public private(set) var version: UInt64 = 0

  /// Declared inputs: the model read from them, and each file's size and modification
  /// time when it was read.
  public struct Declared: Sendable {
    /// The model of the declared inputs.
    public var model: LineageModel {
      didSet { mesh = Self.mesh(of: model) }
    }
    /// Reads the inputs again; a model with load errors is not taken.
    public var reload: @Sendable () -> LineageModel?
    var stamps: [String: [Double]] = [:]
    /// The mesh merged with the events' mesh: the model's, or, for inputs without one
    /// (graph JSON), one made from its graph, once rather than per question (100,000
    /// nodes made again for each question took more time than the rest of it).
    private(set) var mesh: Mesh

    /// - Parameters:
    ///   - model: The model of the declared inputs, complete.
    ///   - reload: Reads them again (nil when they cannot be read completely).
    public init(model: LineageModel, reload: @escaping @Sendable () -> LineageModel?) {
      self.model = model
      self.reload = reload
      mesh = Self.mesh(of: model)
      stamps = Self.stamps(model.inputFiles)
    }

    /// The mesh of `model` to merge with the events'.
    static func mesh(of model: LineageModel) -> Mesh {
      model.mesh.nodes.isEmpty && model.graph.nodeCount > 0
        ? Mesh(graph: model.graph, name: model.mesh.name, file: model.inputFiles.first ?? model.source)
        : model.mesh
    }

    static func stamps(_ files: [String]) -> [String: [Double]] {
      var out: [String: [Double]] = [:]
      for f in files {
        let a = try? FileManager.default.attributesOfItem(atPath: f)
        out[f] = [
          (a?[.size] as? NSNumber)?.doubleValue ?? -1,
          (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1,
        ]
      }
      return out
    }
  }

  struct Key: Hashable {
    var asOf: Double?
    var jobs: Bool
  }

  /// Reads every stored event back (the replay on start), into the present graph's
  /// import.
  ///
  /// - Parameters:
  ///   - store: Where events are kept.
  ///   - importer: How events become lineage (history, jobs as nodes).
  ///   - declared: The declared lineage served beside the events, if any.
  /// - Throws: ``StoreError`` when the store cannot be read.
  public init(
    store: any EventStore, importer: OpenLineageImporter = OpenLineageImporter(), declared: Declared? = nil
  ) async throws(StoreError) {
    // Concurrent producers' events are written in one transaction where one does.
    self.store = GroupCommit(store)
    self.importer = importer
    self.declared = declared
    // The events are read into the present graph's import as they come, a page at a
    // time (memory holds a page of bodies, not every event).
    live = Live(stream: Self.stream(importer, pinning: []), pending: [])
    var after: Int64 = 0
    while true {
      let page = try await store.events(after: after, limit: Self.replayPage)
      guard let last = page.last else { break }
      add(page)
      after = last.sequence
    }
    // The mesh of the server's kind made once now, so that questions only patch it.
    live?.stream.refreshKept(adding: [importer.jobsAsNodes])
  }

  /// How many stored events the replay on start reads at a time.
  static let replayPage = 1_000

  /// Reads the declared inputs again when one of their files changed (size or
  /// modification time); a reading with load errors keeps the previous model, so a
  /// half-saved file never replaces a good declaration.
  ///
  /// - Returns: Whether the declaration changed.
  @discardableResult
  public func refreshDeclared() -> Bool {
    guard let d = declared, Declared.stamps(Array(d.stamps.keys)) != d.stamps else { return false }
    guard let model = d.reload() else { return false }
    declared = Declared(model: model, reload: d.reload)
    built.removeAll()
    // A model merged with the declaration before is no base for one merged with this.
    bases.removeAll()
    declaredReadings += 1
    version &+= 1
    return true
  }

  /// The number of events kept.
  public var eventCount: Int { spill.count }

  /// Stores `events` durably, then makes them part of the graph.
  ///
  /// - Parameter events: Checked events, in order of arrival.
  /// - Returns: How many were new (an identical event already stored is not stored again).
  /// - Throws: ``StoreError`` when the store cannot take them. They may have been
  ///   stored all the same (a failure during the commit): the next append that
  ///   succeeds reads them back, and a retry finds them stored and takes them.
  public func ingest(_ events: [StoredEvent]) async throws(StoreError) -> Int {
    let mark = lastSequence
    let appended: [Appended]
    do {
      appended = try await store.append(events)
    } catch {
      // The append may have committed before it failed (a connection lost during
      // the commit, a deadline passed): its events would then be stored but not
      // here, and the client's retry would find them stored. The next append that
      // succeeds reads back what was stored after `mark`.
      catchUpFrom = min(catchUpFrom ?? mark, mark)
      throw error
    }
    // Events already stored are taken too: one a failed append committed late (after
    // the read-back below) is taken when its retry finds it; known ones are skipped.
    add(appended.map(\.event))
    if let from = catchUpFrom {
      catchUpFrom = nil
      do {
        add(try await store.events(after: from))
      } catch {
        catchUpFrom = min(catchUpFrom ?? from, from)
      }
    }
    return appended.count { $0.isNew }
  }

  func add(_ events: [StoredEvent]) {
    var earliest = Double.infinity
    for e in events where known.insert(e.sequence) {
      // Named by its time, not its arrival, so that the same events give the same
      // answers (and findings) in whatever order they came.
      let label = e.eventTime.map { "event at \($0)" } ?? "event \(e.sequence)"
      let time = e.eventTime.flatMap(OpenLineageImporter.seconds(since1970:)) ?? -Double.infinity
      spill.keep(OpenLineageDocument(bytes: e.body, label: label), time: time)
      earliest = min(earliest, time)
      lastSequence = max(lastSequence, e.sequence)
      live?.pending.append(spill.count - 1)
    }
    guard earliest < Double.infinity else { return }
    if var l = live, l.pending.count > Self.pendingLimit {
      live = nil
      // An index or a spill that cannot be read back leaves no stream: the next
      // question reports it.
      let ordered = try? timeOrder(l.pending)
      l.pending = ordered ?? []
      let settled = l.pending.prefix(l.pending.count - Self.pendingLimit / 2)
      l.pending.removeFirst(settled.count)
      let read = ordered != nil && (try? settle(Array(settled), into: &l)) == true
      noteLateRuns(of: l.stream)
      if read {
        // The kept meshes follow the events read, a couple of thousand at a time (a
        // node changed by several of them is remade once), so that a question never
        // patches more than that, nor makes a mesh whole after many events.
        l.unrefreshed += settled.count
        if l.unrefreshed >= Self.refreshEvery {
          l.stream.refreshKept()
          l.unrefreshed = 0
        }
        live = l
      }
    }
    // A graph as of a time before every new event is what it was: it is kept.
    built = built.filter { key, _ in key.asOf.map { earliest > $0 } ?? false }
    version &+= 1
  }

  /// A mesh handed out by the present graph's stream: with how it came from the one
  /// handed out before it (of the same kind), and the numbers of both (``handOuts``).
  struct HandedMesh {
    var mesh: Mesh
    var findings: [Finding]
    /// The update from mesh number `from`; nil when the mesh was made whole.
    var update: (change: MeshUpdate, from: UInt64)?
    var number: UInt64
  }

  /// Meshes handed out by the present graph's stream, counted: the number of the last
  /// of each kind (jobs as nodes or not), which the next one's update is from. A new
  /// stream forgets them.
  var handOuts: UInt64 = 0
  var lastHanded: [Bool: UInt64] = [:]
  /// The base of the last model built from a handed-out mesh of each kind, by the
  /// mesh's number (with where its nodes landed in the merge with the declared
  /// inputs): the next model of that kind is brought up to date from it.
  var bases: [Bool: (number: UInt64, base: LineageModel.Base, merge: MergePlaces?)] = [:]
  /// How many present models were built whole and how many brought up to date.
  public private(set) var modelBuilds: (whole: Int, updates: Int) = (0, 0)

  /// Counts a mesh handed out by the present graph's stream.
  func handed(_ made: (mesh: Mesh, findings: [Finding], update: MeshUpdate?), jobs: Bool) -> HandedMesh {
    handOuts &+= 1
    let from = lastHanded[jobs]
    lastHanded[jobs] = handOuts
    let update = made.update.flatMap { u in from.map { (u, $0) } }
    return HandedMesh(mesh: made.mesh, findings: made.findings, update: update, number: handOuts)
  }

  /// Keeps `model`'s base for the next update of its kind, unless a newer one is kept.
  func keepBase(of model: LineageModel, merge: MergePlaces?, number: UInt64, jobs: Bool) {
    guard let base = model.base else { return }
    if let kept = bases[jobs], kept.number >= number { return }
    // The base it replaces is released here and now: one kept alive longer (freed on a
    // background task) shares storage the next update would change in place, which
    // then copies it (a question after a new event at 40,000 datasets took 40 ms
    // rather than 17).
    bases[jobs] = (number, base, merge)
  }

  /// The mesh of every event received, from the kept stream or, when there is none,
  /// from reading them all (in eventTime order) into a new one; with how it came from
  /// the mesh the stream handed out before it.
  func observedUpdate(jobs: Bool) throws(StoreError) -> HandedMesh {
    // Taken out while it changes, so that its kept mesh is patched in place.
    if var l = live, l.stream.documentCount + l.pending.count == spill.count {
      live = nil
      var waiting = try timeOrder(l.pending)
      var readable = true
      // A waiting event older than the latest read is read now, going back to a mark.
      if let first = waiting.first, try spill.place(first).time < l.stream.latest {
        readable = try settle(waiting, into: &l)
        (l.pending, waiting) = ([], [])
      }
      if readable, let made = l.stream.meshUpdate(reading: try documents(waiting), jobsAsNodes: jobs) {
        live = l
        return handed(made, jobs: jobs)
      }
      noteLateRuns(of: l.stream)
    }
    rereads += 1
    // Read every event again, in time order: all but the newest into the kept stream,
    // the newest as waiting events.
    let all = try timeOrder(asOf: nil)
    let (made, kept) = try read(
      all.indices, places: all.places, importer: importer, waiting: min(all.indices.count, Self.pendingLimit / 2),
      jobs: jobs)
    live = kept
    // A new stream: what the old one handed out is no base for its meshes.
    lastHanded.removeAll()
    return handed((made.0, made.1, nil), jobs: jobs)
  }

  /// Reads `events` (in time order) into the stream, marking it every ``markEvery``
  /// events. When the first is older than the latest read, the stream goes back to
  /// the newest mark at or before its time and reads what it had read since together
  /// with `events`, in time order.
  ///
  /// - Returns: False when the stream cannot read them (an event older than every
  ///   mark, a symlink that renames a dataset read before): it must be made again.
  func settle(_ events: [Int], places given: ArraySlice<EventSpill.Place>? = nil, into l: inout Live)
    throws(StoreError) -> Bool
  {
    var order = events
    // The places given (those of `events`, in order) serve unless the order changes.
    var places = given.map { Array($0) }
    func place(_ k: Int, _ i: Int) throws(StoreError) -> EventSpill.Place {
      if let places { return places[k] }
      return try spill.place(i)
    }
    if let first = order.first, case let t = try place(0, first).time, t < l.stream.latest {
      places = nil
      guard let m = l.stream.marks.lastIndex(where: { $0.latest <= t }) else { return false }
      let since = l.stream.marks[m].documents - l.readBase
      order = try timeOrder(Array(l.read[since...]) + order)
      l.read.removeLast(l.read.count - since)
      l.stream.rewind(toMark: m)
      rewinds += 1
    }
    for (k, i) in order.enumerated() {
      if l.stream.documentCount - (l.stream.marks.last?.documents ?? -markEvery) >= markEvery {
        l.stream.mark()
        if l.stream.marks.count > marksKept {
          l.stream.forgetOldestMark()
          // What was read before the oldest mark is never read again from here.
          let oldest = l.stream.marks[0].documents
          l.read.removeFirst(oldest - l.readBase)
          l.readBase = oldest
        }
      }
      let p = try place(k, i)
      guard l.stream.append(try spill.document(p), time: p.time) else { return false }
      l.read.append(i)
    }
    return true
  }

  /// How many times a late event took the present graph's stream back to a mark, and
  /// how many times every event was read again (for the tests).
  var rewinds = 0
  var rereads = 0
  /// How many readings of every event into a new stream were made (a reread may take
  /// several, each keeping runs the one before folded too early).
  var readings = 0

  /// The events at `indices` with their times, their bodies read back from the spill.
  func documents(_ indices: [Int]) throws(StoreError) -> [(document: OpenLineageDocument, time: Double?)] {
    var out: [(document: OpenLineageDocument, time: Double?)] = []
    out.reserveCapacity(indices.count)
    for i in indices {
      let p = try spill.place(i)
      out.append((try spill.document(p), p.time))
    }
    return out
  }

  /// The mesh of the events at `order`, read one body at a time into a stream (marked
  /// as it reads, ``settle(_:into:)``), the last `waiting` of them as waiting events;
  /// with that stream, to keep (nil when a symlink renames a dataset read before it:
  /// then they are read all at once).
  func read(
    _ order: [Int], places: [EventSpill.Place], importer: OpenLineageImporter, waiting: Int, jobs: Bool
  ) throws(StoreError) -> (made: (Mesh, [Finding]), live: Live?) {
    // A run folded away before an event of its came is kept in the next reading, for as
    // long as readings find more such runs (each finds one at least); then all at once.
    while true {
      readings += 1
      var l = Live(stream: Self.stream(importer, pinning: pinnedRuns), pending: [])
      let head = order.count - waiting
      let settled = try settle(Array(order[..<head]), places: places[..<head], into: &l)
      l.pending = Array(order.suffix(waiting))
      if settled, let made = l.stream.mesh(reading: try documents(l.pending), jobsAsNodes: jobs) {
        return (made, l)
      }
      // The events after the refused one, looked over for more runs folded too early.
      for p in places[min(l.stream.documentCount + 1, places.count)...] {
        l.stream.noteFoldedRuns(in: try spill.document(p))
      }
      if l.stream.lateRuns.isSubset(of: pinnedRuns) { break }
      noteLateRuns(of: l.stream)
    }
    return (try Self.readAllAtOnce(places, spill: spill, importer: importer, jobs: jobs), nil)
  }

  /// The mesh of `events` (in time order), their bodies read one at a time from
  /// `spill` into a stream that is not kept (all at once when a symlink renames a
  /// dataset read before it). Reads no state of the actor: a graph as of a past time
  /// is read off it. The stream folds its runs every `foldEvery` events, keeping the
  /// `pinned` ones; when it meets an event of a run it folded, the events are read
  /// again keeping that run too.
  static func read(
    _ events: [EventSpill.Place], spill: EventSpill, importer: OpenLineageImporter,
    jobs: Bool, pinning pinned: inout Set<String>, marks: (every: Int, kept: Int)
  ) throws(StoreError) -> (Mesh, [Finding]) {
    while true {
      var stream = Self.stream(importer, pinning: pinned)
      // Read once and dropped: its folded runs' hashes are kept in memory, not a file.
      stream.foldInMemory()
      var read = 0
      for e in events {
        guard stream.append(try spill.document(e), time: e.time) else { break }
        read += 1
        // Folded as the present graph's stream folds (that stream keeps the runs of
        // the events since its oldest mark), so that both meet the same late events;
        // once per that many events (each fold looks over the runs it spares).
        let spared = marks.every * marks.kept
        if read % spared == 0 { stream.fold(sparing: spared) }
      }
      if read == events.count, let made = stream.mesh(reading: [], jobsAsNodes: jobs) { return made }
      // The events after the refused one, looked over for more runs folded too early;
      // read again keeping them, for as long as readings find more (each finds one).
      for e in events[min(read + 1, events.count)...] { stream.noteFoldedRuns(in: try spill.document(e)) }
      if stream.lateRuns.isSubset(of: pinned) { break }
      pinned.formUnion(stream.lateRuns)
    }
    return try readAllAtOnce(events, spill: spill, importer: importer, jobs: jobs)
  }

  /// The mesh of the events at `places`, read all at once (what a stream cannot read
  /// one at a time: a symlink that renames a dataset read before it).
  static func readAllAtOnce(
    _ places: [EventSpill.Place], spill: EventSpill, importer: OpenLineageImporter, jobs: Bool
  ) throws(StoreError) -> (Mesh, [Finding]) {
    var importer = importer
    importer.jobsAsNodes = jobs
    var documents: [OpenLineageDocument] = []
    documents.reserveCapacity(places.count)
    for p in places { documents.append(try spill.document(p)) }
    return importer.load(documents: documents)
  }

  /// The events' numbers and places in order of `eventTime` (arrival order among equal
  /// times; no time first), those after `asOf` left out.
  ///
  /// - Throws: ``StoreError`` when the index cannot be read back.
  func timeOrder(asOf: Double?) throws(StoreError) -> (indices: [Int], places: [EventSpill.Place]) {
    let all = try spill.allPlaces()
    var order = Array(all.indices)
    if let asOf { order.removeAll { all[$0].time > asOf } }
    order.sort { a, b in all[a].time != all[b].time ? all[a].time < all[b].time : a < b }
    return (order, order.map { all[$0] })
  }

  /// `indices` in order of `eventTime`, arrival order (the index) among equal times.
  ///
  /// - Throws: ``StoreError`` when the index cannot be read back.
  func timeOrder(_ indices: [Int]) throws(StoreError) -> [Int] {
    let times = try spill.places(indices).map(\.time)
    var order = Array(indices.indices)
    order.sort { a, b in
      times[a] != times[b] ? times[a] < times[b] : indices[a] < indices[b]
    }
    return order.map { indices[$0] }
  }

  /// The lineage of every event received, or of those whose `eventTime` is at or
  /// before `asOf`.
  ///
  /// - Parameters:
  ///   - asOf: Seconds since 1970; nil for now.
  ///   - jobs: Keep jobs as nodes between their inputs and outputs (as Marquez's
  ///     graph has them), whatever the server's importer says.
  /// - Returns: The model, built from the events kept (the store is not read),
  ///   and kept until the next event arrives.
  /// - Throws: ``StoreError`` when the events' bodies cannot be read back (see
  ///   ``EventSpill``).
  public func model(asOf: Double? = nil, jobs: Bool? = nil) async throws(StoreError) -> LineageModel {
    try await versioned(asOf: asOf, jobs: jobs).model
  }

  /// The model of ``model(asOf:jobs:)`` with the ``version`` it belongs to, read
  /// together (so what is computed from the model can be kept until the version changes).
  ///
  /// The mesh is made here (it reads the kept stream); the model, most of the cost, is
  /// built off the actor, so that events keep arriving meanwhile. A question that
  /// finds the same model being built waits for it instead of building it again.
  ///
  /// - Parameters:
  ///   - asOf: Seconds since 1970; nil for now.
  ///   - jobs: Keep jobs as nodes, whatever the server's importer says.
  /// - Returns: The model and the version it is of: every event taken before the
  ///   question is in it (events taken while it is built are not, and make a newer
  ///   version).
  /// - Throws: ``StoreError`` when the events' bodies cannot be read back.
  public func versioned(asOf: Double? = nil, jobs: Bool? = nil) async throws(StoreError) -> (
    model: LineageModel, version: UInt64
  ) {
    refreshDeclared()
    let key = Key(asOf: asOf, jobs: jobs ?? importer.jobsAsNodes)
    // One build of a model at a time: a build of an older version is waited for (its
    // model lacks events this question must see), then this version is built once.
    while let b = building[key] {
      if b.version == version { return (try await b.task.value.get().model, b.version) }
      let waited = await b.task.value
      // Its base is kept now, not when its own question resumes: this build may be
      // its update.
      if let n = b.number, case .success(let m) = waited {
        keepBase(of: m.model, merge: m.merge, number: n, jobs: key.jobs)
      }
      if building[key]?.version == b.version { building[key] = nil }
    }
    let v = version
    if let model = built[key] { return (model, v) }
    // Events are read in the order of their `eventTime` (arrival order among equal
    // times): events that arrived out of order end as they would have in order.
    let declared = declared
    let task: Task<Result<Made, StoreError>, Never>
    var number: UInt64?
    var found: NIOLockedValueBox<Set<String>>?
    if let asOf {
      // Every event up to then is read again: off the actor too.
      let events = try timeOrder(asOf: asOf).places
      // The runs it finds it folded too early are kept by every stream from then on.
      let (spill, importer, marks) = (spill, importer, (markEvery, marksKept))
      let pins = NIOLockedValueBox(pinnedRuns)
      found = pins
      task = Task.detached {
        Result { () throws(StoreError) in
          var pinned = pins.withLockedValue { $0 }
          defer { pins.withLockedValue { $0 = pinned } }
          let (observed, findings) = try Self.read(
            events, spill: spill, importer: importer, jobs: key.jobs, pinning: &pinned, marks: marks)
          var none: MergePlaces?
          return Self.model(observed: observed, findings: findings, declared: declared, merge: &none, keep: false)
        }
      }
    } else {
      let made = try observedUpdate(jobs: key.jobs)
      number = made.number
      // The model of the mesh handed out before is brought up to date (when it is the
      // one whose base is kept), merged with the declared inputs or not.
      let reading = declaredReadings
      let fits = made.update.map { u in
        bases[key.jobs].map { $0.number == u.from && ($0.merge?.reading ?? reading) == reading } ?? false
      }
      let base = fits == true ? bases[key.jobs]?.base : nil
      // The merge kept goes to the build, held nowhere else (held here too, its nodes
      // would be copied rather than patched in place); the build's result keeps the next.
      let handoff = NIOLockedValueBox<MergePlaces?>(nil)
      if fits == true {
        handoff.withLockedValue { $0 = bases[key.jobs]?.merge }
        bases[key.jobs]?.merge?.kept = nil
      }
      let change = made.update?.change
      task = Task.detached {
        var merge = handoff.withLockedValue { $0.take() }
        var result = Self.model(
          observed: made.mesh, findings: made.findings, declared: declared, base: base, change: change,
          merge: &merge)
        result.merge?.reading = reading
        return .success(result)
      }
    }
    building[key] = (v, task, number)
    let made = await task.value
    if building[key]?.version == v { building[key] = nil }
    if let found { pinnedRuns.formUnion(found.withLockedValue { $0 }) }
    let (model, merge) = try made.get()
    if merge?.updated == true { mergeUpdates += 1 }
    if let number {
      if model.isUpdate { modelBuilds.updates += 1 } else { modelBuilds.whole += 1 }
      keepBase(of: model, merge: merge, number: number, jobs: key.jobs)
    }
    if version == v {
      if built.count >= 8 { built.removeAll() }
      built[key] = model
    }
    return (model, v)
  }

  /// Models being built off the actor, by what they are of, with the version they are of
  /// and the number of the handed-out mesh they are built from (nil: as of a time).
  var building: [Key: (version: UInt64, task: Task<Result<Made, StoreError>, Never>, number: UInt64?)] = [:]

  /// A model built off the actor, and, merged with the declared inputs, where the
  /// events' nodes landed in the merge (for the next update).
  typealias Made = (model: LineageModel, merge: MergePlaces?)

  /// Where the events' nodes landed in a merge with the declared inputs, which made
  /// `firstCount` nodes of their own, `count` in all.
  struct MergePlaces: Sendable {
    var places: [Int32]
    var firstCount: Int
    var count: Int
    /// Which reading of the declared inputs it was merged with (``declaredReadings``).
    var reading = 0
    /// The merge itself, to bring up to date for the next model (nil once taken, or
    /// when the events' mesh repeats an id).
    var kept: Mesh.KeptMerge?
    /// Whether this merge was brought up to date from the one before, not made whole.
    var updated = false
  }

  /// How many merges with the declared inputs were brought up to date (not made whole).
  var mergeUpdates = 0

  /// How many times the declared inputs were read again since the start.
  var declaredReadings = 0

  /// What a model of the events alone is of, for reports.
  static let eventsSource = "OpenLineage events received by the server"

  /// The model of the observed mesh, merged with the declared model when there is one
  /// (with provenance, as the command line merges inputs): brought up to date from
  /// `base` when `change` (how the observed mesh came from the one `base` is of) says
  /// how, built whole otherwise.
  ///
  /// - Parameters:
  ///   - observed: The mesh of the events.
  ///   - findings: The findings of reading them.
  ///   - declared: The declared inputs, if any.
  ///   - base: The base of the model of the observed mesh before (merged the same way).
  ///   - change: How the observed mesh came from the one before.
  ///   - merge: Where the observed nodes before landed in their merge, and the merge
  ///     itself, taken from it to be brought up to date (so that nothing else holds it
  ///     but the model built from it, if that is still alive).
  ///   - keep: Keep the merge for the next model (not for a graph as of a time).
  /// - Returns: The model, and where the observed nodes landed in the merge.
  static func model(
    observed: Mesh, findings: [Finding], declared: Declared?, base: LineageModel.Base? = nil,
    change: MeshUpdate? = nil, merge: inout MergePlaces?, keep: Bool = true
  ) -> Made {
    let source = eventsSource
    guard let given = declared else {
      return (LineageModel(updating: base, mesh: observed, change: change, loadFindings: findings, source: source), nil)
    }
    let (declared, mesh) = (given.model, given.mesh)
    // The merge kept from the model before, brought up to date with the events' change
    // (only the nodes it touched are merged again), or made whole.
    let parts = [Mesh.Part(mesh: mesh, source: declared.source), Mesh.Part(mesh: observed, source: source)]
    var kept = merge?.kept.take() ?? nil
    var updated = false
    if let c = change, var k = kept.take(), k.update(second: observed, change: c) {
      (kept, updated) = (k, true)
    } else if keep {
      kept = Mesh.KeptMerge(first: parts[0], second: parts[1])
    }
    let merged =
      kept.map { (mesh: $0.mesh, findings: $0.findings, places: [[], $0.places]) } ?? Mesh.mergingWithPlaces(parts)
    let firstCount = kept?.firstCount ?? Int(merged.places[0].max() ?? -1) + 1
    var now = MergePlaces(places: merged.places[1], firstCount: firstCount, count: merged.mesh.nodes.count)
    // The merge's update, from the observed mesh's: the declared nodes stay where they
    // are, unchanged unless events merged into one changed.
    let mergedChange = change.flatMap { c in
      merge.flatMap { before in
        before.firstCount == now.firstCount
          ? MeshUpdate.ofMerge(
            firstCount: now.firstCount, previousPlaces: before.places, places: now.places,
            previousCount: before.count, count: now.count, change: c) : nil
      }
    }
    var m = LineageModel(
      updating: base, mesh: merged.mesh, change: mergedChange,
      loadFindings: declared.loadFindings + findings + merged.findings, source: "\(declared.source) and \(source)")
    m.inputFiles = declared.inputFiles
    (now.kept, now.updated) = (kept, updated)
    return (m, now)
  }

}

public import LineageCore

/// OpenLineage events held in memory, one JSON document each, as the lineage server
/// receives and stores them (files go through ``OpenLineageImporter/load(files:)``).
public struct OpenLineageDocument: Sendable, Equatable {
  /// The event's JSON, as received.
  public var bytes: [UInt8]
  /// What provenance and findings call the event's origin (for example "event 17").
  public var label: String

  /// - Parameters:
  ///   - bytes: One event's JSON.
  ///   - label: The event's name in findings and provenance.
  public init(bytes: [UInt8], label: String) {
    self.bytes = bytes
    self.label = label
  }
}

/// Whether one event can be taken, as an HTTP endpoint answers it.
public enum OpenLineageEventCheck: Sendable, Equatable {
  /// A well-formed event of this kind: `RunEvent`, `DatasetEvent` or `JobEvent`.
  case accepted(kind: String, eventTime: String?)
  /// Not JSON, JSON that is not an event, or an event with a field of the wrong type
  /// or value: the message names the field (or the place) and what is wrong.
  case malformed(String)
  /// A well-formed event missing a field the spec requires: the message names it.
  case incomplete(String)
}

extension OpenLineageImporter {
  /// Checks one event as the importer would read it: JSON (nesting bounded), an
  /// object of a known kind, and every field the importer reads of the type the spec
  /// gives it, with the fields it requires present.
  ///
  /// - Parameter bytes: One event's JSON.
  /// - Returns: Accepted with its kind, or why not.
  /// - Complexity: O(n) in the size of the event.
  public static func check(event bytes: [UInt8]) -> OpenLineageEventCheck {
    let value: JSONValue
    do {
      value = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in
        try JSONParser.parse(p, skipping: ["query", "sourceCode"])
      }
    } catch {
      return .malformed("invalid JSON at line \(error.line), column \(error.column): \(error.message)")
    }
    guard value.object != nil else { return .malformed("an event must be a JSON object, got \(value.typeName)") }
    let kind: String
    switch OpenLineageShape.kind(of: value) {
    case .run: kind = "RunEvent"
    case .dataset: kind = "DatasetEvent"
    case .job: kind = "JobEvent"
    case .none:
      return .malformed("an object with neither \"run\", \"dataset\" nor \"job\" is not an OpenLineage event")
    }
    if let problem = OpenLineageShape.check(value).first {
      // A required field that is absent is the checker's missing-field rule
      // (invalid-event); a wrong type or value has rules of its own.
      return problem.rule == "invalid-event" ? .incomplete(problem.message) : .malformed(problem.message)
    }
    return .accepted(kind: kind, eventTime: value["eventTime"]?.string)
  }

  /// Seconds since 1970 of an OpenLineage `eventTime` (ISO 8601, with or without a
  /// zone offset), or nil when it is not one.
  ///
  /// - Parameter time: The date-time text.
  /// - Returns: The instant, or nil.
  public static func seconds(since1970 time: String) -> Double? { instant(time) }

  /// Reads events held in memory into a mesh, as ``load(files:)`` reads files: each
  /// document is one event (an array is taken element by element), in the given order.
  ///
  /// - Parameter documents: The events, oldest first.
  /// - Returns: The mesh of the events and the findings on them; a document that is not
  ///   JSON is an `invalid-json` error finding naming its label, and the rest are read.
  /// - Complexity: O(n log n) in the total size of the events.
  public func load(documents: [OpenLineageDocument]) -> (Mesh, [Finding]) {
    var events: [Event] = []
    var findings: [Finding] = []
    for d in documents { Self.events(of: d, into: &events, findings: &findings) }
    return build(events, findings: findings)
  }

  /// The events of one document, numbered on from `events.count`; a document that is
  /// not JSON is an `invalid-json` finding instead.
  static func events(of d: OpenLineageDocument, into events: inout [Event], findings: inout [Finding]) {
    let values: [(value: JSONValue, line: Int)]
    do {
      values = try d.bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in
        try JSONParser.parseSequence(p, skipping: ["query", "sourceCode", "_producer", "_schemaURL"])
      }
    } catch {
      findings.append(
        Finding(
          rule: "invalid-json", severity: .error, message: "\(d.label): invalid JSON: \(error.message)",
          location: SourceLocation(file: d.label, line: error.line, column: error.column)))
      return
    }
    for (v, line) in values {
      for item in v.array ?? [v] {
        events.append(Event(value: item, file: d.label, line: line, index: events.count, number: 1))
      }
    }
  }
}

/// Events read as they arrive, one document at a time, into the state of an import
/// that is kept between them: the mesh of everything read so far costs the size of
/// the graph to make, not a new reading of every event.
///
/// Reading in arrival order gives exactly what ``OpenLineageImporter/load(documents:)``
/// gives for the same documents in the same order, as long as each document comes in
/// the order `load` would read it (its `eventTime` is not earlier than the latest read)
/// and names no dataset by a `symlinks` alias of one read before. A document that
/// breaks either, or that has an event of a run the stream folded away (``fold()``),
/// is refused (``append(_:time:)`` returns false) and nothing of it is read: the caller
/// reads everything again, with `load` or a new stream that keeps those runs
/// (``pinnedRuns``).
///
/// ``mesh(reading:)`` keeps the mesh it makes: the next one remakes only the nodes that
/// the documents read since changed (datasets they name, the outputs of jobs whose runs
/// they change, datasets whose column lineage names a changed one) and patches the
/// rest in place.
public struct OpenLineageStream: Sendable {
  var accumulator: OpenLineageImporter.Accumulator
  /// Every event read, for numbering (the tie-breaker among equal times).
  var eventCount = 0
  /// Findings of reading: invalid JSON, then the events' shapes, as `load` orders them.
  var parseFindings: [Finding] = []
  var shapeFindings: [Finding] = []
  /// The mesh last made by ``mesh(reading:jobsAsNodes:)`` of each kind (jobs as
  /// nodes or not), kept for the next one of that kind, with what the documents read
  /// since it was made changed (besides ``OpenLineageImporter/Accumulator/touched``,
  /// which every kind has yet to take).
  var kept: [Bool: (mesh: OpenLineageImporter.KeptMesh?, dirty: OpenLineageImporter.Touched)] = [:]
  /// The latest `eventTime` read, in seconds since 1970 (-infinity for none).
  public private(set) var latest = -Double.infinity
  /// The number of documents read.
  public private(set) var documentCount = 0
  /// The marks ``rewind(toMark:)`` can return to, oldest first (see ``mark()``).
  public private(set) var marks: [Mark] = []
  /// Runs never to fold away (see ``fold()``), by their key: runs for which an event
  /// came after they were folded, in a stream before this one.
  public var pinnedRuns: Set<String> = []
  /// Runs for which ``append(_:time:)`` refused an event because they had been folded
  /// away: the caller reads every event again into a new stream, with these among its
  /// ``pinnedRuns``.
  public private(set) var lateRuns: Set<String> = []
  /// How many runs were folded away since the stream began.
  public private(set) var foldedRuns = 0

  /// A state of the stream that it can return to: what it had read then.
  public struct Mark: Sendable, Equatable {
    /// The number of documents read.
    public var documents: Int
    /// The latest `eventTime` read (-infinity for none).
    public var latest: Double
    var events: Int
    var parsed: Int
    var shaped: Int
  }

  /// A stream that has read nothing.
  ///
  /// - Parameter importer: How events become lineage (history, jobs as nodes).
  public init(importer: OpenLineageImporter) {
    accumulator = OpenLineageImporter.Accumulator(importer: importer, findings: [])
    accumulator.tracking = true
  }

  /// Reads one more document.
  ///
  /// - Parameters:
  ///   - document: The event (or an array of events).
  ///   - time: Its `eventTime` in seconds since 1970, nil when it has none (it then
  ///     comes before every timed event, as the server orders them).
  /// - Returns: False, reading nothing, when the document cannot be read in order
  ///   (earlier than the latest read, a new alias for a dataset already read, or an
  ///   event of a run folded away: see ``lateRuns``).
  public mutating func append(_ document: OpenLineageDocument, time: Double?) -> Bool {
    let t = time ?? -Double.infinity
    guard t >= latest else { return false }
    var events: [OpenLineageImporter.Event] = []
    var findings: [Finding] = []
    OpenLineageImporter.events(of: document, into: &events, findings: &findings)
    for k in events.indices { events[k].index += eventCount }
    // An event of a run folded away would change what is no longer here.
    let late = foldedRuns(of: events)
    guard late.isEmpty else {
      lateRuns.formUnion(late)
      return false
    }
    // A symlink that renames a dataset already read would change what was read.
    var renames = false
    var seen: [String: String] = [:]
    for e in events {
      OpenLineageImporter.Accumulator.eachDataset(e) { d in
        guard let id = OpenLineageImporter.datasetID(d) else { return }
        for s in d["facets"]?["symlinks"]?["identifiers"]?.array ?? [] {
          guard let other = OpenLineageImporter.datasetID(s), other != id else { continue }
          if accumulator.alias[other] == nil, seen[other] == nil {
            seen[other] = id
            if accumulator.datasets[other] != nil { renames = true }
          }
        }
      }
    }
    guard !renames else { return false }
    parseFindings += findings
    for e in events { shapeFindings += OpenLineageImporter.Accumulator.shapeFindings(e) }
    accumulator.collectAliases(events)
    for e in events { accumulator.read(e) }
    eventCount += events.count
    documentCount += 1
    latest = t
    return true
  }

  /// The keys of the runs folded away that `events` (numbered as this stream would read
  /// them) have events of.
  func foldedRuns(of events: [OpenLineageImporter.Event]) -> Set<String> {
    guard !accumulator.folded.isEmpty else { return [] }
    var out = Set<String>()
    for e in events where OpenLineageShape.kind(of: e.value) == .run {
      guard let job = OpenLineageImporter.jobID(e.value["job"]) else { continue }
      let key = OpenLineageImporter.Accumulator.runKey(e, job: job).key
      if accumulator.isFolded(key) { out.insert(key) }
    }
    return out
  }

  /// Notes, in ``lateRuns``, the runs folded away that `document` has events of, without
  /// reading it: after a refusal, the documents that would have come next are looked
  /// over so that one reading finds every run it folded too early.
  public mutating func noteFoldedRuns(in document: OpenLineageDocument) {
    guard !accumulator.folded.isEmpty else { return }
    var events: [OpenLineageImporter.Event] = []
    var findings: [Finding] = []
    OpenLineageImporter.events(of: document, into: &events, findings: &findings)
    // (A run without an id is keyed by its event's number, which is not this one's
    // here: such a key matches no run, and keeping it keeps nothing.)
    lateRuns.formUnion(foldedRuns(of: events))
  }

  /// Marks the present state, so that ``rewind(toMark:)`` can return to it: an event
  /// that arrives later than events after it in time is then read by going back to a
  /// mark before its time and reading again only what came since, not every event.
  ///
  /// From the first mark on, the stream notes the value each entry had before a
  /// document changed it: memory grows with the documents read since the oldest mark
  /// kept (``forgetOldestMark()`` bounds it).
  public mutating func mark() {
    accumulator.beginUndo()
    marks.append(
      Mark(
        documents: documentCount, latest: latest, events: eventCount, parsed: parseFindings.count,
        shaped: shapeFindings.count))
  }

  /// Forgets the oldest mark (and what was noted to return to it), and folds away the
  /// runs that can no longer count (see ``fold()``).
  public mutating func forgetOldestMark() {
    guard !marks.isEmpty else { return }
    marks.removeFirst()
    accumulator.forgetOldestLevel()
    fold()
  }

  /// Folds away the runs that can no longer count, so that the stream's memory follows
  /// its graph, not the number of runs read: with `history: latest`, each run that
  /// ended (COMPLETE, FAIL or ABORT), is not its job's latest completed run, and was
  /// last changed before the oldest mark (by any event read, without marks), except the
  /// ``pinnedRuns``. A word per run is kept, to know an event of one later: such an
  /// event is refused (``append(_:time:)``, ``lateRuns``), as it cannot be read in order.
  ///
  /// ``forgetOldestMark()`` folds; a stream without marks folds when this is called.
  /// Nothing changes with `history: cumulative`, where every completed run counts.
  ///
  /// - Complexity: O(the runs read before the oldest mark that are still kept).
  public mutating func fold() {
    foldedRuns += accumulator.foldRuns(before: marks.first?.events ?? eventCount, keeping: pinnedRuns)
  }

  /// Keeps the hashes of the runs this stream folds in memory rather than in a file: for
  /// a stream read once and dropped (a graph as of a past time), where the file's reads
  /// and writes cost more than the memory they save. Call it before the first fold.
  public mutating func foldInMemory() {
    guard accumulator.folded.isEmpty else { return }
    accumulator.folded = FoldedRuns(inMemory: true)
  }

  /// ``fold()`` for a stream without marks, sparing the runs changed by the latest
  /// `recent` events: those a stream marked as the server marks it would keep too, so
  /// that both fold the same runs and meet the same late events.
  ///
  /// - Parameter recent: How many of the latest events' runs are kept.
  public mutating func fold(sparing recent: Int) {
    guard marks.isEmpty else { return fold() }
    foldedRuns += accumulator.foldRuns(before: max(0, eventCount - recent), keeping: pinnedRuns)
  }

  /// Returns to the state of mark `index`: the documents read since are undone (read
  /// them again, with whatever came late, in time order). Later marks are forgotten;
  /// this one stays. The meshes kept for ``mesh(reading:jobsAsNodes:)`` stay: what was
  /// undone is noted as changed, so the next one remakes only that.
  ///
  /// - Parameter index: An index of ``marks``.
  /// - Complexity: O(the changes noted since the mark).
  public mutating func rewind(toMark index: Int) {
    let m = marks[index]
    accumulator.rollBack(toLevel: index, noting: true)
    marks.removeLast(marks.count - index - 1)
    (documentCount, latest, eventCount) = (m.documents, m.latest, m.events)
    parseFindings.removeLast(parseFindings.count - m.parsed)
    shapeFindings.removeLast(shapeFindings.count - m.shaped)
  }

  /// The mesh of every document read, and the findings on them.
  ///
  /// - Complexity: O(the graph's size), whatever the number of events.
  public func mesh() -> (Mesh, [Finding]) {
    var none: OpenLineageImporter.KeptMesh?
    return made(keeping: &none, dirty: OpenLineageImporter.Touched())
  }

  /// The mesh of every document read and of `more` after them, as ``mesh()`` gives it
  /// for a copy of the stream that read `more` too; afterwards the stream is as if it
  /// had not read them (they are read, then undone). The mesh is kept: the next call
  /// for the same kind remakes only what the documents read since (here and in `more`
  /// of this call) changed, not the whole graph.
  ///
  /// Both kinds of mesh, with jobs as nodes and without, are made from the one reading
  /// of the documents: each keeps its own mesh.
  ///
  /// - Parameters:
  ///   - more: Documents to read after those read, each with its time (see
  ///     ``append(_:time:)``).
  ///   - jobsAsNodes: Make the mesh with jobs as nodes between their inputs and
  ///     outputs; nil for what the stream's importer says.
  /// - Returns: The mesh and the findings, or nil when one of `more` cannot be read
  ///   in order (see ``append(_:time:)``).
  /// - Complexity: O(the events and nodes that changed), plus the findings' order.
  public mutating func mesh(
    reading more: [(document: OpenLineageDocument, time: Double?)], jobsAsNodes: Bool? = nil
  ) -> (Mesh, [Finding])? {
    made(reading: more, jobsAsNodes: jobsAsNodes, handOut: true).map { ($0.mesh, $0.findings) }
  }

  /// ``mesh(reading:jobsAsNodes:)`` with how the mesh came from the one of the same
  /// kind that the last call of either handed out: which nodes are that mesh's,
  /// unchanged, and where they were. A model of that mesh is brought up to date with it
  /// (``LineageModel/init(updating:mesh:change:loadFindings:source:)``).
  ///
  /// - Parameters:
  ///   - more: Documents to read after those read, each with its time.
  ///   - jobsAsNodes: Make the mesh with jobs as nodes; nil for what the importer says.
  /// - Returns: The mesh, the findings and the update from the mesh handed out last
  ///   (nil when none of this kind was, or the mesh was made whole since), or nil
  ///   when one of `more` cannot be read in order.
  public mutating func meshUpdate(
    reading more: [(document: OpenLineageDocument, time: Double?)], jobsAsNodes: Bool? = nil
  ) -> (mesh: Mesh, findings: [Finding], update: MeshUpdate?)? {
    made(reading: more, jobsAsNodes: jobsAsNodes, handOut: true)
  }

  /// The mesh of ``mesh(reading:jobsAsNodes:)``; `handOut` when the caller takes it
  /// (the next update is then from it).
  mutating func made(
    reading more: [(document: OpenLineageDocument, time: Double?)], jobsAsNodes: Bool?, handOut: Bool
  ) -> (mesh: Mesh, findings: [Finding], update: MeshUpdate?)? {
    let jobs = jobsAsNodes ?? accumulator.importer.jobsAsNodes
    // What was read since the last mesh of any kind is out of date in every kept mesh.
    let fresh = accumulator.touched
    accumulator.touched = OpenLineageImporter.Touched()
    for k in kept.keys { kept[k]?.dirty.formUnion(fresh) }
    var (keptMesh, dirty) = kept.removeValue(forKey: jobs) ?? (nil, OpenLineageImporter.Touched())
    // `more` is read here, then undone: cheaper than reading it on a copy (which
    // copies every dataset and run).
    let (events, documents, latest, parsed, shaped) =
      (eventCount, documentCount, self.latest, parseFindings.count, shapeFindings.count)
    accumulator.beginUndo()
    var made: (mesh: Mesh, findings: [Finding], update: MeshUpdate?)?
    if more.allSatisfy({ append($0.document, time: $0.time) }) {
      let branch = accumulator.touched
      var all = dirty
      all.formUnion(branch)
      let (mesh, findings) = self.made(keeping: &keptMesh, dirty: all, jobsAsNodes: jobs)
      keptMesh?.stale = branch
      made = (mesh, findings, handOut ? keptMesh?.handOut() : nil)
      dirty = OpenLineageImporter.Touched()
    }
    // What `more` changed is undone with it.
    accumulator.touched = OpenLineageImporter.Touched()
    accumulator.rollBack()
    (eventCount, documentCount, self.latest) = (events, documents, latest)
    parseFindings.removeLast(parseFindings.count - parsed)
    shapeFindings.removeLast(shapeFindings.count - shaped)
    kept[jobs] = (keptMesh, dirty)
    return made
  }

  /// Brings each kept mesh (each kind a question has asked for) up to date with the
  /// documents read, remaking only what they changed: the next question then remakes
  /// only what is read after. The stream keeps the meshes, not the caller.
  ///
  /// - Parameter kinds: Kinds to keep from now on even if no question asked for them
  ///   (jobs as nodes or not); a kind not kept yet is made whole once.
  public mutating func refreshKept(adding kinds: [Bool] = []) {
    for k in Set(kept.keys).union(kinds).sorted(by: { !$0 && $1 }) {
      _ = made(reading: [], jobsAsNodes: k, handOut: false)
    }
  }

  /// The mesh, made again where `kept` is out of date (all of it when nil).
  func made(
    keeping kept: inout OpenLineageImporter.KeptMesh?, dirty: OpenLineageImporter.Touched, jobsAsNodes: Bool? = nil
  ) -> (Mesh, [Finding]) {
    var a = accumulator
    if let jobsAsNodes { a.importer.jobsAsNodes = jobsAsNodes }
    a.findings = parseFindings + shapeFindings + a.findings
    a.reportMissingFields()
    a.reportNonUUIDRuns()
    return a.mesh(keeping: &kept, dirty: dirty)
  }
}

/// A request body of OpenLineage events, cut into one document per event.
public enum OpenLineageBody: Sendable, Equatable {
  /// The events' JSON texts; `isArray` when the body was a JSON array of them.
  case events([[UInt8]], isArray: Bool)
  /// Not a JSON object or array: why.
  case malformed(String)
}

extension OpenLineageImporter {
  /// Cuts a body into its events without parsing them (``JSONScanner`` skips each value,
  /// iteratively): a JSON array is cut into its elements, anything else is one event.
  /// Each part is checked later by ``check(event:)``.
  ///
  /// - Parameter bytes: The body.
  /// - Returns: The events, or why the body is not an object or an array of values.
  /// - Complexity: O(n) in the body's size.
  public static func split(events bytes: [UInt8]) -> OpenLineageBody {
    bytes.withUnsafeBufferPointer { p in
      var s = JSONScanner(p)
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { s.pos = 3 }
      switch s.peek() {
      case .end: return .malformed("the body is empty; send one OpenLineage event or an array")
      case .objectStart: return .events([Array(p[s.pos...])], isArray: false)
      case .arrayStart: break
      default: return .malformed("the body must be a JSON object (one event) or an array of events")
      }
      s.pos += 1
      var parts: [[UInt8]] = []
      do throws(JSONScanner.Failure) {
        if !s.isEmpty(close: UInt8(ascii: "]")) {
          repeat {
            s.skipSpace()
            let start = s.pos
            try s.skipValue()
            parts.append(Array(p[start..<s.pos]))
          } while try s.next(close: UInt8(ascii: "]"), what: "the array of events")
        }
        guard s.peek() == .end else { return .malformed("text after the array of events") }
      } catch {
        let (line, column) = s.lineColumn(error.offset)
        return .malformed("invalid JSON at line \(line), column \(column): \(error.message)")
      }
      return .events(parts, isArray: true)
    }
  }
}

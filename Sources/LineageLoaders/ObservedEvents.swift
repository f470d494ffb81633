internal import Dispatch
internal import Foundation
public import LineageCore
internal import Yams

/// Streams OpenLineage event files into an ``ObservedLineage`` summary for ``Drift``:
/// one file at a time (memory-mapped), one event at a time, each folded into per-job
/// last-seen reads and writes and per-dataset schemas, then dropped. Memory is bounded
/// by the datasets and jobs the events name, not by the number of events.
///
/// Files are read as ``OpenLineageImporter`` reads them: a JSON array of events, one
/// event, or one event per line; a directory is every `.json`, `.jsonl` and `.ndjson`
/// file below it that holds events. Most events are read by ``FastEvent`` straight from
/// the bytes; any event it cannot vouch for is parsed and checked with the importer's
/// shape checks, so a field of the wrong type is a load error located at its event, as
/// the importer reports it. A JSON syntax error is a load error that stops reading its file.
///
/// A large file of one event per line is read in stretches on every core, each
/// stretch starting at a line; a stretch's summary is merged into the file's in file
/// order, so the result is the one a single reading gives (the first sight of each
/// dataset and job, and the latest event of each pair, ties going to the one read
/// last). A file whose stretches do not meet exactly at event boundaries (a line break
/// inside an event) is read again in one piece. While reading, an event is kept as its
/// time and place (file and byte offset) only; the text of the events that end up as
/// evidence, and their lines and columns, are read back at the end.
public enum ObservedEvents {
  /// Keys whose values are never needed: skipped without being built.
  static let skipped: Set<String> = [
    "query", "sourceCode", "_producer", "_schemaURL", "columnLineage", "sql", "producer", "schemaURL",
  ]

  /// Files at least this large are read in stretches, one per core.
  static let stretchMinimum = 4 << 20

  /// Reads the events of every path.
  ///
  /// - Parameters:
  ///   - paths: Event files or directories of them.
  ///   - until: Seconds since 1970: events after it are left out (checked, not
  ///     counted); nil reads them all.
  /// - Returns: The summary, and the findings on the events (load errors among them).
  /// - Throws: ``LoadError`` when a path does not exist.
  /// - Complexity: O(n) in the total size of the files.
  public static func read(paths: [String], until: Double? = nil) throws(LoadError) -> (ObservedLineage, [Finding]) {
    var findings: [Finding] = []
    var files: [String] = []
    for path in paths {
      guard FileManager.default.fileExists(atPath: path) else {
        throw LoadError(message: "\(path): no such file or directory", hint: "check the path of the events")
      }
      let found = OpenLineageImporter.files(at: path)
      if found.isEmpty {
        findings.append(
          Finding(
            rule: .emptyInput, severity: .warning, message: "\(path) holds no OpenLineage event files",
            location: SourceLocation(file: path)))
      }
      files += found
    }
    var summary = Summary()
    for (i, file) in files.enumerated() {
      let mapped = try MappedFile(file)
      withExtendedLifetime(mapped) {
        readSource(mapped.bytes, source: i, label: file, until: until, into: &summary, stretches: true)
      }
    }
    var failure: LoadError?
    let (observed, found) = summary.observed(until: until, labels: files) { i, body in
      do throws(LoadError) {
        let mapped = try MappedFile(files[i])
        withExtendedLifetime(mapped) { body(mapped.bytes) }
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
    findings += found
    if let none = nothing(observed, findings, in: paths.joined(separator: ", "), until: until, read: summary.events) {
      findings.append(
        Finding(
          rule: .loadError, severity: .error, message: none, location: paths.first.map { SourceLocation(file: $0) },
          hint: "give a file or directory of OpenLineage events (JSON arrays, one event, or one per line)"))
    }
    return (observed, findings)
  }

  /// The message of the load error for a reading with nothing to compare the mesh
  /// with (no event, or none at or before `until`); nil when there is something, or
  /// when a load error already says why.
  static func nothing(_ observed: ObservedLineage, _ findings: [Finding], in what: String, until: Double?, read: Int)
    -> String?
  {
    guard observed.runEvents == 0, observed.datasets.isEmpty, !findings.contains(where: \.isLoadError) else {
      return nil
    }
    if read > 0, let until {
      return
        "no OpenLineage event in \(what) is at or before \(Drift.timestamp(until)): nothing to compare the mesh with"
    }
    return "no OpenLineage events in \(what): nothing to compare the mesh with"
  }

  /// Reads events held in memory (as the server keeps them), in the given order: each
  /// document is read as a file is, its label standing for the file's path.
  ///
  /// - Parameters:
  ///   - documents: The events.
  ///   - until: Seconds since 1970: events after it are left out; nil reads them all.
  /// - Returns: The summary, and the findings on the events.
  /// - Complexity: O(n) in the total size of the documents.
  public static func read(documents: [OpenLineageDocument], until: Double? = nil) -> (ObservedLineage, [Finding]) {
    read(count: documents.count, until: until) { documents[$0] }
  }

  /// ``read(documents:until:)`` with each document fetched when it is read (twice at
  /// most: once for the summary, again for the few that hold evidence), so that only
  /// one is in memory at a time.
  ///
  /// - Parameters:
  ///   - count: How many documents.
  ///   - until: Leave out events after this time.
  ///   - document: The document at an index in `0..<count`.
  /// - Returns: The observed lineage and the findings of reading.
  /// - Throws: What `document` throws.
  public static func read<E: Error>(
    count: Int, until: Double? = nil, document: (Int) throws(E) -> OpenLineageDocument
  ) throws(E) -> (ObservedLineage, [Finding]) {
    var summary = Summary()
    var labels: [String] = []
    labels.reserveCapacity(count)
    for i in 0..<count {
      let d = try document(i)
      labels.append(d.label)
      d.bytes.withUnsafeBufferPointer {
        readSource($0, source: i, label: d.label, until: until, into: &summary, stretches: false)
      }
    }
    var failure: E?
    var (observed, findings) = summary.observed(until: until, labels: labels) { i, body in
      guard failure == nil else { return }
      do throws(E) {
        try document(i).bytes.withUnsafeBufferPointer { body($0) }
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
    if let none = nothing(observed, findings, in: "the events received", until: until, read: summary.events) {
      findings.append(Finding(rule: .loadError, severity: .error, message: none))
    }
    return (observed, findings)
  }

  /// Reads one file's (or document's) events into the summary: in stretches on every
  /// core when it is large and the stretches meet at event boundaries, else in one piece.
  static func readSource(
    _ bytes: UnsafeBufferPointer<UInt8>, source: Int, label: String, until: Double?, into summary: inout Summary,
    stretches: Bool
  ) {
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var bounds = [start]
    let cores = ProcessInfo.processInfo.activeProcessorCount
    // Stretches of one event per line: each starts at a line that starts with '{'.
    if stretches, cores > 1, bytes.count >= stretchMinimum, bytes[start] == UInt8(ascii: "{") {
      for k in 1..<cores {
        var p = bytes.count / cores * k
        while p < bytes.count, bytes[p] != 10 || p + 1 >= bytes.count || bytes[p + 1] != UInt8(ascii: "{") {
          p += 1
        }
        p += 1
        if p < bytes.count, p > bounds[bounds.count - 1] { bounds.append(p) }
      }
    }
    bounds.append(bytes.count)
    var parts: [Part]
    if bounds.count > 2 {
      let shared = SharedBytes(bytes: bytes)
      let count = bounds.count - 1
      let cuts = bounds
      var results = [Part?](repeating: nil, count: count)
      results.withUnsafeMutableBufferPointer { out in
        let slots = SharedParts(parts: out)
        DispatchQueue.concurrentPerform(iterations: count) { k in
          slots.parts[k] = Part.read(shared.bytes, from: cuts[k], to: cuts[k + 1], source: source, until: until)
        }
      }
      parts = results.map { $0 ?? Part() }
      // Each stretch must end exactly where the next begins, after whole events.
      let joined = (0..<count - 1).allSatisfy { parts[$0].failure == nil && parts[$0].end == bounds[$0 + 1] }
      if !joined { parts = [Part.read(bytes, from: start, to: bytes.count, source: source, until: until)] }
    } else {
      parts = [Part.read(bytes, from: start, to: bytes.count, source: source, until: until)]
    }
    var events = 0
    var cursor = LineCursor(bytes)
    for p in parts {
      summary.merge(p)
      // The problems of events the shape checks refused, numbered in the file.
      for problem in p.problems {
        let (line, column) = cursor.advance(to: Stamp.offset(problem.place))
        summary.findings.append(
          Finding(
            rule: problem.problem.rule, severity: .error,
            message: "event \(problem.number + events): " + problem.problem.message,
            location: SourceLocation(file: label, line: line, column: column), hint: problem.problem.hint))
      }
      events += p.events
    }
    summary.events += events
    if let failure = parts.last?.failure {
      let (line, column) = JSONScanner(bytes).lineColumn(failure.offset)
      summary.findings.append(
        Finding(
          rule: .invalidJson, severity: .error, message: "invalid JSON: \(failure.message)",
          location: SourceLocation(file: label, line: line, column: column),
          hint: "OpenLineage input is a JSON array of events, one event, or one event per line"))
      return
    }
    if events == 0 {
      summary.findings.append(
        Finding(
          rule: .emptyInput, severity: .warning, message: "\(label) holds no events",
          location: SourceLocation(file: label)))
    }
  }

  /// The bytes of a source, shared by the threads that read its stretches (read only).
  struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
  }

  /// Where each thread puts its stretch's summary (each its own slot).
  struct SharedParts: @unchecked Sendable {
    let parts: UnsafeMutableBufferPointer<Part?>
  }
}

/// When and where an event is: its time (seconds since 1970; -∞ without one) and its
/// place, `source << 40 | byte offset`, which grows in reading order.
struct Stamp {
  var time: Double
  var place: UInt64

  /// The source (file or document) index of a place.
  static func source(_ place: UInt64) -> Int { Int(place >> 40) }
  /// The byte offset of a place.
  static func offset(_ place: UInt64) -> Int { Int(place & 0xFF_FFFF_FFFF) }
}

/// The summary of a stretch of events, as ``ObservedLineage`` summarises them but with
/// each event kept as a ``Stamp`` (no text): the datasets and jobs by first sight, the
/// latest event of each job-dataset pair, each dataset's latest schema.
struct Part {
  /// Datasets as `NAMESPACE:NAME`, by first sight.
  var datasets = Interner()
  /// The byte length of each dataset's namespace (the id splits after it).
  var namespaceLength: [Int32] = []
  /// Where each dataset was first named.
  var firstSeen: [UInt64] = []
  var aliases: [Int32: [String]] = [:]
  var schemas: [Int32: Schema] = [:]
  /// Jobs as `NAMESPACE:NAME`, by first sight in a run event.
  var jobs = Interner()
  /// The latest read and write of each pair, keyed by job << 32 | dataset.
  var reads: [UInt64: Stamp] = [:]
  var writes: [UInt64: Stamp] = [:]
  var runEvents = 0
  /// The first of the latest events.
  var latest: Stamp?
  /// Events read (numbered from 1 in their file).
  var events = 0
  /// Problems of events the shape checks refused, numbered in the stretch.
  var problems: [Problem] = []
  /// The JSON syntax error that stopped the reading, if any.
  var failure: JSONScanner.Failure?
  /// Where the reading stopped.
  var end = 0
  var buffer: [UInt8] = []

  struct Schema {
    var columns: [ObservedLineage.Column]
    var stamp: Stamp
  }

  struct Problem {
    var place: UInt64
    var number: Int
    var problem: OpenLineageShape.Problem
  }

  /// Reads the events of `bytes[from..<to]`, stopping after the event or array that
  /// reaches `to` (or at the first JSON syntax error).
  static func read(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, source: Int, until: Double?) -> Part {
    var part = Part()
    var s = JSONScanner(bytes)
    s.pos = from
    var fast = FastEvent()
    let base = UInt64(source) << 40
    do throws(JSONScanner.Failure) {
      while true {
        s.skipSpace()
        guard s.pos < to else { break }
        if s.peek() == .arrayStart {
          s.pos += 1
          if !s.isEmpty(close: UInt8(ascii: "]")) {
            repeat {
              try part.event(&s, &fast, base: base, until: until)
            } while try s.next(close: UInt8(ascii: "]"), what: "an array")
          }
        } else {
          try part.event(&s, &fast, base: base, until: until)
        }
      }
    } catch {
      part.failure = error
    }
    part.end = s.pos
    return part
  }

  /// Reads one event: by the fast path when it can vouch for it, else parsed and checked.
  mutating func event(_ s: inout JSONScanner, _ fast: inout FastEvent, base: UInt64, until: Double?)
    throws(JSONScanner.Failure)
  {
    s.skipSpace()
    let start = s.pos
    events += 1
    let place = base | UInt64(start)
    if fast.read(&s) {
      fast.fold(into: &self, place: place, until: until)
      return
    }
    s.pos = start
    let value = try JSONParser.value(&s, skip: ObservedEvents.skipped)
    fold(value, place: place, until: until)
  }

  /// The index of a dataset, added on first sight.
  mutating func dataset(
    namespace: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>, place: UInt64
  ) -> Int32 {
    var b = buffer
    buffer = []
    b.removeAll(keepingCapacity: true)
    b.append(contentsOf: namespace)
    b.append(UInt8(ascii: ":"))
    b.append(contentsOf: name)
    let before = datasets.count
    let i = b.withUnsafeBufferPointer { datasets.intern(bytes: $0) }
    buffer = b
    if datasets.count > before {
      namespaceLength.append(Int32(namespace.count))
      firstSeen.append(place)
    }
    return i
  }

  mutating func dataset(namespace: String, name: String, place: UInt64) -> Int32 {
    var ns = namespace, n = name
    return ns.withUTF8 { a in n.withUTF8 { b in dataset(namespace: a, name: b, place: place) } }
  }

  mutating func alias(_ d: Int32, _ alias: String) {
    if alias != datasets[d], !(aliases[d]?.contains(alias) ?? false) { aliases[d, default: []].append(alias) }
  }

  mutating func schema(_ d: Int32, _ columns: [ObservedLineage.Column], _ stamp: Stamp) {
    if let old = schemas[d], old.stamp.time > stamp.time { return }
    schemas[d] = Schema(columns: columns, stamp: stamp)
  }

  /// Keeps the later of two events of a pair (the one read last among equal times).
  static func keep(_ table: inout [UInt64: Stamp], _ key: UInt64, _ stamp: Stamp) {
    if let old = table[key], old.time > stamp.time { return }
    table[key] = stamp
  }

  static func key(_ job: Int32, _ dataset: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: job)) << 32 | UInt64(UInt32(bitPattern: dataset))
  }

  mutating func note(_ stamp: Stamp) {
    if latest.map({ stamp.time > $0.time }) ?? true { latest = stamp }
  }

  /// Folds in a parsed event, as the fast path folds the events it reads.
  mutating func fold(_ e: JSONValue, place: UInt64, until: Double?) {
    let found = OpenLineageShape.check(e)
    if !found.isEmpty {
      for p in found { problems.append(Problem(place: place, number: events, problem: p)) }
      return
    }
    let time = OpenLineageImporter.instant(e["eventTime"]?.string ?? "") ?? -Double.infinity
    if let until, time > until { return }
    let stamp = Stamp(time: time, place: place)
    func datasets(_ list: [JSONValue]?) -> [Int32] {
      var out: [Int32] = []
      for d in list ?? [] {
        guard let ns = d["namespace"]?.string, let name = d["name"]?.string else { continue }
        let i = dataset(namespace: ns, name: name, place: place)
        out.append(i)
        guard let facets = d["facets"]?.object else { continue }
        for id in facets["symlinks"]?["identifiers"]?.array ?? [] {
          if let a = OpenLineageImporter.datasetID(id) { alias(i, a) }
        }
        if let schema = facets["schema"], schema["_deleted"]?.bool != true, let fields = schema["fields"]?.array {
          // Nested fields as `parent.child`, as the importer names them (64 levels at most).
          let columns = OpenLineageImporter.columns(fields).map { ObservedLineage.Column(name: $0.name, type: $0.type) }
          self.schema(i, columns, stamp)
        }
      }
      return out
    }
    switch OpenLineageShape.kind(of: e) {
    case .run:
      let inputs = datasets(e["inputs"]?.array)
      let outputs = datasets(e["outputs"]?.array)
      runEvents += 1
      note(stamp)
      let j = jobs.intern(OpenLineageImporter.jobID(e["job"]) ?? "")
      for d in inputs { Self.keep(&reads, Self.key(j, d), stamp) }
      for d in outputs { Self.keep(&writes, Self.key(j, d), stamp) }
    case .dataset:
      note(stamp)
      _ = datasets(e["dataset"].map { [$0] })
    case .job:
      // A JobEvent declares a job's lineage; it does not show a run. Its datasets and
      // schemas are observed all the same.
      if time.isFinite { note(stamp) }
      _ = datasets(e["inputs"]?.array)
      _ = datasets(e["outputs"]?.array)
    case .none: break
    }
  }
}

/// The summary of every stretch read so far, merged in reading order, and the findings
/// on the files.
struct Summary {
  var all = Part()
  var findings: [Finding] = []
  /// Events read, in every source.
  var events = 0

  /// Merges the summary of the stretch read after the ones merged so far (its
  /// problems are the caller's).
  mutating func merge(_ p: Part) {
    if all.datasets.count == 0, all.jobs.count == 0, all.runEvents == 0, all.latest == nil {
      all = p
      all.problems = []
      return
    }
    var datasetMap = [Int32](repeating: 0, count: p.datasets.count)
    for i in 0..<p.datasets.count {
      let n = Int(p.namespaceLength[i])
      datasetMap[i] = p.datasets.withBytes(Int32(i)) { b in
        all.dataset(
          namespace: UnsafeBufferPointer(rebasing: b[..<n]), name: UnsafeBufferPointer(rebasing: b[(n + 1)...]),
          place: p.firstSeen[i])
      }
    }
    for (d, list) in p.aliases.sorted(by: { $0.key < $1.key }) {
      for a in list { all.alias(datasetMap[Int(d)], a) }
    }
    for (d, schema) in p.schemas { all.schema(datasetMap[Int(d)], schema.columns, schema.stamp) }
    var jobMap = [Int32](repeating: 0, count: p.jobs.count)
    for i in 0..<p.jobs.count { jobMap[i] = p.jobs.withBytes(Int32(i)) { all.jobs.intern(bytes: $0) } }
    func mapped(_ key: UInt64) -> UInt64 {
      Part.key(jobMap[Int(key >> 32)], datasetMap[Int(key & 0xFFFF_FFFF)])
    }
    for (k, stamp) in p.reads { Part.keep(&all.reads, mapped(k), stamp) }
    for (k, stamp) in p.writes { Part.keep(&all.writes, mapped(k), stamp) }
    all.runEvents += p.runEvents
    if let l = p.latest { all.note(l) }
  }

  /// The summary with its evidence read back: for each place that ends up as evidence,
  /// the event's job, run and `eventTime` as written; for each place that is named, its
  /// line and column.
  ///
  /// - Parameters:
  ///   - until: The time the summary answers as of.
  ///   - labels: Each source's name (its file's path).
  ///   - withSource: Calls its second argument with the bytes of source `i`.
  /// - Returns: The summary and the findings on the sources.
  func observed(
    until: Double?, labels: [String],
    withSource: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
  ) -> (ObservedLineage, [Finding]) {
    var evidencePlaces = Set<UInt64>()
    for s in all.reads.values { evidencePlaces.insert(s.place) }
    for s in all.writes.values { evidencePlaces.insert(s.place) }
    for s in all.schemas.values { evidencePlaces.insert(s.stamp.place) }
    if let l = all.latest { evidencePlaces.insert(l.place) }
    var places = evidencePlaces
    places.formUnion(all.firstSeen)
    var bySource: [Int: [UInt64]] = [:]
    for p in places { bySource[Stamp.source(p), default: []].append(p) }
    var located: [UInt64: SourceLocation] = [:]
    var texts: [UInt64: (job: String, runID: String, eventTime: String)] = [:]
    for source in bySource.keys.sorted() {
      let sorted = bySource[source, default: []].sorted()
      withSource(source) { bytes in
        var cursor = LineCursor(bytes)
        for place in sorted {
          let offset = Stamp.offset(place)
          let (line, column) = cursor.advance(to: offset)
          located[place] = SourceLocation(file: labels[source], line: line, column: column)
          if evidencePlaces.contains(place) { texts[place] = Self.text(bytes, at: offset) }
        }
      }
    }
    func evidence(_ s: Stamp) -> ObservedLineage.Evidence {
      let t = texts[s.place] ?? ("", "", "")
      return ObservedLineage.Evidence(
        job: t.job, runID: t.runID, eventTime: t.eventTime, time: s.time, location: located[s.place])
    }
    var o = ObservedLineage(until: until)
    for i in 0..<all.datasets.count {
      let n = Int(all.namespaceLength[i])
      let (ns, name) = all.datasets.withBytes(Int32(i)) {
        (
          String(decoding: UnsafeBufferPointer(rebasing: $0[..<n]), as: UTF8.self),
          String(decoding: UnsafeBufferPointer(rebasing: $0[(n + 1)...]), as: UTF8.self)
        )
      }
      _ = o.dataset(namespace: ns, name: name, location: located[all.firstSeen[i]])
    }
    for (d, list) in all.aliases.sorted(by: { $0.key < $1.key }) {
      for a in list { o.addAlias(d, a) }
    }
    for (d, schema) in all.schemas.sorted(by: { $0.key < $1.key }) {
      o.observeSchema(d, columns: schema.columns, evidence: evidence(schema.stamp))
    }
    for j in 0..<all.jobs.count { _ = o.job(all.jobs[Int32(j)]) }
    for (k, s) in all.reads {
      o.record(
        job: Int32(bitPattern: UInt32(k >> 32)), dataset: Int32(bitPattern: UInt32(k & 0xFFFF_FFFF)), wrote: false,
        evidence: evidence(s))
    }
    for (k, s) in all.writes {
      o.record(
        job: Int32(bitPattern: UInt32(k >> 32)), dataset: Int32(bitPattern: UInt32(k & 0xFFFF_FFFF)), wrote: true,
        evidence: evidence(s))
    }
    o.countRunEvents(all.runEvents)
    if let l = all.latest { o.note(evidence(l)) }
    return (o, findings)
  }

  /// The job, run id and `eventTime` of the event at `offset`, as the slow path reads them.
  static func text(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (
    job: String, runID: String, eventTime: String
  ) {
    var s = JSONScanner(bytes)
    s.pos = offset
    guard let e = try? JSONParser.value(&s, skip: ObservedEvents.skipped) else { return ("", "", "") }
    let eventTime = e["eventTime"]?.string ?? ""
    switch OpenLineageShape.kind(of: e) {
    case .run: return (OpenLineageImporter.jobID(e["job"]) ?? "", e["run"]?["runId"]?.string ?? "", eventTime)
    case .job: return (OpenLineageImporter.jobID(e["job"]) ?? "", "", eventTime)
    case .dataset, .none: return ("", "", eventTime)
    }
  }
}

/// Lines and columns of increasing byte offsets: line breaks found with `memchr`, the
/// column counted in Unicode scalars from the last one.
struct LineCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var line = 1, column = 1, counted = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func advance(to offset: Int) -> (line: Int, column: Int) {
    let end = min(offset, bytes.count)
    guard let base = bytes.baseAddress, counted < end else { return (line, column) }
    while counted < end, let hit = memchr(base + counted, 10, end - counted) {
      line += 1
      column = 1
      counted = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
    }
    while counted < end {
      if bytes[counted] & 0xC0 != 0x80 { column += 1 }
      counted += 1
    }
    return (line, column)
  }
}

/// The fast path of ``ObservedEvents``: reads the fields drift needs straight from the
/// bytes, without building the event and without a `String` per field (keys are
/// compared as bytes, names gathered in one reused buffer and interned from it), for
/// events whose shape it can vouch for. An event it cannot vouch for (a field of another
/// type, a facet whose shape only the importer's checks know: `columnLineage`,
/// `ownership`, `documentation`, `lifecycleStateChange`, nested schema fields, a
/// repeated key) makes it give up, and the event is read again by the slow path
/// (``JSONParser`` and ``OpenLineageShape``), which reports its problems as the importer
/// does. So both paths accept the same events. One value is reused for every event.
struct FastEvent {
  typealias Failure = JSONScanner.Failure
  /// Why the fast path gives up: the event goes to the slow path.
  static let bail = Failure(message: "not read by the fast path", offset: 0)

  /// A stretch of ``text``; `start < 0` when absent (or `null`).
  struct Span {
    var start: Int32
    var end: Int32
    static let none = Span(start: -1, end: -1)
    var isPresent: Bool { start >= 0 }
  }

  /// A dataset of the event: `role` 0 for an input, 1 for an output, 2 for a DatasetEvent's.
  struct Dataset {
    var namespace: Span
    var name: Span
    var role: UInt8
    var schema: Int32
    var symlinks: Int32
  }

  /// The event's strings, one after another.
  var text: [UInt8] = []
  var datasets: [Dataset] = []
  var schemas: [[ObservedLineage.Column]] = []
  var symlinks: [[String]] = []
  var indices: [Int32] = []
  var eventTime = Span.none
  var job = Span.none
  var time = -Double.infinity
  var hasRun = false, hasRunID = false, hasJob = false, hasDataset = false

  /// Reads one event at the scanner's position; true when it could, the scanner after
  /// it; false when the slow path must read it.
  mutating func read(_ s: inout JSONScanner) -> Bool {
    text.removeAll(keepingCapacity: true)
    datasets.removeAll(keepingCapacity: true)
    if !schemas.isEmpty { schemas.removeAll(keepingCapacity: true) }
    if !symlinks.isEmpty { symlinks.removeAll(keepingCapacity: true) }
    eventTime = .none
    job = .none
    hasRun = false
    hasRunID = false
    hasJob = false
    hasDataset = false
    do {
      try event(&s)
    } catch {
      return false
    }
    time = -Double.infinity
    if eventTime.isPresent {
      guard let t = text.withUnsafeBufferPointer({ OpenLineageImporter.instant(slice($0, eventTime)) }) else {
        return false
      }
      time = t
    }
    if hasRun {
      guard hasRunID, job.isPresent else { return false }
    } else if !hasDataset {
      guard hasJob, job.isPresent else { return false }
    }
    return true
  }

  func slice(_ t: UnsafeBufferPointer<UInt8>, _ span: Span) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: t[Int(span.start)..<Int(span.end)])
  }

  /// Whether the bytes are the ASCII literal.
  @inline(__always)
  static func equals(_ b: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
    guard b.count == literal.utf8CodeUnitCount else { return false }
    guard let base = b.baseAddress, b.count > 0 else { return true }
    return memcmp(base, literal.utf8Start, b.count) == 0
  }

  /// The keys the fast path reads at the top of an event (bit 1 << code).
  enum EventKey: UInt8 { case other, eventTime, eventType, run, job, inputs, outputs, dataset }

  static func eventKey(_ b: UnsafeBufferPointer<UInt8>) -> EventKey {
    if equals(b, "eventType") { return .eventType }
    if equals(b, "eventTime") { return .eventTime }
    if equals(b, "run") { return .run }
    if equals(b, "job") { return .job }
    if equals(b, "inputs") { return .inputs }
    if equals(b, "outputs") { return .outputs }
    if equals(b, "dataset") { return .dataset }
    return .other
  }

  /// Bails when a key the fast path reads comes twice (which of the two counts is the
  /// slow path's business); other keys may repeat.
  static func once(_ code: UInt8, _ seen: inout UInt8) throws(Failure) {
    guard code != 0 else { return }
    let bit: UInt8 = 1 << code
    if seen & bit != 0 { throw bail }
    seen |= bit
  }

  /// Opens an object; false when it is empty (and already closed). Bails on anything else.
  static func open(_ s: inout JSONScanner) throws(Failure) -> Bool {
    guard s.peek() == .objectStart else { throw bail }
    s.pos += 1
    return !s.isEmpty(close: UInt8(ascii: "}"))
  }

  /// After a member's value: true when another member follows.
  static func more(_ s: inout JSONScanner) throws(Failure) -> Bool {
    try s.next(close: UInt8(ascii: "}"), what: "an object")
  }

  /// Opens an array; false when it is empty or `null`. Bails on anything else.
  static func openArray(_ s: inout JSONScanner) throws(Failure) -> Bool {
    if try isNull(&s) { return false }
    guard s.peek() == .arrayStart else { throw bail }
    s.pos += 1
    return !s.isEmpty(close: UInt8(ascii: "]"))
  }

  static func moreItems(_ s: inout JSONScanner) throws(Failure) -> Bool {
    try s.next(close: UInt8(ascii: "]"), what: "an array")
  }

  /// True (and consumed) for `null`.
  static func isNull(_ s: inout JSONScanner) throws(Failure) -> Bool {
    guard s.peek() == .literal else { return false }
    let p = s.pos
    if try s.literal() == "null" { return true }
    s.pos = p
    return false
  }

  /// A member's key and the colon after it, classified by `classify`.
  static func key<K>(_ s: inout JSONScanner, _ classify: (UnsafeBufferPointer<UInt8>) -> K) throws(Failure) -> K {
    let k = try s.string { b throws(Failure) in classify(b) }
    try s.expect(UInt8(ascii: ":"), "':'")
    return k
  }

  /// A string appended to ``text``; `.none` for `null`; anything else bails.
  mutating func string(_ s: inout JSONScanner) throws(Failure) -> Span {
    if try Self.isNull(&s) { return .none }
    guard s.peek() == .string else { throw Self.bail }
    var t = text
    text = []
    let start = Int32(t.count)
    try s.string { b throws(Failure) in t.append(contentsOf: b) }
    text = t
    return Span(start: start, end: Int32(text.count))
  }

  /// A string whose value is not needed: checked, not kept. True unless `null`.
  static func skipString(_ s: inout JSONScanner) throws(Failure) -> Bool {
    if try isNull(&s) { return false }
    guard s.peek() == .string else { throw bail }
    try s.string { _ throws(Failure) in () }
    return true
  }

  static func optionalBool(_ s: inout JSONScanner) throws(Failure) -> Bool? {
    guard s.peek() == .literal else { throw bail }
    switch try s.literal() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }

  /// Whether the bytes, ASCII letters upper-cased, are the (upper-case) literal.
  static func upper(_ b: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
    guard b.count == literal.utf8CodeUnitCount else { return false }
    let l = literal.utf8Start
    for i in 0..<b.count {
      let c = b[i]
      if (c >= 97 && c <= 122 ? c - 32 : c) != l[i] { return false }
    }
    return true
  }

  /// `eventType` must be one of the spec's (any case): checked without a `String`.
  static func checkEventType(_ s: inout JSONScanner) throws(Failure) {
    if try isNull(&s) { return }
    guard s.peek() == .string else { throw bail }
    let ok = try s.string { b throws(Failure) -> Bool in
      upper(b, "COMPLETE") || upper(b, "START") || upper(b, "RUNNING") || upper(b, "ABORT") || upper(b, "FAIL")
        || upper(b, "OTHER")
    }
    if !ok { throw bail }
  }

  mutating func event(_ s: inout JSONScanner) throws(Failure) {
    guard try Self.open(&s) else { return }
    var seen: UInt8 = 0
    repeat {
      let k = try Self.key(&s, Self.eventKey)
      try Self.once(k.rawValue, &seen)
      switch k {
      case .eventTime: eventTime = try string(&s)
      case .eventType: try Self.checkEventType(&s)
      case .run:
        if try Self.isNull(&s) { break }
        hasRun = true
        if try Self.open(&s) {
          repeat {
            if try Self.key(&s, { Self.equals($0, "runId") }) {
              hasRunID = try Self.skipString(&s)
            } else {
              try s.skipValue()
            }
          } while try Self.more(&s)
        }
      case .job:
        if try Self.isNull(&s) { break }
        hasJob = true
        try readJob(&s)
      case .inputs: try datasetList(&s, role: 0)
      case .outputs: try datasetList(&s, role: 1)
      case .dataset:
        if try Self.isNull(&s) { break }
        hasDataset = true
        try dataset(&s, role: 2)
      case .other: try s.skipValue()
      }
    } while try Self.more(&s)
  }

  mutating func readJob(_ s: inout JSONScanner) throws(Failure) {
    var ns = Span.none, name = Span.none
    if try Self.open(&s) {
      repeat {
        let k = try Self.key(&s) { b -> UInt8 in
          Self.equals(b, "namespace") ? 1 : Self.equals(b, "name") ? 2 : Self.equals(b, "facets") ? 3 : 0
        }
        switch k {
        case 1: ns = try string(&s)
        case 2: name = try string(&s)
        case 3:
          if try Self.isNull(&s) { break }
          if try Self.open(&s) {
            repeat {
              let bad = try Self.key(&s) { Self.equals($0, "ownership") || Self.equals($0, "documentation") }
              if bad { throw Self.bail }
              try s.skipValue()
            } while try Self.more(&s)
          }
        default: try s.skipValue()
        }
      } while try Self.more(&s)
    }
    guard ns.isPresent, name.isPresent, name.end > name.start else { throw Self.bail }
    // The job's id, NAMESPACE:NAME, after the other strings.
    let start = Int32(text.count)
    text.append(contentsOf: text[Int(ns.start)..<Int(ns.end)])
    text.append(UInt8(ascii: ":"))
    text.append(contentsOf: text[Int(name.start)..<Int(name.end)])
    job = Span(start: start, end: Int32(text.count))
  }

  mutating func datasetList(_ s: inout JSONScanner, role: UInt8) throws(Failure) {
    guard try Self.openArray(&s) else { return }
    repeat { try dataset(&s, role: role) } while try Self.moreItems(&s)
  }

  enum DatasetKey: UInt8 { case other, namespace, name, facets }

  mutating func dataset(_ s: inout JSONScanner, role: UInt8) throws(Failure) {
    var ns = Span.none, name = Span.none
    var schema: Int32 = -1, links: Int32 = -1
    var seen: UInt8 = 0
    if try Self.open(&s) {
      repeat {
        let k = try Self.key(&s) { b -> DatasetKey in
          Self.equals(b, "namespace")
            ? .namespace : Self.equals(b, "name") ? .name : Self.equals(b, "facets") ? .facets : .other
        }
        try Self.once(k.rawValue, &seen)
        switch k {
        case .namespace: ns = try string(&s)
        case .name: name = try string(&s)
        case .facets:
          if try Self.isNull(&s) { break }
          guard try Self.open(&s) else { break }
          repeat {
            let f = try Self.key(&s) { b -> UInt8 in
              if Self.equals(b, "schema") { return 1 }
              if Self.equals(b, "symlinks") { return 2 }
              if Self.equals(b, "columnLineage") || Self.equals(b, "ownership") || Self.equals(b, "documentation")
                || Self.equals(b, "lifecycleStateChange")
              {
                return 3
              }
              return 0
            }
            switch f {
            case 1: schema = try readSchema(&s)
            case 2: links = try readSymlinks(&s)
            case 3: throw Self.bail
            default: try s.skipValue()
            }
          } while try Self.more(&s)
        case .other: try s.skipValue()
        }
      } while try Self.more(&s)
    }
    guard ns.isPresent, name.isPresent, name.end > name.start else { throw Self.bail }
    datasets.append(Dataset(namespace: ns, name: name, role: role, schema: schema, symlinks: links))
  }

  /// A schema facet: its index in ``schemas``, or -1 when it is `null`, deleted or has
  /// no `fields` list (as the slow path reads it).
  mutating func readSchema(_ s: inout JSONScanner) throws(Failure) -> Int32 {
    if try Self.isNull(&s) { return -1 }
    var deleted = false
    var fields: [ObservedLineage.Column]?
    if try Self.open(&s) {
      repeat {
        let k = try Self.key(&s) { b -> UInt8 in Self.equals(b, "_deleted") ? 1 : Self.equals(b, "fields") ? 2 : 0 }
        switch k {
        case 1: deleted = try Self.optionalBool(&s) ?? false
        case 2:
          if try Self.isNull(&s) { break }
          var list = fields ?? []
          if try Self.openArray(&s) {
            repeat { list.append(try field(&s)) } while try Self.moreItems(&s)
          }
          fields = list
        default: try s.skipValue()
        }
      } while try Self.more(&s)
    }
    guard !deleted, let fields else { return -1 }
    schemas.append(fields)
    return Int32(schemas.count - 1)
  }

  /// One top-level schema field; nested `fields` bail (the slow path flattens them).
  mutating func field(_ s: inout JSONScanner) throws(Failure) -> ObservedLineage.Column {
    var fieldName: String?, type: String?
    if try Self.open(&s) {
      repeat {
        let k = try Self.key(&s) { b -> UInt8 in
          Self.equals(b, "name")
            ? 1 : Self.equals(b, "type") ? 2 : Self.equals(b, "description") ? 3 : Self.equals(b, "fields") ? 4 : 0
        }
        switch k {
        case 1: fieldName = try Self.optionalString(&s)
        case 2: type = try Self.optionalString(&s)
        case 3: _ = try Self.skipString(&s)
        case 4:
          if try Self.isNull(&s) { break }
          throw Self.bail
        default: try s.skipValue()
        }
      } while try Self.more(&s)
    }
    guard let fieldName else { throw Self.bail }
    return ObservedLineage.Column(name: fieldName, type: type)
  }

  /// A string, nil for `null`; anything else bails (for the rare fields kept as `String`).
  static func optionalString(_ s: inout JSONScanner) throws(Failure) -> String? {
    if try isNull(&s) { return nil }
    guard s.peek() == .string else { throw bail }
    return try s.string { b throws(Failure) in String(decoding: b, as: UTF8.self) }
  }

  /// A symlinks facet: its index in ``symlinks``, or -1 for `null`.
  mutating func readSymlinks(_ s: inout JSONScanner) throws(Failure) -> Int32 {
    if try Self.isNull(&s) { return -1 }
    var ids: [String] = []
    if try Self.open(&s) {
      repeat {
        let k = try Self.key(&s) { b -> UInt8 in Self.equals(b, "_deleted") ? 1 : Self.equals(b, "identifiers") ? 2 : 0
        }
        switch k {
        case 1: _ = try Self.optionalBool(&s)
        case 2:
          guard try Self.openArray(&s) else { break }
          repeat {
            var ins: String?, iname: String?
            if try Self.open(&s) {
              repeat {
                let f = try Self.key(&s) { b -> UInt8 in
                  Self.equals(b, "namespace") ? 1 : Self.equals(b, "name") ? 2 : 0
                }
                switch f {
                case 1: ins = try Self.optionalString(&s)
                case 2: iname = try Self.optionalString(&s)
                default: try s.skipValue()
                }
              } while try Self.more(&s)
            }
            guard let ins, let iname, !iname.isEmpty else { throw Self.bail }
            ids.append(ins + ":" + iname)
          } while try Self.moreItems(&s)
        default: try s.skipValue()
        }
      } while try Self.more(&s)
    }
    symlinks.append(ids)
    return Int32(symlinks.count - 1)
  }

  /// Folds the event into the summary, as ``Part/fold(_:place:until:)`` folds a parsed one.
  mutating func fold(into part: inout Part, place: UInt64, until: Double?) {
    if let until, time > until { return }
    let stamp = Stamp(time: time, place: place)
    indices.removeAll(keepingCapacity: true)
    text.withUnsafeBufferPointer { t in
      // Inputs first, then outputs (whatever their order in the event); a DatasetEvent's
      // one dataset.
      let roles: ClosedRange<UInt8> = hasRun || !hasDataset ? 0...1 : 2...2
      for role in roles {
        for d in datasets where d.role == role {
          let i = part.dataset(namespace: slice(t, d.namespace), name: slice(t, d.name), place: place)
          if d.symlinks >= 0 { for a in symlinks[Int(d.symlinks)] { part.alias(i, a) } }
          if d.schema >= 0 { part.schema(i, schemas[Int(d.schema)], stamp) }
          indices.append(i)
        }
      }
      if hasRun {
        part.runEvents += 1
        part.note(stamp)
        let j = part.jobs.intern(bytes: slice(t, job))
        var k = 0
        for d in datasets where d.role == 0 {
          Part.keep(&part.reads, Part.key(j, indices[k]), stamp)
          k += 1
        }
        for d in datasets where d.role == 1 {
          Part.keep(&part.writes, Part.key(j, indices[k]), stamp)
          k += 1
        }
      } else if hasDataset || time.isFinite {
        part.note(stamp)
      }
    }
  }
}

/// Reads the map file of `lineage drift`: observed datasets to declared nodes.
///
/// ```yaml
/// # observed NAMESPACE:NAME (or NAME, or a glob over either) -> declared node id
/// "postgres://db:5432:shop.public.orders": shop.orders
/// "s3://landing:events/*": shop.raw_events
/// ```
public enum DriftMapFile {
  /// The entries and the problems found (a YAML error, a value that is not a node id).
  ///
  /// - Parameter path: The map file.
  /// - Returns: The entries, in the file's order, and the findings.
  public static func load(path: String) -> (entries: [Drift.MapEntry], findings: [Finding]) {
    let diag = FileDiagnostics(file: path)
    guard FileManager.default.fileExists(atPath: path) else {
      return (
        [],
        [
          Finding(
            rule: .loadError, severity: .error, message: "\(path): no such map file",
            location: SourceLocation(file: path), hint: "check the path of the map file")
        ]
      )
    }
    guard let f = MeshSpecLoader.readFields(path, context: "the map file", diag: diag) else {
      return ([], diag.findings)
    }
    var entries: [Drift.MapEntry] = []
    for (k, key) in f.keys.enumerated() {
      let value = f.values[k]
      guard case .scalar(let s) = value, !s.string.isEmpty else {
        diag.report(
          "invalid-type", .error, "map entry '\(key)' must name a node id, got \(describe(value))", at: value,
          hint: "write 'OBSERVED: NODE_ID', for example '\"postgres://db:5432:shop.orders\": shop.orders'")
        continue
      }
      entries.append(Drift.MapEntry(pattern: key, node: s.string, location: diag.location(f.keyNodes[k])))
    }
    return (entries, diag.findings)
  }
}

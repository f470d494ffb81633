internal import Foundation
public import LineageCore

/// Reads OpenLineage events (RunEvent, DatasetEvent, JobEvent of any 1.x or 2.x spec
/// version) from JSON arrays, single objects or newline-delimited JSON.
///
/// Datasets become nodes of kind `dataset` with id `NAMESPACE:NAME`. The events of
/// one run (same `runId`) are merged; a run counts once one of its events is
/// `COMPLETE`, and then each input feeds each output, the job kept as the edge's
/// provenance. By default a job's latest completed run replaces its earlier ones;
/// ``History/cumulative`` keeps them all. A JobEvent's inputs and outputs are the
/// job's declared lineage, used when the job has no completed run (or always, when
/// cumulative). Facets: `schema` (columns, nested fields as `a.b`),
/// `columnLineage` (both forms, with its dataset-level entries), `ownership`,
/// `documentation`, `symlinks` (aliases of one dataset) and `lifecycleStateChange`
/// (`DROP` retires the dataset).
public struct OpenLineageImporter: Sendable {
  /// Which runs of a job count.
  public enum History: String, Sendable, CaseIterable {
    /// The latest completed run of each job replaces its earlier runs.
    case latest
    /// Every completed run counts.
    case cumulative
  }

  /// The hint of the `column-lineage-dropped` note of jobs read as nodes. It names no
  /// front end's option; the command line says `--jobs` instead.
  public static let keepColumnLineageHint = "read the events without jobs as nodes to keep column lineage"

  /// Which runs of a job count: by default each job's latest completed run.
  public var history: History = .latest
  /// Keep jobs as nodes (`job:NAMESPACE:NAME`, kind `job`) between their inputs and outputs.
  public var jobsAsNodes = false

  /// Creates an importer.
  ///
  /// - Parameters:
  ///   - history: Which runs of a job count.
  ///   - jobsAsNodes: Keep jobs as nodes.
  public init(history: History = .latest, jobsAsNodes: Bool = false) {
    self.history = history
    self.jobsAsNodes = jobsAsNodes
  }

  /// One event with where it came from.
  struct Event {
    var value: JSONValue
    var file: String
    var line: Int
    var column = 0
    var index: Int  // order of reading, the tie-breaker for equal times
    var number = 1  // 1-based, in its file
    /// Where a run id that is not a UUID is matched: its file (nil: all the events
    /// read together, as the server's stored documents are).
    var scope: String? = nil
    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
  }

  /// The files of `path`: the file itself, or every `.json`, `.jsonl` and `.ndjson`
  /// file below a directory, sorted.
  public static func files(at path: String) -> [String] {
    var path = path
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
    let real =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map {
        $0.hasPrefix("/") ? $0 : (path as NSString).deletingLastPathComponent + "/" + $0
      } ?? path
    let all = (FileManager.default.enumerator(atPath: real)?.allObjects as? [String]) ?? []
    return all.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { path + "/" + $0 }
      .filter { looksLikeEvents($0) }
  }

  /// True when the file holds OpenLineage events, decided by the structure of its
  /// first JSON value (``recognize(_:)``); when its JSON breaks before that is decided,
  /// by whether its start names an event's parts, so that the importer reports the error.
  static func looksLikeEvents(_ file: String) -> Bool {
    guard let mapped = try? MappedFile(file) else { return false }
    return withExtendedLifetime(mapped) { isEvents(mapped.bytes) }
  }

  /// True when `bytes` hold OpenLineage events: see ``looksLikeEvents(_:)``.
  static func isEvents(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    switch recognize(bytes) {
    case .events: return true
    case .other: return false
    case .unreadable: return startNamesEventParts(Array(bytes.prefix(1 << 16)))
    }
  }

  /// The start of broken JSON names an event's parts (run, job, eventTime ...): read
  /// as events, so that the error the importer reports is the one for events.
  static func startNamesEventParts(_ head: [UInt8]) -> Bool {
    let head = String(decoding: head, as: UTF8.self)
    if head.contains("\"dbt_schema_version\"") { return false }
    return head.contains("\"eventTime\"") || head.contains("\"eventType\"")
      || (head.contains("\"job\"") && (head.contains("\"run\"") || head.contains("\"inputs\"")))
      || (head.contains("\"dataset\"") && head.contains("\"producer\""))
  }

  /// Reads the events of `files` into a mesh.
  ///
  /// - Throws: ``LoadError`` for a file that cannot be read or is not JSON.
  public func load(files: [String]) throws(LoadError) -> (Mesh, [Finding]) {
    var events: [Event] = []
    var findings: [Finding] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw LoadError(message: "\(file): cannot read", hint: "check that it exists and is readable")
      }
      var bytes = [UInt8](data)
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      let values: [(value: JSONValue, line: Int)]
      let positions: [(line: Int, column: Int)]
      do {
        (values, positions) = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in
          (
            try JSONParser.parseSequence(p, skipping: ["query", "sourceCode", "_producer", "_schemaURL"]),
            OpenLineageShape.eventPositions(p)
          )
        }
      } catch {
        throw LoadError(
          message: "invalid JSON: \(error.message)",
          location: SourceLocation(file: file, line: error.line, column: error.column),
          hint: "OpenLineage input is a JSON array of events, one event, or one event per line")
      }
      if values.isEmpty {
        findings.append(
          Finding(
            rule: "empty-input", severity: .warning, message: "\(file) holds no events",
            location: SourceLocation(file: file)))
      }
      let first = events.count
      for (v, line) in values {
        if case .array(let items) = v {
          for item in items {
            events.append(
              Event(
                value: item, file: file, line: line, index: events.count, number: events.count - first + 1,
                scope: file))
          }
        } else {
          events.append(
            Event(
              value: v, file: file, line: line, index: events.count, number: events.count - first + 1, scope: file))
        }
      }
      // Each event's own line and column (an array's elements start on lines of their own).
      if positions.count == events.count - first {
        for (k, at) in positions.enumerated() {
          events[first + k].line = at.line
          events[first + k].column = at.column
        }
      }
    }
    return build(events, findings: findings)
  }

  // MARK: building the mesh

  struct Dataset {
    var id: String
    var name: String
    var namespace: String
    var columns: [Column] = []
    var columnTime = -Double.infinity
    var owner: String?
    var ownerLocation: SourceLocation?
    var description: String?
    var retired = false
    var factTime = -Double.infinity
    var lineage: (time: Double, value: JSONValue, location: SourceLocation)?
    var file: String
    var location: SourceLocation
    var order: Int
  }

  struct Run {
    var job: String
    var inputs: [String] = []
    var outputs: [String] = []
    /// Where each input was first named in this run's events.
    var inputLocations: [String: SourceLocation] = [:]
    var completed = false
    /// Whether an event ended it (COMPLETE, FAIL or ABORT): no more events are due.
    var ended = false
    var time = -Double.infinity
    var index = 0
    /// The number (``Event/index``) of the last event that changed it.
    var last = 0
    /// Its position in the accumulator's `runOrder` (runs are folded, and positions
    /// move, only with `history: latest`, where the position is not read).
    var order = 0
    var file: String
    var location: SourceLocation
    var runID: String
  }

  /// One job's lineage as it counts: a chosen run, or a JobEvent.
  struct Flow {
    var job: String
    var inputs: [String]
    var outputs: [String]
    var inputLocations: [String: SourceLocation]
    var location: SourceLocation
    var provenance: Provenance
  }

  /// Builds the mesh of the events: see ``Accumulator`` for the steps.
  func build(_ events: [Event], findings initial: [Finding]) -> (Mesh, [Finding]) {
    var a = Accumulator(importer: self, findings: initial)
    a.checkShapes(events)
    a.collectAliases(events)
    for e in events { a.read(e) }
    a.reportMissingFields()
    a.reportNonUUIDRuns()
    a.connect(a.flows())
    return a.finish()
  }

  /// Applies a dataset's facets, the newest of each kind winning.
  func applyFacets(_ facets: JSONValue?, to d: inout Dataset, time: Double, at location: SourceLocation) {
    guard let facets = facets?.object else { return }
    if let schema = facets["schema"], schema["_deleted"]?.bool != true, time >= d.columnTime,
      let fields = schema["fields"]?.array
    {
      d.columns = Self.columns(fields).map {
        var c = $0
        c.location = location
        return c
      }
      d.columnTime = time
    }
    if let lineage = facets["columnLineage"], lineage.object != nil, lineage["_deleted"]?.bool != true,
      time >= (d.lineage?.time ?? -Double.infinity)
    {
      d.lineage = (time, lineage, location)
    }
    if time >= d.factTime {
      if let o = Self.owner(facets["ownership"]) {
        d.owner = o
        d.ownerLocation = location
      }
      if let text = facets["documentation"]?["description"]?.string, !text.isEmpty { d.description = text }
      if let change = facets["lifecycleStateChange"]?["lifecycleStateChange"]?.string {
        d.retired = change.uppercased() == "DROP"
      }
      d.factTime = time
    }
  }

  /// Column lineage from the `columnLineage` facet, located at the event that carried
  /// it. References to datasets no event names, or to columns their schema lacks, are
  /// dropped with a warning; a referenced dataset that is not yet an input becomes one.
  /// References to the dataset itself (a MERGE's target, read and written by one job)
  /// are dropped too: their number is returned, for the `self-loop` note.
  func applyColumnLineage(
    _ facet: JSONValue, at location: SourceLocation, to node: inout MeshNode,
    datasets: [String: Dataset], canonical: (String) -> String,
    findings: inout [Finding]
  ) -> Int {
    var dropped: [String] = []
    var own = 0
    func refs(_ entries: [JSONValue], legacy: String?) -> [ColumnRef] {
      var out: [ColumnRef] = []
      for f in entries {
        guard let raw = Self.datasetID(f), let column = f["field"]?.string else { continue }
        let id = canonical(raw)
        if id == node.id {
          own += 1
          continue
        }
        guard let upstream = datasets[id] else {
          dropped.append("\(raw).\(column) (no event names dataset '\(raw)')")
          continue
        }
        if !upstream.columns.isEmpty, !upstream.columns.contains(where: { $0.name == column }) {
          dropped.append("\(id).\(column) (not in its schema)")
          continue
        }
        let (transform, masked) = Self.transform(f["transformations"]?.array, legacy: legacy)
        out.append(ColumnRef(product: id, column: column, transform: transform, masked: masked, location: location))
        if !node.inputs.contains(where: { $0.product == id }) {
          var input = Input(product: id, location: location)
          input.provenance = node.provenance.map { Provenance(.observed, file: $0.file, detail: "column lineage") }
          node.inputs.append(input)
        }
      }
      return out
    }
    let datasetLevel = refs(facet["dataset"]?.array ?? [], legacy: nil).map {
      var r = $0
      if !r.transform.isIndirect { r.transform = .filter }
      return r
    }
    for (name, entry) in facet["fields"]?.object?.entries ?? JSONObject().entries {
      let from = refs(entry["inputFields"]?.array ?? [], legacy: entry["transformationType"]?.string)
      if let i = node.schema.firstIndex(where: { $0.name == name }) {
        node.schema[i].from += from
        if from.contains(where: \.masked) { node.schema[i].masked = true }
      } else {
        node.schema.append(Column(name: name, masked: from.contains(where: \.masked), from: from, location: location))
      }
    }
    if !datasetLevel.isEmpty {
      for i in node.schema.indices { node.schema[i].from += datasetLevel.filter { !node.schema[i].from.contains($0) } }
    }
    if !dropped.isEmpty {
      findings.append(
        Finding(
          rule: "dangling-column-lineage", severity: .warning,
          message:
            "column lineage of '\(node.id)' names \(dropped.count) unknown column\(dropped.count == 1 ? "" : "s"), left out: \(dropped.prefix(5).joined(separator: ", "))\(dropped.count > 5 ? ", ..." : "")",
          subjects: [node.id], location: location))
    }
    return own
  }

  // MARK: small readers

  static func datasetID(_ v: JSONValue) -> String? {
    guard let ns = v["namespace"]?.string, let name = v["name"]?.string, !name.isEmpty else { return nil }
    return ns + ":" + name
  }

  static func jobID(_ v: JSONValue?) -> String? {
    guard let v, let ns = v["namespace"]?.string, let name = v["name"]?.string, !name.isEmpty else { return nil }
    return ns + ":" + name
  }

  /// The first owner of an `ownership` facet, without a `team:` prefix.
  static func owner(_ facet: JSONValue?) -> String? {
    guard let facet, facet["_deleted"]?.bool != true,
      let name = facet["owners"]?.array?.first?["name"]?.string, !name.isEmpty
    else { return nil }
    return name.hasPrefix("team:") ? String(name.dropFirst(5)) : name
  }

  /// Schema fields, nested ones flattened as `parent.child`.
  static func columns(_ fields: [JSONValue]) -> [Column] {
    var out: [Column] = []
    var stack: [(prefix: String, fields: [JSONValue], index: Int)] = [("", fields, 0)]
    while var top = stack.popLast() {
      guard top.index < top.fields.count else { continue }
      let f = top.fields[top.index]
      top.index += 1
      stack.append(top)
      guard let name = f["name"]?.string else { continue }
      let full = top.prefix + name
      var col = Column(name: full, type: f["type"]?.string)
      col.description = f["description"]?.string
      if out.contains(where: { $0.name == full }) == false { out.append(col) }
      if let nested = f["fields"]?.array, !nested.isEmpty, stack.count < 64 { stack.append((full + ".", nested, 0)) }
    }
    return out
  }

  /// The strongest transformation of an input field, and whether it masks.
  static func transform(_ transformations: [JSONValue]?, legacy: String?) -> (Transform, Bool) {
    var best: Transform?
    var masked = false
    for t in transformations ?? [] {
      let type = t["type"]?.string?.uppercased() ?? "DIRECT"
      let sub = t["subtype"]?.string?.uppercased() ?? (type == "DIRECT" ? "TRANSFORMATION" : "")
      let mapped: Transform
      switch (type, sub) {
      case ("DIRECT", "IDENTITY"): mapped = .identity
      case ("DIRECT", "AGGREGATION"): mapped = .aggregation
      case ("DIRECT", _): mapped = .transformation
      case (_, "JOIN"): mapped = .join
      case (_, "GROUP_BY"): mapped = .groupBy
      case (_, "SORT"): mapped = .sort
      case (_, "WINDOW"): mapped = .window
      case (_, "CONDITIONAL"): mapped = .conditional
      default: mapped = .filter
      }
      if t["masking"]?.bool == true { masked = true }
      if best.map({ ColumnGraph.strength(mapped) > ColumnGraph.strength($0) }) ?? true { best = mapped }
    }
    if let best { return (best, masked) }
    switch legacy?.uppercased() {
    case "MASKED": return (.transformation, true)
    case "TRANSFORMATION": return (.transformation, false)
    case "AGGREGATION": return (.aggregation, false)
    default: return (.identity, false)
    }
  }

  /// True when `s` is a UUID as RFC 9562 writes it: 32 hexadecimal digits in groups of
  /// 8, 4, 4, 4 and 12, joined by hyphens (any case).
  static func isUUID(_ s: String) -> Bool {
    let b = Array(s.utf8)
    guard b.count == 36 else { return false }
    for (i, c) in b.enumerated() {
      if i == 8 || i == 13 || i == 18 || i == 23 {
        guard c == UInt8(ascii: "-") else { return false }
      } else {
        let hex =
          (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
          || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
        guard hex else { return false }
      }
    }
    return true
  }

  /// Seconds since 1970 of an ISO 8601 date-time (`2020-02-22T22:42:42.000Z`,
  /// `+10:00` offsets, nanoseconds, or no zone, read as UTC).
  static func instant(_ s: String) -> Double? {
    var s = s
    return s.withUTF8 { instant($0) }
  }

  /// ``instant(_:)`` of a string's UTF-8 bytes.
  static func instant(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    func num(_ i: Int, _ n: Int) -> Int? {
      guard i + n <= b.count else { return nil }
      var v = 0
      for k in i..<i + n {
        guard b[k] >= 48 && b[k] <= 57 else { return nil }
        v = v * 10 + Int(b[k] - 48)
      }
      return v
    }
    guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
      (1...12).contains(mo), (1...31).contains(d)
    else { return nil }
    var secs = 0.0
    var i = 10
    if i < b.count, b[i] == 84 || b[i] == 116 || b[i] == 32 {
      guard let h = num(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let mi = num(i + 4, 2) else { return nil }
      secs = Double(h * 3600 + mi * 60)
      i += 6
      if i < b.count, b[i] == 58, let sec = num(i + 1, 2) {
        secs += Double(sec)
        i += 3
        if i < b.count, b[i] == 46 {
          var scale = 0.1
          i += 1
          while i < b.count, b[i] >= 48 && b[i] <= 57 {
            secs += Double(b[i] - 48) * scale
            scale /= 10
            i += 1
          }
        }
      }
      if i < b.count {
        if b[i] == 90 || b[i] == 122 {
          i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2) {
          var om = 0
          var j = i + 3
          if j < b.count, b[j] == 58 { j += 1 }
          if let m = num(j, 2) { om = m; j += 2 }
          let offset = Double(oh * 3600 + om * 60)
          secs -= b[i] == 43 ? offset : -offset
          i = j
        }
      }
      guard i == b.count else { return nil }
    } else if i != b.count {
      return nil
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    return Double(days) * 86400 + secs
  }
}

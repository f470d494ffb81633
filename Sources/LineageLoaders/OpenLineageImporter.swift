public import LineageCore
internal import Foundation

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
public struct OpenLineageImporter {
  /// Which runs of a job count.
  public enum History: String, Sendable, CaseIterable {
    /// The latest completed run of each job replaces its earlier runs.
    case latest
    /// Every completed run counts.
    case cumulative
  }

  public var history: History = .latest
  /// Keep jobs as nodes (`job:NAMESPACE:NAME`, kind `job`) between their inputs and outputs.
  public var jobsAsNodes = false

  public init(history: History = .latest, jobsAsNodes: Bool = false) {
    self.history = history
    self.jobsAsNodes = jobsAsNodes
  }

  /// One event with where it came from.
  struct Event {
    var value: JSONValue
    var file: String
    var line: Int
    var index: Int  // order of reading, the tie-breaker for equal times
    var path: String  // "[3]" inside an array, "" otherwise
  }

  /// The files of `path`: the file itself, or every `.json`, `.jsonl` and `.ndjson`
  /// file below a directory, sorted.
  public static func files(at path: String) -> [String] {
    var path = path
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
    let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map {
      $0.hasPrefix("/") ? $0 : (path as NSString).deletingLastPathComponent + "/" + $0
    } ?? path
    let all = (FileManager.default.enumerator(atPath: real)?.allObjects as? [String]) ?? []
    return all.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { path + "/" + $0 }
      .filter { looksLikeEvents($0) }
  }

  /// True when the start of a file names an event's parts (run, job, eventTime ...).
  static func looksLikeEvents(_ file: String) -> Bool {
    guard let h = FileHandle(forReadingAtPath: file) else { return false }
    defer { try? h.close() }
    let head = String(decoding: (try? h.read(upToCount: 1 << 16)) ?? Data(), as: UTF8.self)
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
      do {
        values = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in
          try JSONParser.parseSequence(p, skipping: ["query", "sourceCode", "_producer", "_schemaURL"])
        }
      } catch {
        throw LoadError(message: "invalid JSON: \(error.message)",
                        location: SourceLocation(file: file, line: error.line, column: error.column),
                        hint: "OpenLineage input is a JSON array of events, one event, or one event per line")
      }
      if values.isEmpty {
        findings.append(Finding(rule: "empty-input", severity: .warning, message: "\(file) holds no events",
                                location: SourceLocation(file: file)))
      }
      for (v, line) in values {
        if case .array(let items) = v {
          for (i, item) in items.enumerated() {
            events.append(Event(value: item, file: file, line: line, index: events.count, path: "[\(i)]"))
          }
        } else {
          events.append(Event(value: v, file: file, line: line, index: events.count, path: ""))
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
    var description: String?
    var retired = false
    var factTime = -Double.infinity
    var lineage: (time: Double, value: JSONValue)?
    var file: String
    var order: Int
  }

  struct Run {
    var job: String
    var inputs: [String] = []
    var outputs: [String] = []
    var completed = false
    var time = -Double.infinity
    var index = 0
    var file: String
    var runID: String
  }

  func build(_ events: [Event], findings initial: [Finding]) -> (Mesh, [Finding]) {
    var findings = initial
    var missing: [String: [String: Int]] = [:]  // file -> field -> count
    var datasets: [String: Dataset] = [:]
    var runs: [String: Run] = [:]
    var runOrder: [String] = []
    var declared: [String: (inputs: [String], outputs: [String], file: String)] = [:]
    var jobOwners: [String: String] = [:]
    var jobDescriptions: [String: String] = [:], jobNamespaces: [String: String] = [:]
    func noteJob(_ job: String, _ value: JSONValue?) {
      if let o = Self.owner(value?["facets"]?["ownership"]) { jobOwners[job] = o }
      if let d = value?["facets"]?["documentation"]?["description"]?.string, !d.isEmpty { jobDescriptions[job] = d }
      if let ns = value?["namespace"]?.string { jobNamespaces[job] = ns }
    }

    func warn(_ e: Event, _ message: String) {
      findings.append(Finding(rule: "invalid-event", severity: .warning,
                              message: (e.path.isEmpty ? "" : "event \(e.path): ") + message,
                              location: SourceLocation(file: e.file, line: e.line)))
    }

    // Symlinks first: every identifier of a dataset's `symlinks` facet is an alias.
    var alias: [String: String] = [:]
    func eachDataset(_ e: Event, _ body: (JSONValue) -> Void) {
      for key in ["inputs", "outputs"] { for d in e.value[key]?.array ?? [] { body(d) } }
      if e.value["run"] == nil, let d = e.value["dataset"] { body(d) }
    }
    for e in events {
      eachDataset(e) { d in
        guard let id = Self.datasetID(d) else { return }
        for s in d["facets"]?["symlinks"]?["identifiers"]?.array ?? [] {
          if let other = Self.datasetID(s), other != id, alias[other] == nil { alias[other] = id }
        }
      }
    }
    func canonical(_ id: String) -> String { alias[id] ?? id }

    func touch(_ raw: JSONValue, _ e: Event, time: Double) -> String? {
      guard let rawID = Self.datasetID(raw) else {
        warn(e, "a dataset without namespace or name is skipped")
        return nil
      }
      let id = canonical(rawID)
      if datasets[id] == nil {
        // An alias's canonical dataset may appear only through the alias: split its id
        // after the namespace, which is the part up to the last ':' before the name.
        let name = id == rawID ? (raw["name"]?.string ?? id) : String(id.split(separator: ":").last ?? "")
        let namespace = id == rawID ? (raw["namespace"]?.string ?? "") : String(id.dropLast(name.count + 1))
        datasets[id] = Dataset(id: id, name: name, namespace: namespace, file: e.file, order: datasets.count)
      }
      applyFacets(raw["facets"], to: &datasets[id]!, time: time)
      return id
    }

    for e in events {
      guard e.value.object != nil else {
        warn(e, "\(e.value.typeName) is not an OpenLineage event; skipped")
        continue
      }
      for field in ["eventTime", "producer", "schemaURL"] where e.value[field] == nil {
        missing[e.file, default: [:]][field, default: 0] += 1
      }
      let time = e.value["eventTime"]?.string.flatMap(Self.instant) ?? -Double.infinity
      if e.value["eventTime"]?.string != nil, time == -Double.infinity {
        warn(e, "eventTime '\(e.value["eventTime"]!.string!)' is not an ISO 8601 date-time; the event counts as the oldest")
      }
      if let run = e.value["run"] {
        guard let job = Self.jobID(e.value["job"]) else {
          warn(e, "a run event without job.namespace and job.name is skipped")
          continue
        }
        let runID = run["runId"]?.string ?? "\(e.file)#\(e.index)"
        if run["runId"]?.string == nil { warn(e, "run.runId is missing; the event is taken as a run of its own") }
        if runs[runID] == nil {
          runs[runID] = Run(job: job, file: e.file, runID: runID)
          runOrder.append(runID)
        }
        for d in e.value["inputs"]?.array ?? [] {
          if let id = touch(d, e, time: time), !runs[runID]!.inputs.contains(id) { runs[runID]!.inputs.append(id) }
        }
        for d in e.value["outputs"]?.array ?? [] {
          if let id = touch(d, e, time: time), !runs[runID]!.outputs.contains(id) { runs[runID]!.outputs.append(id) }
        }
        if e.value["eventType"]?.string?.uppercased() == "COMPLETE" {
          runs[runID]!.completed = true
          if time >= runs[runID]!.time {
            runs[runID]!.time = time
            runs[runID]!.index = e.index
          }
        }
        noteJob(job, e.value["job"])
      } else if let d = e.value["dataset"] {
        _ = touch(d, e, time: time)
      } else if let jobValue = e.value["job"] {
        guard let job = Self.jobID(jobValue) else {
          warn(e, "a job event without job.namespace and job.name is skipped")
          continue
        }
        let ins = (e.value["inputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
        let outs = (e.value["outputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
        declared[job] = (ins, outs, e.file)
        noteJob(job, jobValue)
      } else {
        warn(e, "an object with neither run, dataset nor job is not an OpenLineage event; skipped")
      }
    }
    for file in missing.keys.sorted() {
      let parts = missing[file]!.keys.sorted().map { "\($0) (\(missing[file]![$0]!) event\(missing[file]![$0]! == 1 ? "" : "s"))" }
      findings.append(Finding(
        rule: "missing-field", severity: .warning,
        message: "events lack \(parts.joined(separator: ", ")); they are read anyway",
        location: SourceLocation(file: file),
        hint: "OpenLineage requires eventTime, producer and schemaURL on every event; without eventTime, file order decides which run is latest"))
    }

    // Which runs count.
    var chosen: [Run] = []
    var latest: [String: Run] = [:]
    for id in runOrder {
      guard let r = runs[id], r.completed else { continue }
      switch history {
      case .cumulative: chosen.append(r)
      case .latest:
        if let old = latest[r.job], (old.time, old.index) > (r.time, r.index) { continue }
        latest[r.job] = r
      }
    }
    if history == .latest { chosen = latest.keys.sorted().map { latest[$0]! } }
    let jobsWithRuns = Set(chosen.map(\.job))
    var flows: [(job: String, inputs: [String], outputs: [String], provenance: Provenance)] = chosen.map {
      ($0.job, $0.inputs, $0.outputs, Provenance(.observed, file: $0.file, detail: "job \($0.job), run \($0.runID)"))
    }
    for job in declared.keys.sorted() where history == .cumulative || !jobsWithRuns.contains(job) {
      let d = declared[job]!
      flows.append((job, d.inputs, d.outputs, Provenance(.declared, file: d.file, detail: "job event \(job)")))
    }

    // Nodes and edges.
    var inputs: [String: [Input]] = [:]
    var selfLoops = Set<String>()
    var jobNodes: [String: (file: String, inputs: [Input])] = [:]
    for f in flows {
      if jobsAsNodes {
        let jid = "job:" + f.job
        var j = jobNodes[jid] ?? (f.provenance.file, [])
        // A dataset the job reads and writes (an incremental update) stays its output only.
        for i in f.inputs where f.outputs.contains(i) { selfLoops.insert(i) }
        for i in f.inputs where !f.outputs.contains(i) && !j.inputs.contains(where: { $0.product == i }) {
          var input = Input(product: i)
          input.provenance = [f.provenance]
          j.inputs.append(input)
        }
        jobNodes[jid] = j
        for o in f.outputs where !(inputs[o] ?? []).contains(where: { $0.product == jid }) {
          var input = Input(product: jid)
          input.provenance = [f.provenance]
          inputs[o, default: []].append(input)
        }
        continue
      }
      for o in f.outputs {
        for i in f.inputs {
          if i == o {
            selfLoops.insert(i)
            continue
          }
          if (inputs[o] ?? []).contains(where: { $0.product == i }) { continue }
          var input = Input(product: i)
          input.provenance = [f.provenance]
          inputs[o, default: []].append(input)
        }
      }
    }
    for d in selfLoops.sorted() {
      findings.append(Finding(rule: "self-loop", severity: .info,
                              message: "a job reads and writes '\(d)' (an incremental update); that edge is left out",
                              subjects: [d]))
    }

    var mesh = Mesh(name: "openlineage")
    var teams = Set<String>()
    var droppedLineage = 0
    for d in datasets.values.sorted(by: { $0.order < $1.order }) {
      var node = MeshNode(id: d.id, kind: "dataset", name: d.name)
      node.owner = d.owner
      node.description = d.description
      node.status = d.retired ? .retired : .active
      node.schema = d.columns
      node.inputs = inputs[d.id] ?? []
      node.provenance = [Provenance(.observed, file: d.file)]
      node.resource = ImportedResource(type: "dataset", name: d.name, package: d.namespace)
      if let o = d.owner { teams.insert(o) }
      if let (_, lineage) = d.lineage {
        if jobsAsNodes {
          droppedLineage += 1
        } else {
          applyColumnLineage(lineage, to: &node, datasets: datasets, canonical: canonical, findings: &findings)
        }
      }
      mesh.nodes.append(node)
    }
    for jid in jobNodes.keys.sorted() {
      var node = MeshNode(id: jid, kind: "job", name: String(jid.dropFirst(4)))
      node.inputs = jobNodes[jid]!.inputs
      node.owner = jobOwners[String(jid.dropFirst(4))]
      if let o = node.owner { teams.insert(o) }
      node.provenance = [Provenance(.observed, file: jobNodes[jid]!.file)]
      node.description = jobDescriptions[String(jid.dropFirst(4))]
      node.resource = ImportedResource(type: "job", name: node.name ?? jid, package: jobNamespaces[String(jid.dropFirst(4))])
      mesh.nodes.append(node)
    }
    mesh.teams = teams.sorted().map { Team(id: $0) }
    if droppedLineage > 0 {
      findings.append(Finding(
        rule: "column-lineage-dropped", severity: .info,
        message: "the column lineage of \(droppedLineage) dataset\(droppedLineage == 1 ? "" : "s") is left out: with jobs as nodes, columns derive across a job",
        hint: "read the events without --jobs to keep column lineage"))
    }
    return (mesh, findings)
  }

  /// Applies a dataset's facets, the newest of each kind winning.
  func applyFacets(_ facets: JSONValue?, to d: inout Dataset, time: Double) {
    guard let facets = facets?.object else { return }
    if let schema = facets["schema"], schema["_deleted"]?.bool != true, time >= d.columnTime,
       let fields = schema["fields"]?.array
    {
      d.columns = Self.columns(fields)
      d.columnTime = time
    }
    if let lineage = facets["columnLineage"], lineage["_deleted"]?.bool != true,
       time >= (d.lineage?.time ?? -Double.infinity)
    {
      d.lineage = (time, lineage)
    }
    if time >= d.factTime {
      if let o = Self.owner(facets["ownership"]) { d.owner = o }
      if let text = facets["documentation"]?["description"]?.string, !text.isEmpty { d.description = text }
      if let change = facets["lifecycleStateChange"]?["lifecycleStateChange"]?.string {
        d.retired = change.uppercased() == "DROP"
      }
      d.factTime = time
    }
  }

  /// Column lineage from the `columnLineage` facet. References to datasets no event
  /// names, or to columns their schema lacks, are dropped with a warning; a referenced
  /// dataset that is not yet an input becomes one.
  func applyColumnLineage(_ facet: JSONValue, to node: inout MeshNode, datasets: [String: Dataset],
                          canonical: (String) -> String, findings: inout [Finding]) {
    var dropped: [String] = []
    func refs(_ entries: [JSONValue], legacy: String?) -> [ColumnRef] {
      var out: [ColumnRef] = []
      for f in entries {
        guard let raw = Self.datasetID(f), let column = f["field"]?.string else { continue }
        let id = canonical(raw)
        guard let upstream = datasets[id] else {
          dropped.append("\(raw).\(column) (no event names dataset '\(raw)')")
          continue
        }
        if !upstream.columns.isEmpty, !upstream.columns.contains(where: { $0.name == column }) {
          dropped.append("\(id).\(column) (not in its schema)")
          continue
        }
        let (transform, masked) = Self.transform(f["transformations"]?.array, legacy: legacy)
        out.append(ColumnRef(product: id, column: column, transform: transform, masked: masked))
        if id != node.id, !node.inputs.contains(where: { $0.product == id }) {
          var input = Input(product: id)
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
        node.schema.append(Column(name: name, masked: from.contains(where: \.masked), from: from))
      }
    }
    if !datasetLevel.isEmpty {
      for i in node.schema.indices { node.schema[i].from += datasetLevel.filter { !node.schema[i].from.contains($0) } }
    }
    if !dropped.isEmpty {
      findings.append(Finding(
        rule: "dangling-column-lineage", severity: .warning,
        message: "column lineage of '\(node.id)' names \(dropped.count) unknown column\(dropped.count == 1 ? "" : "s"), left out: \(dropped.prefix(5).joined(separator: ", "))\(dropped.count > 5 ? ", ..." : "")",
        subjects: [node.id], location: node.provenance.first.map { SourceLocation(file: $0.file) }))
    }
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
          let name = facet["owners"]?.array?.first?["name"]?.string, !name.isEmpty else { return nil }
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

  /// Seconds since 1970 of an ISO 8601 date-time (`2020-02-22T22:42:42.000Z`,
  /// `+10:00` offsets, nanoseconds, or no zone, read as UTC).
  static func instant(_ s: String) -> Double? {
    let b = Array(s.utf8)
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
          (1...12).contains(mo), (1...31).contains(d) else { return nil }
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

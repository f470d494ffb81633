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
    var column = 0
    var index: Int  // order of reading, the tie-breaker for equal times
    var number = 1  // 1-based, in its file
    var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
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
      let positions: [(line: Int, column: Int)]
      do {
        (values, positions) = try bytes.withUnsafeBufferPointer { (p) throws(JSONSyntaxError) in
          (try JSONParser.parseSequence(p, skipping: ["query", "sourceCode", "_producer", "_schemaURL"]),
           OpenLineageShape.eventPositions(p))
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
      let first = events.count
      for (v, line) in values {
        if case .array(let items) = v {
          for item in items {
            events.append(Event(value: item, file: file, line: line, index: events.count, number: events.count - first + 1))
          }
        } else {
          events.append(Event(value: v, file: file, line: line, index: events.count, number: events.count - first + 1))
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
    var time = -Double.infinity
    var index = 0
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

  func build(_ events: [Event], findings initial: [Finding]) -> (Mesh, [Finding]) {
    var findings = initial
    var missing: [String: [String: Int]] = [:]  // file -> field -> count
    var datasets: [String: Dataset] = [:]
    var runs: [String: Run] = [:]
    var runOrder: [String] = []
    var declared: [String: (inputs: [String], outputs: [String], file: String, location: SourceLocation)] = [:]
    var jobOwners: [String: String] = [:], jobLocations: [String: SourceLocation] = [:]
    var jobDescriptions: [String: String] = [:], jobNamespaces: [String: String] = [:]
    func noteJob(_ job: String, _ value: JSONValue?, _ e: Event) {
      if jobLocations[job] == nil { jobLocations[job] = e.location }
      if let o = Self.owner(value?["facets"]?["ownership"]) { jobOwners[job] = o }
      if let d = value?["facets"]?["documentation"]?["description"]?.string, !d.isEmpty { jobDescriptions[job] = d }
      if let ns = value?["namespace"]?.string { jobNamespaces[job] = ns }
    }

    // Every wrong-shaped field is a load error, located at its event.
    for e in events {
      for p in OpenLineageShape.check(e.value) {
        findings.append(Finding(rule: p.rule, severity: .error, message: "event \(e.number): " + p.message,
                                location: e.location, hint: p.hint))
      }
    }

    // Symlinks first: every identifier of a dataset's `symlinks` facet is an alias.
    var alias: [String: String] = [:]
    func eachDataset(_ e: Event, _ body: (JSONValue) -> Void) {
      let kind = OpenLineageShape.kind(of: e.value)
      if kind == .run || kind == .job {
        for key in ["inputs", "outputs"] { for d in e.value[key]?.array ?? [] { body(d) } }
      } else if kind == .dataset, let d = e.value["dataset"] {
        body(d)
      }
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

    // A dataset without namespace or name is left out (its event has a load error).
    func touch(_ raw: JSONValue, _ e: Event, time: Double) -> String? {
      guard let rawID = Self.datasetID(raw) else { return nil }
      let id = canonical(rawID)
      if datasets[id] == nil {
        // An alias's canonical dataset may appear only through the alias: split its id
        // after the namespace, which is the part up to the last ':' before the name.
        let name = id == rawID ? (raw["name"]?.string ?? id) : String(id.split(separator: ":").last ?? "")
        let namespace = id == rawID ? (raw["namespace"]?.string ?? "") : String(id.dropLast(name.count + 1))
        datasets[id] = Dataset(id: id, name: name, namespace: namespace, file: e.file, location: e.location,
                               order: datasets.count)
      }
      applyFacets(raw["facets"], to: &datasets[id]!, time: time, at: e.location)
      return id
    }

    for e in events {
      guard e.value.object != nil else { continue }
      for field in ["eventTime", "producer", "schemaURL"] where e.value[field] == nil {
        missing[e.file, default: [:]][field, default: 0] += 1
      }
      let time = e.value["eventTime"]?.string.flatMap(Self.instant) ?? -Double.infinity
      switch OpenLineageShape.kind(of: e.value) {
      case .run:
        guard let job = Self.jobID(e.value["job"]) else { continue }
        let runID = e.value["run"]?["runId"]?.string ?? "\(e.file)#\(e.index)"
        if runs[runID] == nil {
          runs[runID] = Run(job: job, file: e.file, location: e.location, runID: runID)
          runOrder.append(runID)
        }
        for d in e.value["inputs"]?.array ?? [] {
          if let id = touch(d, e, time: time), !runs[runID]!.inputs.contains(id) {
            runs[runID]!.inputs.append(id)
            runs[runID]!.inputLocations[id] = e.location
          }
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
        noteJob(job, e.value["job"], e)
      case .dataset:
        _ = touch(e.value["dataset"]!, e, time: time)
      case .job:
        guard let job = Self.jobID(e.value["job"]) else { continue }
        let ins = (e.value["inputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
        let outs = (e.value["outputs"]?.array ?? []).compactMap { touch($0, e, time: time) }
        declared[job] = (ins, outs, e.file, e.location)
        noteJob(job, e.value["job"], e)
      case .none:
        continue
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
    var flows: [Flow] = chosen.map {
      Flow(job: $0.job, inputs: $0.inputs, outputs: $0.outputs, inputLocations: $0.inputLocations, location: $0.location,
           provenance: Provenance(.observed, file: $0.file, detail: "job \($0.job), run \($0.runID)"))
    }
    for job in declared.keys.sorted() where history == .cumulative || !jobsWithRuns.contains(job) {
      let d = declared[job]!
      flows.append(Flow(job: job, inputs: d.inputs, outputs: d.outputs, inputLocations: [:], location: d.location,
                        provenance: Provenance(.declared, file: d.file, detail: "job event \(job)")))
    }

    // Nodes and edges.
    var inputs: [String: [Input]] = [:]
    // A dataset a job reads and writes (MERGE INTO, an incremental update): where.
    var selfLoops: [String: SourceLocation] = [:]
    var jobNodes: [String: (file: String, inputs: [Input])] = [:]
    func input(_ product: String, _ f: Flow) -> Input {
      var input = Input(product: product, location: f.inputLocations[product] ?? f.location)
      input.provenance = [f.provenance]
      return input
    }
    for f in flows {
      for i in f.inputs where f.outputs.contains(i) && selfLoops[i] == nil {
        selfLoops[i] = f.inputLocations[i] ?? f.location
      }
      if jobsAsNodes {
        let jid = "job:" + f.job
        var j = jobNodes[jid] ?? (f.provenance.file, [])
        // A dataset the job reads and writes stays its output only.
        for i in f.inputs where !f.outputs.contains(i) && !j.inputs.contains(where: { $0.product == i }) {
          j.inputs.append(input(i, f))
        }
        jobNodes[jid] = j
        for o in f.outputs where !(inputs[o] ?? []).contains(where: { $0.product == jid }) {
          var edge = Input(product: jid, location: f.location)
          edge.provenance = [f.provenance]
          inputs[o, default: []].append(edge)
        }
        continue
      }
      for o in f.outputs {
        for i in f.inputs where i != o && !(inputs[o] ?? []).contains(where: { $0.product == i }) {
          inputs[o, default: []].append(input(i, f))
        }
      }
    }

    var mesh = Mesh(name: "openlineage")
    var teams = Set<String>()
    var droppedLineage = 0
    var selfColumns: [String: (count: Int, location: SourceLocation)] = [:]
    for d in datasets.values.sorted(by: { $0.order < $1.order }) {
      var node = MeshNode(id: d.id, kind: "dataset", name: d.name)
      node.owner = d.owner
      node.description = d.description
      node.status = d.retired ? .retired : .active
      node.schema = d.columns
      node.inputs = inputs[d.id] ?? []
      node.provenance = [Provenance(.observed, file: d.file)]
      node.location = d.location
      if let o = d.ownerLocation { node.fieldLocations["owner"] = o }
      node.resource = ImportedResource(type: "dataset", name: d.name, package: d.namespace)
      if let o = d.owner { teams.insert(o) }
      if let (_, lineage, at) = d.lineage {
        if jobsAsNodes {
          droppedLineage += 1
        } else {
          let own = applyColumnLineage(lineage, at: at, to: &node, datasets: datasets, canonical: canonical,
                                       findings: &findings)
          if own > 0 { selfColumns[d.id] = (own, at) }
        }
      }
      mesh.nodes.append(node)
    }
    for d in Set(selfLoops.keys).union(selfColumns.keys).sorted() {
      let refs = selfColumns[d].map { "\($0.count) column lineage reference\($0.count == 1 ? "" : "s")" }
      let message: String
      switch (selfLoops[d] != nil, refs) {
      case (true, nil):
        message = "a job reads and writes '\(d)' (an incremental update or a MERGE); that edge is left out"
      case (true, let refs?):
        message = "a job reads and writes '\(d)' (an incremental update or a MERGE); that edge and the \(refs) from its own columns are left out"
      case (false, let refs?):
        message = "the column lineage of '\(d)' names its own columns (an incremental update or a MERGE); those \(refs) are left out"
      case (false, nil):
        continue
      }
      findings.append(Finding(rule: "self-loop", severity: .info, message: message, subjects: [d],
                              location: selfLoops[d] ?? selfColumns[d]?.location))
    }
    for jid in jobNodes.keys.sorted() {
      let job = String(jid.dropFirst(4))
      var node = MeshNode(id: jid, kind: "job", name: job)
      node.inputs = jobNodes[jid]!.inputs
      node.owner = jobOwners[job]
      if let o = node.owner { teams.insert(o) }
      node.provenance = [Provenance(.observed, file: jobNodes[jid]!.file)]
      node.location = jobLocations[job] ?? declared[job]?.location
      node.description = jobDescriptions[job]
      node.resource = ImportedResource(type: "job", name: node.name ?? jid, package: jobNamespaces[job])
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
  func applyColumnLineage(_ facet: JSONValue, at location: SourceLocation, to node: inout MeshNode,
                          datasets: [String: Dataset], canonical: (String) -> String,
                          findings: inout [Finding]) -> Int {
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
      findings.append(Finding(
        rule: "dangling-column-lineage", severity: .warning,
        message: "column lineage of '\(node.id)' names \(dropped.count) unknown column\(dropped.count == 1 ? "" : "s"), left out: \(dropped.prefix(5).joined(separator: ", "))\(dropped.count > 5 ? ", ..." : "")",
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

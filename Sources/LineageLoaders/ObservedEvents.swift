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
public enum ObservedEvents {
  /// Keys whose values are never needed: skipped without being built.
  static let skipped: Set<String> = [
    "query", "sourceCode", "_producer", "_schemaURL", "columnLineage", "sql", "producer", "schemaURL",
  ]

  /// Reads the events of every path.
  ///
  /// - Parameter paths: Event files or directories of them.
  /// - Returns: The summary, and the findings on the events (load errors among them).
  /// - Throws: ``LoadError`` when a path does not exist.
  /// - Complexity: O(n) in the total size of the files.
  public static func read(paths: [String]) throws(LoadError) -> (ObservedLineage, [Finding]) {
    var observed = ObservedLineage()
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
    for file in files {
      let mapped = try MappedFile(file)
      withExtendedLifetime(mapped) { read(mapped.bytes, file: file, into: &observed, findings: &findings) }
    }
    if observed.runEvents == 0, observed.datasets.isEmpty, !findings.contains(where: \.isLoadError) {
      findings.append(
        Finding(
          rule: .loadError, severity: .error,
          message: "no OpenLineage events in \(paths.joined(separator: ", ")): nothing to compare the mesh with",
          location: paths.first.map { SourceLocation(file: $0) },
          hint: "give a file or directory of OpenLineage events (JSON arrays, one event, or one per line)"))
    }
    return (observed, findings)
  }

  /// Reads one file's events.
  ///
  /// - Parameters:
  ///   - bytes: The file's bytes.
  ///   - file: Its path, for locations.
  ///   - observed: The summary to fold the events into.
  ///   - findings: Where problems go.
  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, file: String, into observed: inout ObservedLineage,
    findings: inout [Finding]
  ) {
    var s = JSONScanner(bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { s.pos = 3 }
    // Line and column of event starts, counted incrementally.
    var line = 1, column = 1, counted = 0
    func position(_ offset: Int) -> SourceLocation {
      while counted < offset {
        let b = bytes[counted]
        if b == 10 {
          line += 1
          column = 1
        } else if b & 0xC0 != 0x80 {
          column += 1
        }
        counted += 1
      }
      return SourceLocation(file: file, line: line, column: column)
    }
    var number = 0
    func event(_ s: inout JSONScanner) throws(JSONScanner.Failure) {
      s.skipSpace()
      let start = s.pos
      let at = position(start)
      number += 1
      if let fast = try? FastEvent.read(&s) {
        fast.fold(at: at, into: &observed)
        return
      }
      s.pos = start
      let value = try JSONParser.value(&s, skip: skipped)
      fold(value, at: at, number: number, into: &observed, findings: &findings)
    }
    do throws(JSONScanner.Failure) {
      while s.peek() != .end {
        if s.peek() == .arrayStart {
          s.pos += 1
          if !s.isEmpty(close: UInt8(ascii: "]")) {
            repeat { try event(&s) } while try s.next(close: UInt8(ascii: "]"), what: "an array")
          }
        } else {
          try event(&s)
        }
      }
    } catch {
      let (l, c) = s.lineColumn(error.offset)
      findings.append(
        Finding(
          rule: .invalidJson, severity: .error, message: "invalid JSON: \(error.message)",
          location: SourceLocation(file: file, line: l, column: c),
          hint: "OpenLineage input is a JSON array of events, one event, or one event per line"))
      return
    }
    if number == 0 {
      findings.append(
        Finding(
          rule: .emptyInput, severity: .warning, message: "\(file) holds no events",
          location: SourceLocation(file: file)))
    }
  }

  /// Folds one event into the summary.
  static func fold(
    _ e: JSONValue, at location: SourceLocation, number: Int, into observed: inout ObservedLineage,
    findings: inout [Finding]
  ) {
    let problems = OpenLineageShape.check(e)
    if !problems.isEmpty {
      for p in problems {
        findings.append(
          Finding(
            rule: p.rule, severity: .error, message: "event \(number): " + p.message, location: location, hint: p.hint))
      }
      return
    }
    let eventTime = e["eventTime"]?.string ?? ""
    let time = OpenLineageImporter.instant(eventTime) ?? -Double.infinity
    func datasets(_ list: [JSONValue]?, _ evidence: ObservedLineage.Evidence) -> [Int32] {
      var out: [Int32] = []
      for d in list ?? [] {
        guard let ns = d["namespace"]?.string, let name = d["name"]?.string else { continue }
        let i = observed.dataset(namespace: ns, name: name, location: location)
        out.append(i)
        guard let facets = d["facets"]?.object else { continue }
        for id in facets["symlinks"]?["identifiers"]?.array ?? [] {
          if let a = OpenLineageImporter.datasetID(id) { observed.addAlias(i, a) }
        }
        if let schema = facets["schema"], schema["_deleted"]?.bool != true, let fields = schema["fields"]?.array {
          let columns = fields.compactMap { f in
            f["name"]?.string.map { ObservedLineage.Column(name: $0, type: f["type"]?.string) }
          }
          observed.observeSchema(i, columns: columns, evidence: evidence)
        }
      }
      return out
    }
    switch OpenLineageShape.kind(of: e) {
    case .run:
      let job = OpenLineageImporter.jobID(e["job"]) ?? ""
      let evidence = ObservedLineage.Evidence(
        job: job, runID: e["run"]?["runId"]?.string ?? "", eventTime: eventTime, time: time, location: location)
      let inputs = datasets(e["inputs"]?.array, evidence)
      let outputs = datasets(e["outputs"]?.array, evidence)
      observed.observe(job: job, inputs: inputs, outputs: outputs, evidence: evidence)
    case .dataset:
      let evidence = ObservedLineage.Evidence(job: "", runID: "", eventTime: eventTime, time: time, location: location)
      observed.note(evidence)
      _ = datasets(e["dataset"].map { [$0] }, evidence)
    case .job:
      // A JobEvent declares a job's lineage; it does not show a run. Its datasets and
      // schemas are observed all the same.
      let evidence = ObservedLineage.Evidence(
        job: OpenLineageImporter.jobID(e["job"]) ?? "", runID: "", eventTime: eventTime, time: time,
        location: location)
      if time.isFinite { observed.note(evidence) }
      _ = datasets(e["inputs"]?.array, evidence)
      _ = datasets(e["outputs"]?.array, evidence)
    case .none: break
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

/// The fast path of ``ObservedEvents``: reads the fields drift needs straight from the
/// bytes, without building the event, for events whose shape it can vouch for. An
/// event it cannot vouch for (a field of another type, a facet whose shape only the
/// importer's checks know: `columnLineage`, `ownership`, `documentation`,
/// `lifecycleStateChange`, nested schema fields, a repeated key) makes it give up, and
/// the event is read again by the slow path (``JSONParser`` and ``OpenLineageShape``),
/// which reports its problems as the importer does. So both paths accept the same events.
struct FastEvent {
  /// Why the fast path gives up: the event goes to the slow path.
  static let bail = JSONScanner.Failure(message: "not read by the fast path", offset: 0)

  struct Dataset {
    var namespace: String
    var name: String
    var schema: [ObservedLineage.Column]?
    var symlinks: [String] = []
  }

  var eventTime: String?
  var eventType: String?
  var runID: String?
  var hasRun = false, hasJob = false, hasDataset = false
  var job: String?
  var inputs: [Dataset] = []
  var outputs: [Dataset] = []
  var dataset: Dataset?

  /// Facets whose shape the slow path checks and the fast path does not read.
  static let checkedFacets: Set<String> = ["columnLineage", "ownership", "documentation", "lifecycleStateChange"]

  /// Reads one event at the scanner's position; on success the scanner is after it.
  static func read(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> FastEvent {
    var e = FastEvent()
    do throws(JSONScanner.Failure) {
      var seen: UInt8 = 0
      try object(&s) { (key, s) throws(JSONScanner.Failure) in
        try once(key, Self.eventKeys, &seen)
        switch key {
        case "eventTime": e.eventTime = try optionalString(&s)
        case "eventType":
          e.eventType = try optionalString(&s)
          if let t = e.eventType, !OpenLineageShape.eventTypes.contains(t.uppercased()) { throw FastEvent.bail }
        case "run":
          if try isNull(&s) { return }
          e.hasRun = true
          try object(&s) { (k, s) throws(JSONScanner.Failure) in
            if k == "runId" { e.runID = try optionalString(&s) } else { try skip(&s) }
          }
        case "job":
          if try isNull(&s) { return }
          e.hasJob = true
          var ns: String?, name: String?
          try object(&s) { (k, s) throws(JSONScanner.Failure) in
            switch k {
            case "namespace": ns = try optionalString(&s)
            case "name": name = try optionalString(&s)
            case "facets":
              if try isNull(&s) { return }
              try object(&s) { (f, s) throws(JSONScanner.Failure) in
                if f == "ownership" || f == "documentation" { throw FastEvent.bail }
                try skip(&s)
              }
            default: try skip(&s)
            }
          }
          guard let ns, let name, !name.isEmpty else { throw FastEvent.bail }
          e.job = ns + ":" + name
        case "inputs": e.inputs = try datasets(&s)
        case "outputs": e.outputs = try datasets(&s)
        case "dataset":
          if try isNull(&s) { return }
          e.hasDataset = true
          e.dataset = try dataset(&s)
        default: try skip(&s)
        }
      }
    } catch {
      throw FastEvent.bail
    }
    if let t = e.eventTime, OpenLineageImporter.instant(t) == nil { throw FastEvent.bail }
    if e.hasRun {
      guard e.runID != nil, e.job != nil else { throw FastEvent.bail }
    } else if !e.hasDataset {
      guard e.hasJob, e.job != nil else { throw FastEvent.bail }
    }
    return e
  }

  /// The keys the fast path reads, at the top of an event and of a dataset.
  static let eventKeys = ["eventTime", "eventType", "run", "job", "inputs", "outputs", "dataset"]
  static let datasetKeys = ["namespace", "name", "facets"]

  /// Bails when a key the fast path reads comes twice (which of the two counts is the
  /// slow path's business); other keys may repeat.
  static func once(_ key: String, _ keys: [String], _ seen: inout UInt8) throws(JSONScanner.Failure) {
    guard let i = keys.firstIndex(of: key) else { return }
    let bit: UInt8 = 1 << UInt8(i)
    if seen & bit != 0 { throw FastEvent.bail }
    seen |= bit
  }

  /// Calls `body` with each key of an object, the scanner at its value; `body` must
  /// consume the value. Throws `Bail` when the value is not an object.
  static func object(_ s: inout JSONScanner, _ body: (String, inout JSONScanner) throws(JSONScanner.Failure) -> Void)
    throws(JSONScanner.Failure)
  {
    do throws(JSONScanner.Failure) {
      guard s.peek() == .objectStart else { throw FastEvent.bail }
      s.pos += 1
      if s.isEmpty(close: UInt8(ascii: "}")) { return }
      repeat {
        let key = try s.string { String(decoding: $0, as: UTF8.self) }
        try s.expect(UInt8(ascii: ":"), "':'")
        try body(key, &s)
      } while try s.next(close: UInt8(ascii: "}"), what: "an object")
    } catch {
      throw FastEvent.bail
    }
  }

  static func skip(_ s: inout JSONScanner) throws(JSONScanner.Failure) {
    do throws(JSONScanner.Failure) { try s.skipValue() } catch { throw FastEvent.bail }
  }

  /// True (and consumed) for `null`.
  static func isNull(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Bool {
    guard s.peek() == .literal else { return false }
    let p = s.pos
    do throws(JSONScanner.Failure) {
      if try s.literal() == "null" { return true }
    } catch {
      throw FastEvent.bail
    }
    s.pos = p
    return false
  }

  /// A string, nil for `null`; anything else bails.
  static func optionalString(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> String? {
    if try isNull(&s) { return nil }
    guard s.peek() == .string else { throw FastEvent.bail }
    do throws(JSONScanner.Failure) {
      return try s.string { String(decoding: $0, as: UTF8.self) }
    } catch {
      throw FastEvent.bail
    }
  }

  /// An array of objects, each passed to `body`; `null` is none.
  static func array(_ s: inout JSONScanner, _ body: (inout JSONScanner) throws(JSONScanner.Failure) -> Void)
    throws(JSONScanner.Failure)
  {
    if try isNull(&s) { return }
    do throws(JSONScanner.Failure) {
      guard s.peek() == .arrayStart else { throw FastEvent.bail }
      s.pos += 1
      if s.isEmpty(close: UInt8(ascii: "]")) { return }
      repeat { try body(&s) } while try s.next(close: UInt8(ascii: "]"), what: "an array")
    } catch {
      throw FastEvent.bail
    }
  }

  static func datasets(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> [Dataset] {
    var out: [Dataset] = []
    try array(&s) { (s) throws(JSONScanner.Failure) in out.append(try dataset(&s)) }
    return out
  }

  static func dataset(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Dataset {
    var ns: String?, name: String?
    var schema: [ObservedLineage.Column]?
    var symlinks: [String] = []
    var seen: UInt8 = 0
    try object(&s) { (key, s) throws(JSONScanner.Failure) in
      try once(key, Self.datasetKeys, &seen)
      switch key {
      case "namespace": ns = try optionalString(&s)
      case "name": name = try optionalString(&s)
      case "facets":
        if try isNull(&s) { return }
        try object(&s) { (facet, s) throws(JSONScanner.Failure) in
          if checkedFacets.contains(facet) { throw FastEvent.bail }
          switch facet {
          case "schema":
            if try isNull(&s) { return }
            var deleted = false
            var fields: [ObservedLineage.Column] = []
            try object(&s) { (k, s) throws(JSONScanner.Failure) in
              switch k {
              case "_deleted": deleted = try optionalBool(&s) ?? false
              case "fields":
                try array(&s) { (s) throws(JSONScanner.Failure) in
                  var fieldName: String?, type: String?
                  try object(&s) { (f, s) throws(JSONScanner.Failure) in
                    switch f {
                    case "name": fieldName = try optionalString(&s)
                    case "type": type = try optionalString(&s)
                    case "description": _ = try optionalString(&s)
                    case "fields":
                      if try isNull(&s) { return }
                      throw FastEvent.bail  // nested fields: the slow path's checks
                    default: try skip(&s)
                    }
                  }
                  guard let fieldName else { throw FastEvent.bail }
                  fields.append(ObservedLineage.Column(name: fieldName, type: type))
                }
              default: try skip(&s)
              }
            }
            if !deleted { schema = fields }
          case "symlinks":
            if try isNull(&s) { return }
            try object(&s) { (k, s) throws(JSONScanner.Failure) in
              switch k {
              case "_deleted": _ = try optionalBool(&s)
              case "identifiers":
                try array(&s) { (s) throws(JSONScanner.Failure) in
                  var ins: String?, iname: String?
                  try object(&s) { (f, s) throws(JSONScanner.Failure) in
                    switch f {
                    case "namespace": ins = try optionalString(&s)
                    case "name": iname = try optionalString(&s)
                    default: try skip(&s)
                    }
                  }
                  guard let ins, let iname, !iname.isEmpty else { throw FastEvent.bail }
                  symlinks.append(ins + ":" + iname)
                }
              default: try skip(&s)
              }
            }
          default: try skip(&s)
          }
        }
      default: try skip(&s)
      }
    }
    guard let ns, let name, !name.isEmpty else { throw FastEvent.bail }
    return Dataset(namespace: ns, name: name, schema: schema, symlinks: symlinks)
  }

  static func optionalBool(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Bool? {
    guard s.peek() == .literal else { throw FastEvent.bail }
    do throws(JSONScanner.Failure) {
      switch try s.literal() {
      case "true": return true
      case "false": return false
      default: return nil
      }
    } catch {
      throw FastEvent.bail
    }
  }

  /// Folds the event into the summary, as ``ObservedEvents/fold(_:at:number:into:findings:)``
  /// folds a parsed one.
  func fold(at location: SourceLocation, into observed: inout ObservedLineage) {
    let eventTime = self.eventTime ?? ""
    let time = OpenLineageImporter.instant(eventTime) ?? -Double.infinity
    func indices(_ list: [Dataset], _ evidence: ObservedLineage.Evidence) -> [Int32] {
      list.map { d in
        let i = observed.dataset(namespace: d.namespace, name: d.name, location: location)
        for a in d.symlinks { observed.addAlias(i, a) }
        if let schema = d.schema { observed.observeSchema(i, columns: schema, evidence: evidence) }
        return i
      }
    }
    if hasRun {
      let evidence = ObservedLineage.Evidence(
        job: job ?? "", runID: runID ?? "", eventTime: eventTime, time: time, location: location)
      let i = indices(inputs, evidence), o = indices(outputs, evidence)
      observed.observe(job: job ?? "", inputs: i, outputs: o, evidence: evidence)
    } else if hasDataset {
      let evidence = ObservedLineage.Evidence(job: "", runID: "", eventTime: eventTime, time: time, location: location)
      observed.note(evidence)
      _ = indices(dataset.map { [$0] } ?? [], evidence)
    } else {
      let evidence = ObservedLineage.Evidence(
        job: job ?? "", runID: "", eventTime: eventTime, time: time, location: location)
      if time.isFinite { observed.note(evidence) }
      _ = indices(inputs, evidence)
      _ = indices(outputs, evidence)
    }
  }
}

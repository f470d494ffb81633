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
/// file below it that holds events. Every event is checked with the importer's shape
/// checks; a field of the wrong type is a load error located at its event, and a JSON
/// syntax error is a load error that stops reading its file.
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
      let at = position(s.pos)
      let value = try JSONParser.value(&s, skip: skipped)
      number += 1
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
    guard let text = MeshSpecLoader.readText(path, diag: diag) else { return ([], diag.findings) }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      MeshSpecLoader.report(yamlError: error, diag: diag)
      return ([], diag.findings)
    }
    guard let root else { return ([], diag.findings) }
    guard let f = Fields(root, context: "the map file", diag: diag) else { return ([], diag.findings) }
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

/// The shape of an OpenLineage event, as ``OpenLineageImporter`` reads it.
///
/// Every field the importer reads must have, when present, the JSON type the spec
/// gives it; the fields the spec requires for what is read (a run's `runId`, a job's
/// and a dataset's `namespace` and `name`, a schema field's `name`, an input field's
/// `namespace`, `name` and `field`, an owner's `name`, a symlink's `namespace` and
/// `name`) must be there. A problem means the event was not read completely: it
/// becomes a load error. Fields the importer ignores are not checked, and `null`
/// counts as absent. The checks are iterative (nested schema fields use a stack).
enum OpenLineageShape {
  typealias Problem = JSONShape.Problem
  typealias Segment = JSONShape.Segment
  typealias Checker = JSONShape.Checker

  /// What an event is, decided as the importer reads it: `run` makes a RunEvent,
  /// else `dataset` a DatasetEvent, else `job` a JobEvent.
  enum EventKind { case run, dataset, job, none }

  static func kind(of e: JSONValue) -> EventKind {
    if present(e["run"]) != nil { return .run }
    if present(e["dataset"]) != nil { return .dataset }
    if present(e["job"]) != nil { return .job }
    return .none
  }

  static func present(_ v: JSONValue?) -> JSONValue? { JSONShape.present(v) }

  static let eventTypes: Set<String> = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]
  static let lifecycleStates: Set<String> = ["ALTER", "CREATE", "DROP", "OVERWRITE", "RENAME", "TRUNCATE"]

  /// The problems of one event, in the order of its fields.
  static func check(_ e: JSONValue) -> [Problem] {
    guard e.object != nil else {
      return [
        Problem(
          rule: "invalid-type", message: "an event must be an object, got \(e.typeName)",
          hint: "OpenLineage input is a JSON array of event objects, one event object, or one per line")
      ]
    }
    var c = Checker()
    if let t = c.get(e, "eventTime", [], .string)?.string, OpenLineageImporter.instant(t) == nil {
      c.add(
        "invalid-value", "\"eventTime\" must be an ISO 8601 date-time, got \(quoted(t))",
        hint: "for example 2024-05-01T02:03:00.000Z; the latest run of a job is chosen by it")
    }
    switch kind(of: e) {
    case .run:
      if let run = c.get(e, "run", [], .object) {
        _ = c.get(run, "runId", [.key("run")], .string, required: true)
      }
      c.job(e)
      if let t = c.get(e, "eventType", [], .string)?.string, !eventTypes.contains(t.uppercased()) {
        c.add(
          "invalid-value",
          "\"eventType\" must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER, got \(quoted(t))",
          hint: "a run counts once one of its events is COMPLETE")
      }
      c.datasets(e, "inputs")
      c.datasets(e, "outputs")
    case .dataset:
      if let d = c.get(e, "dataset", [], .object) { c.dataset(d, [.key("dataset")]) }
    case .job:
      c.job(e)
      c.datasets(e, "inputs")
      c.datasets(e, "outputs")
    case .none:
      c.add(
        "invalid-event", "an object with neither \"run\", \"dataset\" nor \"job\" is not an OpenLineage event",
        hint: "a RunEvent has run and job, a DatasetEvent dataset, a JobEvent job")
    }
    return c.problems
  }

  static func quoted(_ s: String) -> String { JSONShape.quoted(s) }
}

/// The checks of OpenLineage's fields, over the shared ``JSONShape/Checker``.
extension JSONShape.Checker {
  mutating func job(_ e: JSONValue) {
    guard let job = get(e, "job", [], .object, required: true) else { return }
    let p: [Segment] = [.key("job")]
    _ = get(job, "namespace", p, .string, required: true)
    _ = get(job, "name", p, .string, required: true, nonEmpty: true)
    if let facets = get(job, "facets", p, .object) {
      let fp = p + [.key("facets")]
      ownership(facets, fp)
      documentation(facets, fp)
    }
  }

  mutating func datasets(_ e: JSONValue, _ key: String) {
    for (d, p) in list(e, key, [], .object) { dataset(d, p) }
  }

  mutating func dataset(_ d: JSONValue, _ p: [Segment]) {
    _ = get(d, "namespace", p, .string, required: true)
    _ = get(d, "name", p, .string, required: true, nonEmpty: true)
    guard let facets = get(d, "facets", p, .object) else { return }
    let fp = p + [.key("facets")]
    schema(facets, fp)
    columnLineage(facets, fp)
    ownership(facets, fp)
    documentation(facets, fp)
    if let s = facet(facets, "symlinks", fp) {
      for (id, ip) in list(s, "identifiers", fp + [.key("symlinks")], .object) {
        _ = get(id, "namespace", ip, .string, required: true)
        _ = get(id, "name", ip, .string, required: true, nonEmpty: true)
      }
    }
    if let l = facet(facets, "lifecycleStateChange", fp),
      let state = get(l, "lifecycleStateChange", fp + [.key("lifecycleStateChange")], .string)?.string,
      !OpenLineageShape.lifecycleStates.contains(state.uppercased())
    {
      add(
        "invalid-value",
        "\(text(fp + [.key("lifecycleStateChange"), .key("lifecycleStateChange")])) must be one of ALTER, CREATE, DROP, OVERWRITE, RENAME, TRUNCATE, got \(quoted(state))"
      )
    }
  }

  /// A facet object, with its `_deleted` flag checked.
  mutating func facet(_ facets: JSONValue, _ name: String, _ fp: [Segment]) -> JSONValue? {
    guard let f = get(facets, name, fp, .object) else { return nil }
    _ = get(f, "_deleted", fp + [.key(name)], .bool)
    return f
  }

  mutating func schema(_ facets: JSONValue, _ fp: [Segment]) {
    guard let s = facet(facets, "schema", fp) else { return }
    var stack = [(fields: list(s, "fields", fp + [.key("schema")], .object), next: 0)]
    while var top = stack.popLast() {
      guard top.next < top.fields.count else { continue }
      let (field, p) = top.fields[top.next]
      top.next += 1
      stack.append(top)
      _ = get(field, "name", p, .string, required: true)
      _ = get(field, "type", p, .string)
      _ = get(field, "description", p, .string)
      let nested = list(field, "fields", p, .object)
      if !nested.isEmpty { stack.append((nested, 0)) }
    }
  }

  mutating func columnLineage(_ facets: JSONValue, _ fp: [Segment]) {
    guard let cl = facet(facets, "columnLineage", fp) else { return }
    let p = fp + [.key("columnLineage")]
    if let fields = get(cl, "fields", p, .object) {
      for (name, entry) in fields.object?.entries ?? JSONObject().entries {
        let ep = p + [.key("fields"), .key(name)]
        guard entry.object != nil else {
          add("invalid-type", "\(text(ep)) must be an object, got \(entry.typeName)")
          continue
        }
        for (f, ip) in list(entry, "inputFields", ep, .object, required: true) { inputField(f, ip) }
        _ = get(entry, "transformationType", ep, .string)
      }
    }
    for (f, ip) in list(cl, "dataset", p, .object) { inputField(f, ip) }
  }

  mutating func inputField(_ f: JSONValue, _ p: [Segment]) {
    _ = get(f, "namespace", p, .string, required: true)
    _ = get(f, "name", p, .string, required: true, nonEmpty: true)
    _ = get(f, "field", p, .string, required: true)
    for (t, tp) in list(f, "transformations", p, .object) {
      _ = get(t, "type", tp, .string)
      _ = get(t, "subtype", tp, .string)
      _ = get(t, "masking", tp, .bool)
    }
  }

  mutating func ownership(_ facets: JSONValue, _ fp: [Segment]) {
    guard let o = facet(facets, "ownership", fp) else { return }
    for (owner, p) in list(o, "owners", fp + [.key("ownership")], .object) {
      _ = get(owner, "name", p, .string, required: true)
    }
  }

  mutating func documentation(_ facets: JSONValue, _ fp: [Segment]) {
    guard let d = facet(facets, "documentation", fp) else { return }
    _ = get(d, "description", fp + [.key("documentation")], .string)
  }
}

extension OpenLineageShape {
  /// Where each event of a file starts, as line and column: every top-level value,
  /// and each element of a top-level array, as ``OpenLineageImporter`` takes them.
  /// One pass that skips values without building them; empty when the bytes do not
  /// scan (they parsed already, so that does not happen).
  static func eventPositions(_ bytes: UnsafeBufferPointer<UInt8>) -> [(line: Int, column: Int)] {
    var s = JSONScanner(bytes)
    var offsets: [Int] = []
    do throws(JSONScanner.Failure) {
      while s.peek() != .end {
        if s.peek() == .arrayStart {
          s.pos += 1
          if !s.isEmpty(close: UInt8(ascii: "]")) {
            repeat {
              s.skipSpace()
              offsets.append(s.pos)
              try s.skipValue()
            } while try s.next(close: UInt8(ascii: "]"), what: "an array")
          }
        } else {
          offsets.append(s.pos)
          try s.skipValue()
        }
      }
    } catch {
      return []
    }
    var out: [(line: Int, column: Int)] = []
    out.reserveCapacity(offsets.count)
    var line = 1, column = 1, i = 0
    for offset in offsets {
      while i < offset {
        let b = bytes[i]
        if b == 10 {
          line += 1
          column = 1
        } else if b & 0xC0 != 0x80 {
          column += 1
        }
        i += 1
      }
      out.append((line, column))
    }
    return out
  }
}

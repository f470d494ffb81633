/// Recognising OpenLineage events by their structure.
extension OpenLineageImporter {
  /// What the first JSON value of a file says about it.
  enum Recognition: Equatable {
    /// An OpenLineage event (or an array whose first element is one).
    case events
    /// Something else: graph JSON, a dbt manifest, an array of other values.
    case other
    /// Not decided: the JSON breaks before its top-level keys say what it is.
    case unreadable
  }

  /// Decides by structure whether `bytes` hold OpenLineage events: the first JSON value
  /// (or the first element of a top-level array, or the first line of NDJSON) is an
  /// object whose top-level keys are an event's, wherever they sit in it. A run facet of
  /// megabytes before `"eventTime"` does not hide an event, and ids or names that
  /// happen to read `"job"` or `"eventTime"` inside graph JSON do not make one.
  ///
  /// An object is an event when it has `run` and `job` objects (a RunEvent); a `job`
  /// object with `inputs`, `outputs`, `eventTime`, `eventType`, `producer` or
  /// `schemaURL` (a JobEvent, or a RunEvent lacking its run); a `dataset` object with
  /// `eventTime`, `producer` or `schemaURL` (a DatasetEvent); or string `eventTime` and
  /// `eventType`. Graph JSON's `"nodes": [` or `"edges": [` and a dbt manifest's
  /// `metadata` end the look at once; other values are skipped without being built.
  ///
  /// - Parameter bytes: The file's bytes (a UTF-8 byte order mark is skipped).
  /// - Returns: ``Recognition/events``, ``Recognition/other``, or
  ///   ``Recognition/unreadable`` when the JSON breaks first.
  /// - Complexity: O(n) in the size of the first value, O(1) memory.
  static func recognize(_ bytes: UnsafeBufferPointer<UInt8>) -> Recognition {
    var s = JSONScanner(bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { s.pos = 3 }
    var seen = Set<String>()
    let object: Set<String> = ["run", "job", "dataset"]
    let strings: Set<String> = ["eventTime", "eventType", "producer", "schemaURL"]
    let markers = strings.union(["inputs", "outputs"])
    func decided() -> Bool {
      (seen.contains("run") && seen.contains("job"))
        || (seen.contains("job") && !seen.isDisjoint(with: markers))
        || (seen.contains("dataset") && !seen.isDisjoint(with: ["eventTime", "producer", "schemaURL"]))
        || (seen.contains("eventTime") && seen.contains("eventType"))
    }
    do throws(JSONScanner.Failure) {
      if s.peek() == .arrayStart {
        s.pos += 1
        if s.isEmpty(close: UInt8(ascii: "]")) { return .other }
      }
      guard s.peek() == .objectStart else { return .other }
      s.pos += 1
      if s.isEmpty(close: UInt8(ascii: "}")) { return .other }
      repeat {
        let key = try s.string { String(decoding: $0, as: UTF8.self) }
        try s.expect(UInt8(ascii: ":"), "':'")
        let token = s.peek()
        switch token {
        case .arrayStart where key == "nodes" || key == "edges": return .other
        case .objectStart where key == "metadata": return .other
        case .objectStart where object.contains(key): seen.insert(key)
        case .string where strings.contains(key): seen.insert(key)
        case .arrayStart where key == "inputs" || key == "outputs": seen.insert(key)
        default: break
        }
        if decided() { return .events }
        try s.skipValue()
      } while try s.next(close: UInt8(ascii: "}"), what: "an object")
    } catch {
      return .unreadable
    }
    return .other
  }
}

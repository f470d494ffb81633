public import LineageCore

/// SARIF 2.1.0 (code scanning) for findings: one result per finding, located in the
/// spec file that declares it. Each rule a finding reports is listed under the
/// driver's `rules` with its catalogue summary (``Finding/Rule/Info/summary``) as its
/// `shortDescription`.
///
/// GitHub's code scanning refuses a whole file when any result has no location, so a
/// finding without one (about the mesh as a whole, say) is placed at line 1 of
/// `fallbackFile`, the input's main file (`mesh.yaml`, the manifest).
///
/// The log stays within code scanning's upload limits
/// (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit):
/// one run; one location per result (the limit is 1,000, of which 100 are shown), no
/// thread flows; at most ``maxResults`` results; messages of at most ``maxMessage``
/// characters; and at most ``maxBytes`` bytes.
public enum SARIFWriter {
  /// The most results one log holds. Code scanning rejects a run of more than 25,000
  /// results and shows only the 5,000 most severe of the rest, so a log of more
  /// findings keeps the 5,000 most severe (errors, then warnings, then notes, each in
  /// report order) and says in a tool notification how many it left out.
  public static let maxResults = 5_000
  /// The largest log, in bytes. Code scanning rejects an upload of more than 10 MB
  /// (gzip-compressed); a log kept under 10 MB before compression is always taken, so
  /// a larger one keeps the most severe results that fit and says how many it left out.
  public static let maxBytes = 10_000_000
  /// The longest result message, in characters; a longer one is cut there, and says so.
  public static let maxMessage = 8_000

  /// `text`, cut at ``maxMessage`` characters with a note of how much was left out.
  static func clipped(_ text: String) -> String {
    guard text.count > maxMessage else { return text }
    let more = text.count - maxMessage
    return String(text.prefix(maxMessage)) + "… (\(more) more characters; the text and JSON outputs have it whole)"
  }

  /// Writes the SARIF log.
  ///
  /// - Parameters:
  ///   - findings: The results, in any order (they are written in report order).
  ///   - fallbackFile: Where a finding without a location is reported.
  ///   - executionSuccessful: False when the input was not read completely: the run
  ///     is then marked unsuccessful (`invocations[0].executionSuccessful`).
  ///   - notifications: Problems of the run itself (load errors of a partial answer),
  ///     written as `toolExecutionNotifications`.
  /// - Returns: The UTF-8 bytes of the log.
  public static func write(
    _ findings: [Finding], fallbackFile: String? = nil,
    executionSuccessful: Bool = true, notifications: [Finding] = []
  ) -> [UInt8] {
    write(
      findings, fallbackFile: fallbackFile, executionSuccessful: executionSuccessful, notifications: notifications,
      byteLimit: maxBytes)
  }

  /// ``write(_:fallbackFile:executionSuccessful:notifications:)`` within `byteLimit`
  /// bytes (tests use a small one).
  static func write(
    _ findings: [Finding], fallbackFile: String?, executionSuccessful: Bool, notifications: [Finding],
    byteLimit: Int
  ) -> [UInt8] {
    let fallback = SourceLocation(file: fallbackFile ?? "mesh.yaml", line: 1, column: 1)
    let ordered = findings.sorted(by: Finding.reportOrder)
    // The most severe first, each severity in report order; a log that must leave some
    // out keeps a prefix of this ranking, written back in report order.
    let ranked = ordered.enumerated().sorted {
      $0.element.severity != $1.element.severity ? $0.element.severity > $1.element.severity : $0.offset < $1.offset
    }
    let successful = executionSuccessful && !findings.contains(where: \.isLoadError)
    func log(keeping count: Int) -> [UInt8] {
      guard count < ordered.count else {
        return render(
          ordered, leftOut: nil, fallback: fallback, successful: successful, notifications: notifications)
      }
      let kept = ranked.prefix(count).sorted { $0.offset < $1.offset }.map(\.element)
      let rest = ranked.dropFirst(count).map(\.element)
      let e = rest.count(.error), w = rest.count(.warning), i = rest.count(.info)
      let why =
        count < min(ordered.count, maxResults)
        ? "a log of them all would be past code scanning's 10 MB upload limit"
        : "code scanning rejects more than 25,000 results per run and shows only the 5,000 most severe"
      let leftOut =
        "\(rest.count) of \(ordered.count) findings are left out of this log (\(plural(e, "error")), \(plural(w, "warning")), \(plural(i, "note"))): \(why); the text and JSON outputs list them all"
      return render(kept, leftOut: leftOut, fallback: fallback, successful: successful, notifications: notifications)
    }
    let most = min(ordered.count, maxResults)
    let bytes = log(keeping: most)
    guard bytes.count > byteLimit else { return bytes }
    // Too large: the most results whose log fits (the size grows with the count).
    var lo = 0
    var hi = most - 1
    var best = log(keeping: 0)
    while lo <= hi {
      let mid = (lo + hi) / 2
      let candidate = log(keeping: mid)
      if candidate.count <= byteLimit {
        best = candidate
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return best
  }

  /// The log of `results` (in report order), with a notification of what was left out.
  static func render(
    _ results: [Finding], leftOut: String?, fallback: SourceLocation, successful: Bool, notifications: [Finding]
  ) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
    w.field("version", "2.1.0")
    w.key("runs")
    w.beginArray()
    w.beginObject()
    w.key("tool")
    w.beginObject()
    w.key("driver")
    w.beginObject()
    w.field("name", "lineage")
    w.field("version", "0.1.0")
    w.key("rules")
    w.beginArray()
    for rule in Set(results.map(\.rule)).sorted() {
      w.beginObject(compact: true)
      w.field("id", rule.rawValue)
      w.key("shortDescription")
      w.beginObject(compact: true)
      w.field("text", rule.info?.summary ?? rule.rawValue.replacingDashes)
      w.endObject()
      w.endObject()
    }
    w.endArray()
    w.endObject()
    w.endObject()
    w.key("invocations")
    w.beginArray()
    w.beginObject()
    w.field("executionSuccessful", successful)
    if !notifications.isEmpty || leftOut != nil {
      w.key("toolExecutionNotifications")
      w.beginArray()
      for f in notifications.sorted(by: Finding.reportOrder) {
        w.beginObject(compact: true)
        w.field("level", f.severity == .info ? "note" : f.severity.rawValue)
        w.key("message")
        w.beginObject(compact: true)
        w.field("text", (f.location.map { "\($0): " } ?? "") + f.message + " [\(f.rule)]")
        w.endObject()
        w.endObject()
      }
      if let leftOut {
        w.beginObject(compact: true)
        w.field("level", "warning")
        w.key("message")
        w.beginObject(compact: true)
        w.field("text", leftOut)
        w.endObject()
        w.endObject()
      }
      w.endArray()
    }
    w.endObject()
    w.endArray()
    w.key("results")
    w.beginArray()
    for f in results {
      w.beginObject()
      w.field("ruleId", f.rule.rawValue)
      w.field("level", f.severity == .info ? "note" : f.severity.rawValue)
      w.key("message")
      w.beginObject(compact: true)
      w.field("text", clipped(f.message + (f.hint.map { " (\($0))" } ?? "")))
      w.endObject()
      do {
        var l = f.location ?? fallback
        if l.line <= 0 { l = SourceLocation(file: l.file, line: 1, column: 1) }
        w.key("locations")
        w.beginArray()
        w.beginObject(compact: true)
        w.key("physicalLocation")
        w.beginObject(compact: true)
        w.key("artifactLocation")
        w.beginObject(compact: true)
        w.field("uri", uri(l.file))
        w.endObject()
        if l.line > 0 {
          w.key("region")
          w.beginObject(compact: true)
          w.field("startLine", l.line)
          if l.column > 0 { w.field("startColumn", l.column) }
          w.endObject()
        }
        w.endObject()
        w.endObject()
        w.endArray()
      }
      if !f.subjects.isEmpty || f.evidence != nil {
        w.key("properties")
        w.beginObject(compact: true)
        if !f.subjects.isEmpty { w.field("subjects", f.subjects) }
        if let e = f.evidence {
          w.key("evidence")
          FindingsReport.writeEvidence(e, into: &w)
        }
        w.endObject()
      }
      w.endObject()
    }
    w.endArray()
    w.endObject()
    w.endArray()
    w.endObject()
    return w.bytes
  }
}

extension SARIFWriter {
  /// A file path as a SARIF artifact URI: relative paths stay relative (to the
  /// repository root, as code scanning reads them), absolute ones become `file://`
  /// URIs, and every byte outside RFC 3986's unreserved set and `/` is percent-encoded.
  static func uri(_ path: String) -> String {
    var out = path.hasPrefix("/") ? "file://" : ""
    for b in path.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        out.unicodeScalars.append("%")
        out.unicodeScalars.append(hex[Int(b >> 4)])
        out.unicodeScalars.append(hex[Int(b & 15)])
      }
    }
    return out
  }
}

extension String {
  var replacingDashes: String { String(self.map { $0 == "-" ? " " : $0 }) }
}

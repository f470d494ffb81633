public import LineageCore

/// Findings as `validate` prints them.
public struct FindingsReport: Sendable {
  /// Set when the report answers from an input that was read only in part.
  public var partial: PartialNote?
  /// The findings, in report order (``Finding/reportOrder(_:_:)``).
  public var findings: [Finding]
  /// What was checked ("mesh directory samples/demo").
  public var source: String
  /// The lowest severity that fails the run.
  public var failOn: Severity

  /// Creates a report; the findings are put in report order.
  ///
  /// - Parameters:
  ///   - findings: The findings.
  ///   - source: What was read.
  ///   - failOn: The lowest severity that fails the run.
  public init(findings: [Finding], source: String, failOn: Severity = .error) {
    self.findings = findings.sorted(by: Finding.reportOrder)
    self.source = source
    self.failOn = failOn
  }

  /// What the findings decide at `failOn` (see ``FindingsOutcome``).
  public var outcome: FindingsOutcome { FindingsOutcome(findings, failOn: failOn) }

  /// True when a finding is at or above `failOn`.
  public var failed: Bool { outcome.isFailure }

  /// One line per finding, `path:line:col: severity: message [rule]`, then its hint.
  public func text(style: TextStyle, summary: Bool = true) -> String {
    var out = partial.text(style: style)
    for f in findings { out += Self.line(f, style: style) }
    if summary { out += summaryLine(style: style) }
    return out
  }

  /// The verdict and the counts, after a blank line when there are findings.
  func summaryLine(style: TextStyle) -> String {
    let loadErrors = findings.loadErrors.count
    let e = findings.count(.error), w = findings.count(.warning), i = findings.count(.info)
    var parts = ["\(e) error\(e == 1 ? "" : "s")", "\(w) warning\(w == 1 ? "" : "s")"]
    if i > 0 { parts.append("\(i) note\(i == 1 ? "" : "s")") }
    let verdict =
      loadErrors > 0
      ? style.red(style.bold("not read completely"))
      : failed ? style.red(style.bold("failed")) : style.green(style.bold("ok"))
    var out = (findings.isEmpty ? "" : "\n") + "\(verdict): \(parts.joined(separator: ", ")) in \(terminalSafe(source))"
    if loadErrors > 0 {
      out += " (\(loadErrors) load error\(loadErrors == 1 ? "" : "s"): other findings may be missing)"
    }
    return out + "\n"
  }

  /// One finding as a diagnostic line (and its hint on the next line).
  public static func line(_ f: Finding, style: TextStyle) -> String {
    let label = f.severity == .info ? "note" : f.severity.rawValue
    var s = ""
    if let l = f.location { s += style.bold(terminalSafe(l.description)) + ": " }
    s += style.severity(label) + ": " + terminalSafe(f.message) + style.dim(" [\(f.rule)]") + "\n"
    if let h = f.hint { s += "    " + style.cyan("hint: ") + terminalSafe(h) + "\n" }
    for r in f.related { s += "    " + style.dim("see: " + terminalSafe(r.description)) + "\n" }
    return s
  }

  /// JSON: `{"source", "summary": {errors, warnings, infos, failed}, "findings": [...]}`.
  public func json() -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.field("source", source)
    w.key("summary")
    w.beginObject(compact: true)
    w.field("errors", findings.count(.error))
    w.field("warnings", findings.count(.warning))
    w.field("infos", findings.count(.info))
    w.field("failed", failed)
    w.field("loadErrors", findings.loadErrors.count)
    w.endObject()
    if let partial {
      partial.write(into: &w)
    } else if findings.contains(where: \.isLoadError) {
      w.field("partial", true)
    }
    w.key("findings")
    w.beginArray()
    for f in findings { Self.write(f, into: &w) }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  /// Writes one finding as a compact JSON object.
  public static func write(_ f: Finding, into w: inout JSONWriter) {
    w.beginObject(compact: true)
    w.field("rule", f.rule.rawValue)
    w.field("severity", f.severity.rawValue)
    w.field("message", f.message)
    w.field("subjects", f.subjects)
    if let l = f.location {
      w.field("file", l.file)
      if l.line > 0 { w.field("line", l.line) }
      if l.column > 0 { w.field("column", l.column) }
    }
    if let h = f.hint { w.field("hint", h) }
    if !f.related.isEmpty { w.field("related", f.related.map(\.description)) }
    if let e = f.evidence {
      w.key("evidence")
      writeEvidence(e, into: &w)
    }
    w.endObject()
  }

  /// The event that showed a drift finding, as a compact JSON object: `job` and `runId`
  /// (when the event has them), `eventTime` as written, and the event's `file`, `line`
  /// and `column` when known.
  public static func writeEvidence(_ e: ObservedLineage.Evidence, into w: inout JSONWriter) {
    w.beginObject(compact: true)
    if !e.job.isEmpty { w.field("job", e.job) }
    if !e.runID.isEmpty { w.field("runId", e.runID) }
    w.field("eventTime", e.eventTime)
    if let l = e.location {
      w.field("file", l.file)
      if l.line > 0 { w.field("line", l.line) }
      if l.column > 0 { w.field("column", l.column) }
    }
    w.endObject()
  }

  /// Markdown for a pull-request comment: a summary line and a table of findings.
  ///
  /// The comment stays within `limit` UTF-8 bytes (GitHub refuses a comment over
  /// ``Markdown/gitHubCommentLimit`` characters): when the whole table is longer, it
  /// keeps the first rows, errors before warnings before notes, and says how many
  /// more there are and where the whole report is.
  ///
  /// - Parameters:
  ///   - title: The heading.
  ///   - limit: The most UTF-8 bytes the comment may have.
  ///   - fullReport: A sentence that says where the whole report is, written when the
  ///     comment is shortened; nil says the text and JSON outputs have it.
  /// - Returns: The Markdown text.
  public func markdown(
    title: String = "Lineage validate", limit: Int = Markdown.gitHubCommentLimit, fullReport: String? = nil
  ) -> String {
    let whole = markdown(title: title, rows: findings, omitted: nil)
    if whole.utf8.count <= limit { return whole }
    let elsewhere = fullReport ?? Markdown.fullReportElsewhere
    // Errors first, then warnings, then notes, each in report order.
    let ranked = findings.enumerated().sorted {
      $0.element.severity != $1.element.severity ? $0.element.severity > $1.element.severity : $0.offset < $1.offset
    }.map(\.element)
    var text = ""
    for cap in [2_000, 1_000, 500, 200, 100, 50, 20, 10, 0] where cap < ranked.count {
      let rest = Array(ranked.dropFirst(cap))
      let e = rest.count(.error), w = rest.count(.warning), i = rest.count(.info)
      var counts = [plural(e, "error"), plural(w, "warning")]
      if i > 0 { counts.append(plural(i, "note")) }
      let note =
        "ℹ️ **Shortened** to fit a GitHub comment (at most \(limit) characters): \(plural(rest.count, "finding")) left out (\(counts.joined(separator: ", "))). \(Markdown.text(elsewhere))\n"
      text = markdown(title: title, rows: Array(ranked.prefix(cap)), omitted: note)
      if text.utf8.count <= limit { return text }
    }
    // Names too long for any cap: cut at a line, and say so.
    let cut = "\n_The comment is cut here to fit GitHub's comment limit. \(Markdown.text(elsewhere))_\n"
    var kept = Substring(text).utf8.prefix(max(0, limit - cut.utf8.count))
    if let newline = kept.lastIndex(of: UInt8(ascii: "\n")) { kept = kept[...newline] }
    return String(decoding: kept, as: UTF8.self) + cut
  }

  /// The comment with the findings `rows` in its table, and the note of a shortened
  /// comment under the table.
  func markdown(title: String, rows: [Finding], omitted: String?) -> String {
    let e = findings.count(.error), w = findings.count(.warning), i = findings.count(.info)
    let loadErrors = findings.loadErrors.count
    var s = "## \(Markdown.text(title))\n\n" + partial.markdown()
    s += loadErrors > 0 ? "❌ **not read completely**" : failed ? "❌ **failed**" : "✅ **ok**"
    s += ": \(plural(e, "error")), \(plural(w, "warning"))" + (i > 0 ? ", \(plural(i, "note"))" : "")
    s += " in \(Markdown.text(source))"
    s +=
      loadErrors > 0
      ? " (\(loadErrors) load error\(loadErrors == 1 ? "" : "s"): other findings may be missing).\n" : ".\n"
    if findings.isEmpty { return s }
    s += "\n| severity | rule | where | message |\n|---|---|---|---|\n"
    for f in rows {
      s +=
        "| \(f.severity.rawValue) | \(Markdown.code(f.rule.rawValue)) | \(Markdown.code(f.location?.description ?? "-")) | "
      s += Markdown.text(f.message + (f.hint.map { " (\($0))" } ?? "")) + " |\n"
    }
    if let omitted { s += "\n" + omitted }
    return s
  }
}

/// `1 error`, `2 errors`: a count with its word, plural when it is not 1.
public func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

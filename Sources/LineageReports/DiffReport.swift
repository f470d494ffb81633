public import LineageCore

/// The result of `diff`: every change, its class and blast radius, semver advice,
/// dangling references in the new version, and the gate's decision.
public struct DiffReport: Sendable {
  public var base: String
  public var head: String
  public var changes: [MeshChange]
  public var versions: [VersionAdvice]
  public var decision: DiffGate.Decision
  public var threshold: DiffGate.Threshold
  /// Unresolved references in the new version: readers still pointing at what changed.
  public var dangling: [Finding]
  /// Mermaid diagrams of the affected subgraphs (title, text), for Markdown.
  public var mermaid: [(title: String, text: String)]

  public init(base: String, head: String, changes: [MeshChange], versions: [VersionAdvice], decision: DiffGate.Decision,
              threshold: DiffGate.Threshold, dangling: [Finding], mermaid: [(title: String, text: String)] = []) {
    self.base = base
    self.head = head
    self.changes = changes
    self.versions = versions
    self.decision = decision
    self.threshold = threshold
    self.dangling = dangling
    self.mermaid = mermaid
  }

  public var passed: Bool { decision.passed }

  func status(_ i: Int) -> String {
    if decision.failing.contains(i) { return "fails" }
    if decision.suppressed.contains(where: { $0.change == i }) { return "ignored" }
    return changes[i].breaking ? "breaking" : "ok"
  }

  func rows(_ c: MeshChange) -> [ImpactReport.Row] {
    guard let r = c.impact, let m = c.impactModel else { return [] }
    return ImpactReport(r, model: m).rows
  }

  func counts(_ c: MeshChange) -> (Int, Int) {
    let r = rows(c)
    let b = r.filter { $0.verdict == "breaks" }.count
    return (b, r.count - b)
  }

  /// Findings: one per change (error when it fails the gate, warning when breaking,
  /// note otherwise), plus expired and unused ignore entries and dangling references.
  public var findings: [Finding] {
    var out: [Finding] = []
    for (i, c) in changes.enumerated() {
      let (b, m) = counts(c)
      let sev: Severity = decision.failing.contains(i) ? .error : (c.breaking ? .warning : .info)
      var msg = c.detail
      if c.breaking { msg += b + m == 0 ? "; nothing downstream is affected" : "; \(b) break, \(m) may break downstream" }
      if let e = decision.suppressed.first(where: { $0.change == i })?.entry {
        msg += "; ignored until \(e.expires): \(e.reason)"
      }
      out.append(Finding(rule: c.kind.rawValue, severity: sev, message: msg, subjects: [c.product],
                         location: c.location))
    }
    for v in versions where v.insufficient {
      // Located at the product's first change: code scanning needs a place for it.
      let at = changes.first { $0.product == v.product && $0.location != nil }?.location
      out.append(Finding(rule: "semver", severity: .warning,
                         message: "\(v.product): changes need a \(v.suggested.rawValue) version bump, but \(v.oldVersion ?? "-") -> \(v.newVersion ?? "-") is \(v.actual.rawValue == "none" ? "no bump" : "a " + v.actual.rawValue + " bump")",
                         subjects: [v.product], location: at))
    }
    for e in decision.expired {
      out.append(Finding(rule: "ignore-expired", severity: .warning,
                         message: "ignore entry for '\(e.change)' expired on \(e.expires); it no longer suppresses anything",
                         location: e.location, hint: "remove it, or renew it with a new reason"))
    }
    for e in decision.unused {
      out.append(Finding(rule: "ignore-unused", severity: .info, message: "ignore entry for '\(e.change)' matched no change",
                         location: e.location))
    }
    // Dangling references are errors of the new version (a failure in JUnit, an error
    // in SARIF); the exit status follows the gate alone.
    return out + dangling
  }

  /// What `diff` reports when a version could not be read completely: no comparison,
  /// and never "passed".
  public struct NotCompared: Sendable {
    public var base: String
    public var head: String
    /// The load errors of either version.
    public var loadErrors: [Finding]

    public init(base: String, head: String, loadErrors: [Finding]) {
      self.base = base
      self.head = head
      self.loadErrors = loadErrors.sorted(by: Finding.reportOrder)
    }

    /// One sentence: what could not be compared, and why.
    public var summary: String {
      let n = loadErrors.count
      return "the comparison \(base) -> \(head) could not be made: \(n) load error\(n == 1 ? "" : "s") (the gate did not run)"
    }

    /// The load errors, after one `diff-not-compared` error that says the gate did not run.
    public var findings: [Finding] {
      [Finding(rule: "diff-not-compared", severity: .error, message: summary, location: loadErrors.first?.location,
               hint: "fix the load errors and run the diff again")] + loadErrors
    }

    /// A pull-request comment that says the comparison could not be made.
    public func markdown() -> String {
      var s = "## Lineage diff\n\n❌ **Not compared**: \(Markdown.text(summary)).\n\n"
      s += "Comparing \(Markdown.code(base)) → \(Markdown.code(head)).\n\n"
      s += "| where | rule | message |\n|---|---|---|\n"
      for f in loadErrors {
        s += "| \(Markdown.code(f.location?.description ?? "-")) | \(Markdown.code(f.rule)) | "
        s += Markdown.text(f.message + (f.hint.map { " (\($0))" } ?? "")) + " |\n"
      }
      return s
    }
  }

  public func json() -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.field("base", base)
    w.field("head", head)
    w.field("threshold", threshold.rawValue)
    w.field("passed", passed)
    w.key("summary")
    w.beginObject(compact: true)
    w.field("changes", changes.count)
    w.field("breaking", changes.filter(\.breaking).count)
    w.field("failing", decision.failing.count)
    w.field("ignored", decision.suppressed.count)
    w.endObject()
    w.key("changes")
    w.beginArray()
    for (i, c) in changes.enumerated() {
      w.beginObject()
      w.field("kind", c.kind.rawValue)
      w.field("product", c.product)
      w.field("column", c.column)
      w.field("detail", c.detail)
      w.field("breaking", c.breaking)
      w.field("status", status(i))
      if let e = decision.suppressed.first(where: { $0.change == i })?.entry {
        w.field("ignoredUntil", e.expires)
        w.field("ignoreReason", e.reason)
      }
      if let l = c.location {
        w.field("file", l.file)
        w.field("line", l.line)
      }
      w.key("affected")
      w.beginArray()
      for r in rows(c) {
        r.write(into: &w)
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    w.key("versions")
    w.beginArray()
    for v in versions {
      w.beginObject(compact: true)
      w.field("product", v.product)
      w.field("old", v.oldVersion)
      w.field("new", v.newVersion)
      w.field("suggested", v.suggested.rawValue)
      w.field("actual", v.actual.rawValue)
      w.field("insufficient", v.insufficient)
      w.endObject()
    }
    w.endArray()
    w.key("findings")
    w.beginArray()
    for f in findings.sorted(by: Finding.reportOrder) where f.rule.hasPrefix("ignore") || f.rule == "unresolved-reference" || f.rule == "semver" {
      FindingsReport.write(f, into: &w)
    }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  public func text(style: TextStyle) -> String {
    var out = style.bold("diff \(terminalSafe(base)) -> \(terminalSafe(head))") + ": "
    let breaking = changes.filter(\.breaking).count
    out += "\(changes.count) change\(changes.count == 1 ? "" : "s"), \(breaking) breaking"
    out += passed ? ", " + style.green("gate passed") : ", " + style.red("gate failed") + " (\(decision.failing.count))"
    out += "\n"
    if changes.isEmpty { return out }
    out += "\n"
    out += table(changes.enumerated().map { i, c in
      let (b, m) = counts(c)
      return [status(i), terminalSafe(c.product), c.kind.rawValue, terminalSafe(c.detail), c.breaking ? "\(b) break, \(m) may break" : ""]
    }, styles: [0: { s in s == "fails" ? style.red(s) : s == "breaking" ? style.yellow(s) : style.dim(s) }])
    for (i, e) in decision.suppressed {
      out += style.dim("  \(terminalSafe(changes[i].key)) ignored until \(e.expires): \(terminalSafe(e.reason))") + "\n"
    }
    for (i, c) in changes.enumerated() where c.breaking && !rows(c).isEmpty {
      out += "\n" + style.bold("\(terminalSafe(c.key))") + style.dim(" (\(status(i)))") + "\n"
      out += table(rows(c).map { r in
        [r.verdict, terminalSafe(r.id), terminalSafe(r.owner ?? "-"), terminalSafe(r.reason)]
      }, indent: "    ", styles: [0: { $0 == "breaks" ? style.red($0) : style.yellow($0) }])
    }
    let bumps = versions.filter { $0.suggested != .none }
    if !bumps.isEmpty {
      out += "\n" + style.bold("versions") + "\n"
      out += table(bumps.map { v in
        [terminalSafe(v.product), "\(v.oldVersion ?? "-") -> \(v.newVersion ?? "-")", "needs \(v.suggested.rawValue)",
         v.insufficient ? style.red("not bumped enough") : "ok"]
      })
    }
    let extra = findings.filter { $0.rule.hasPrefix("ignore") || $0.rule == "unresolved-reference" }
    if !extra.isEmpty {
      out += "\n"
      for f in extra.sorted(by: Finding.reportOrder) { out += FindingsReport.line(f, style: style) }
    }
    return out
  }

  /// A pull-request comment: summary table, a section per team to notify, and a
  /// Mermaid diagram of the affected subgraph.
  public func markdown() -> String {
    var s = "## Lineage diff\n\n"
    let breaking = changes.filter(\.breaking).count
    s += passed ? "✅ **Gate passed**" : "❌ **Gate failed**: \(decision.failing.count) breaking change(s) reach readers outside the changing team"
    s += " (threshold: `\(threshold.rawValue)`). \(changes.count) change(s), \(breaking) breaking.\n\n"
    s += "Comparing \(Markdown.code(base)) → \(Markdown.code(head)).\n\n"
    if !changes.isEmpty {
      s += "| status | product | change | breaks | may break |\n|---|---|---|---:|---:|\n"
      for (i, c) in changes.enumerated() {
        let (b, m) = counts(c)
        var icon = ["fails": "❌ fails", "ignored": "⏸ ignored", "breaking": "⚠️ breaking", "ok": "ok"][status(i)] ?? ""
        if let e = decision.suppressed.first(where: { $0.change == i })?.entry {
          icon += " until \(Markdown.text(e.expires)): \(Markdown.text(e.reason))"
        }
        s += "| \(icon) | \(Markdown.code(c.product)) | \(Markdown.text(c.detail)) | \(c.breaking ? "\(b)" : "") | \(c.breaking ? "\(m)" : "") |\n"
      }
    }
    // Teams to notify.
    var byTeam: [String: [(String, ImpactReport.Row)]] = [:]
    for c in changes where c.breaking {
      for r in rows(c) { byTeam[r.owner ?? "(no owner)", default: []].append((c.key, r)) }
    }
    if !byTeam.isEmpty {
      s += "\n### Teams to notify\n"
      for (team, list) in byTeam.sorted(by: { $0.key < $1.key }) {
        s += "\n#### \(Markdown.text(team))\n\n"
        for (key, r) in list {
          s += "- \(r.verdict == "breaks" ? "**breaks**" : "may break"): \(Markdown.code(r.id)) — \(Markdown.text(r.reason)) (from \(Markdown.code(key)))\n"
        }
      }
    }
    let insufficient = versions.filter(\.insufficient)
    if !insufficient.isEmpty {
      s += "\n### Versions\n\n"
      for v in insufficient {
        s += "- \(Markdown.code(v.product)): needs a **\(v.suggested.rawValue)** bump; \(Markdown.code(v.oldVersion ?? "-")) → \(Markdown.code(v.newVersion ?? "-"))\n"
      }
    }
    if !dangling.isEmpty {
      s += "\n### Dangling references in the new version\n\n"
      for f in dangling { s += "- \(Markdown.code(f.location?.description ?? "")): \(Markdown.text(f.message))\n" }
    }
    if !mermaid.isEmpty { s += "\n### Affected lineage\n" }
    for (title, text) in mermaid {
      s += "\n\(Markdown.code(title))\n\n```mermaid\n" + text + "```\n"
    }
    return s
  }
}

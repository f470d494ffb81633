public import LineageCore

/// The result of `diff`: every change, its class and blast radius, semver advice,
/// dangling references in the new version, and the gate's decision.
public struct DiffReport: Sendable {
  /// The old version as the user named it (a directory or a git revision).
  public var base: String
  /// The new version as the user named it; the command line says `working tree` when none was
  /// given.
  public var head: String
  /// Every change, in the order of ``MeshDiff/compare(base:head:)``; ``decision`` refers to them by
  /// index.
  public var changes: [MeshChange]
  /// Semver advice for each product in both versions that has a `version` in either and a change
  /// other than `version-changed`, sorted by product id.
  public var versions: [VersionAdvice]
  /// The gate's decision over ``changes``.
  public var decision: DiffGate.Decision
  /// What fails the gate, as the decision was made with it.
  public var threshold: DiffGate.Threshold
  /// Unresolved references in the new version: readers still pointing at what changed.
  public var dangling: MeshDiff.DanglingReferences
  /// The findings the core diff made of the changes after the gate.
  public var gateFindings: DiffGate.Findings
  /// Mermaid diagrams of the affected subgraphs (title, text, and a note when the
  /// diagram is a smaller view than the whole blast radius), for Markdown.
  public var mermaid: [(title: String, text: String, note: String?)]

  /// Creates a report, and the gate's findings (``gateFindings``) from its changes and decision.
  ///
  /// - Parameters:
  ///   - base: The old version as named.
  ///   - head: The new version as named.
  ///   - changes: The changes, as ``MeshDiff/compare(base:head:)`` lists them.
  ///   - versions: The semver advice.
  ///   - decision: The gate's decision over `changes`.
  ///   - threshold: The threshold the decision was made with.
  ///   - dangling: The new version's dangling references.
  ///   - mermaid: Mermaid diagrams of the affected subgraphs (title, text), for Markdown.
  public init(
    base: String, head: String, changes: [MeshChange], versions: [VersionAdvice], decision: DiffGate.Decision,
    threshold: DiffGate.Threshold, dangling: MeshDiff.DanglingReferences,
    mermaid: [(title: String, text: String, note: String?)] = []
  ) {
    self.base = base
    self.head = head
    self.changes = changes
    self.versions = versions
    self.decision = decision
    self.threshold = threshold
    self.dangling = dangling
    self.mermaid = mermaid
    gateFindings = DiffGate.findings(changes, versions: versions, decision: decision, dangling: dangling)
  }

  /// True when no change fails the gate; dangling references and semver advice do not count.
  public var passed: Bool { decision.passed }

  func status(_ i: Int) -> String { decision.status(of: i, in: changes).rawValue }

  func rows(_ c: MeshChange) -> [ImpactReport.Row] {
    guard let r = c.impact, let m = c.impactModel else { return [] }
    return ImpactReport(r, model: m).rows
  }

  /// Findings (made by ``DiffGate/findings(_:versions:decision:dangling:)``): one per
  /// change, plus semver advice, expired and unused ignore entries and dangling
  /// references. Dangling references are errors of the new version (a failure in
  /// JUnit, an error in SARIF); the exit status follows the gate alone.
  public var findings: [Finding] { gateFindings.all }

  /// What `diff` reports when a version could not be read completely: no comparison,
  /// and never "passed".
  public struct NotCompared: Sendable {
    /// The old version as the user named it.
    public var base: String
    /// The new version as the user named it.
    public var head: String
    /// The load errors of either version.
    public var loadErrors: [Finding]

    /// Creates the report; the load errors are put in report order.
    ///
    /// - Parameters:
    ///   - base: The old version as named.
    ///   - head: The new version as named.
    ///   - loadErrors: The load errors of either version.
    public init(base: String, head: String, loadErrors: [Finding]) {
      self.base = base
      self.head = head
      self.loadErrors = loadErrors.sorted(by: Finding.reportOrder)
    }

    /// One sentence: what could not be compared, and why.
    public var summary: String {
      let n = loadErrors.count
      return
        "the comparison \(base) -> \(head) could not be made: \(n) load error\(n == 1 ? "" : "s") (the gate did not run)"
    }

    /// The load errors, after one `diff-not-compared` error that says the gate did not run.
    public var findings: [Finding] {
      [
        Finding(
          rule: .diffNotCompared, severity: .error, message: summary, location: loadErrors.first?.location,
          hint: "fix the load errors and run the diff again")
      ] + loadErrors
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

  /// JSON: `{"base", "head", "threshold", "passed", "summary", "changes", "versions", "findings"}`.
  /// `summary` counts `changes`, `breaking`, `failing` and `ignored`; each of `changes` has `kind`,
  /// `product`, `column`, `detail`, `breaking`, `status`, `ignoredUntil` and `ignoreReason` (for a
  /// suppressed change), `file` and `line` (when located) and `affected` (the rows of its blast
  /// radius); each of `versions` has `product`, `old`, `new`, `suggested`, `actual` and
  /// `insufficient`; `findings` holds the semver, ignore-entry and unresolved-reference findings,
  /// in report order.
  ///
  /// - Returns: The UTF-8 bytes.
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
      if let e = decision.suppression(of: i) {
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
    let listed = gateFindings.versions + gateFindings.ignoreEntries + dangling.unresolved
    for f in listed.sorted(by: Finding.reportOrder) {
      FindingsReport.write(f, into: &w)
    }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  /// The diff as aligned text: a summary line with the gate's result, a table of the changes with
  /// their status, the suppressed changes, the affected nodes of each breaking change, the
  /// suggested version bumps (and whether each was made), then the ignore-entry and
  /// unresolved-reference findings.
  ///
  /// - Parameter style: Colour or not.
  /// - Returns: The text.
  public func text(style: TextStyle) -> String {
    var out = style.bold("diff \(terminalSafe(base)) -> \(terminalSafe(head))") + ": "
    let breaking = changes.filter(\.breaking).count
    out += "\(changes.count) change\(changes.count == 1 ? "" : "s"), \(breaking) breaking"
    out += passed ? ", " + style.green("gate passed") : ", " + style.red("gate failed") + " (\(decision.failing.count))"
    out += "\n"
    if changes.isEmpty { return out }
    out += "\n"
    out += table(
      changes.enumerated().map { i, c in
        let (b, m) = c.affectedCounts
        return [
          status(i), terminalSafe(c.product), c.kind.rawValue, terminalSafe(c.detail),
          c.breaking ? "\(b) break, \(m) may break" : "",
        ]
      },
      styles: [
        0: { s in
          switch DiffGate.Status(rawValue: s) {
          case .fails: style.red(s)
          case .breaking: style.yellow(s)
          default: style.dim(s)
          }
        }
      ])
    for (i, e) in decision.suppressed {
      out += style.dim("  \(terminalSafe(changes[i].key)) ignored until \(e.expires): \(terminalSafe(e.reason))") + "\n"
    }
    for (i, c) in changes.enumerated() where c.breaking && !rows(c).isEmpty {
      out += "\n" + style.bold("\(terminalSafe(c.key))") + style.dim(" (\(status(i)))") + "\n"
      out += table(
        rows(c).map { r in
          [r.verdict.rawValue, terminalSafe(r.id), terminalSafe(r.owner ?? "-"), terminalSafe(r.reason)]
        }, indent: "    ", styles: [0: { $0 == Verdict.breaks.rawValue ? style.red($0) : style.yellow($0) }])
    }
    let bumps = versions.filter { $0.suggested != .none }
    if !bumps.isEmpty {
      out += "\n" + style.bold("versions") + "\n"
      out += table(
        bumps.map { v in
          [
            terminalSafe(v.product), "\(v.oldVersion ?? "-") -> \(v.newVersion ?? "-")",
            "needs \(v.suggested.rawValue)",
            v.insufficient ? style.red("not bumped enough") : "ok",
          ]
        })
    }
    let extra = gateFindings.ignoreEntries + dangling.unresolved
    if !extra.isEmpty {
      out += "\n"
      for f in extra.sorted(by: Finding.reportOrder) { out += FindingsReport.line(f, style: style) }
    }
    return out
  }
}

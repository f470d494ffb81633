import LineageCore

/// The pull-request comment of a diff, within a size limit.
extension DiffReport {
  /// How much of each list a shortened comment shows.
  struct MarkdownCaps {
    /// Rows of the changes table, teams to notify, semver advice and dangling references.
    var items: Int
    /// Readers listed per team.
    var readers: Int

    static let whole = MarkdownCaps(items: .max, readers: .max)
    /// Tried in order until the comment fits: as many rows as fit, lists cut before the
    /// readers of each team.
    static let steps: [MarkdownCaps] = [
      (1_000, 500), (1_000, 200), (500, 100), (200, 50), (200, 20), (100, 10), (50, 5), (20, 3), (10, 1), (5, 0),
    ].map { MarkdownCaps(items: $0.0, readers: $0.1) }
  }

  /// What a shortened comment left out.
  struct MarkdownOmissions {
    var changes = 0
    var readers = 0
    var teams = 0
    var versions = 0
    var dangling = 0
    var diagrams = 0

    var isEmpty: Bool { changes + readers + teams + versions + dangling + diagrams == 0 }
  }

  /// A pull-request comment: summary table, a section per team to notify, semver
  /// advice, dangling references, and Mermaid diagrams of the affected subgraphs.
  ///
  /// The comment stays within `limit` UTF-8 bytes whatever the change (GitHub refuses
  /// a comment over ``Markdown/gitHubCommentLimit`` characters). When the whole report
  /// is longer, the comment keeps the summary and the first rows of each list (failing
  /// and breaking changes first, readers that break before those that may), says how
  /// many more there are, and names where the whole report is; diagrams are kept while
  /// they fit.
  ///
  /// - Parameters:
  ///   - limit: The most UTF-8 bytes the comment may have.
  ///   - fullReport: A sentence that says where the whole report is (a file, a build
  ///     artifact), written when the comment is shortened; nil says the text and JSON
  ///     outputs have it.
  /// - Returns: The Markdown text.
  public func markdown(limit: Int = Markdown.gitHubCommentLimit, fullReport: String? = nil) -> String {
    let whole = markdownText(.whole, note: nil).text + markdownDiagrams(budget: .max).text
    if whole.utf8.count <= limit { return whole }
    let elsewhere = fullReport ?? Markdown.fullReportElsewhere
    // Room for the note that says what was left out.
    let reserve = 1_024 + elsewhere.utf8.count
    var chosen = markdownText(MarkdownCaps.steps[MarkdownCaps.steps.count - 1], note: nil)
    for caps in MarkdownCaps.steps {
      let attempt = markdownText(caps, note: nil)
      if attempt.text.utf8.count + reserve <= limit {
        chosen = attempt
        break
      }
    }
    var omitted = chosen.omitted
    let diagrams = markdownDiagrams(budget: max(0, limit - reserve - chosen.text.utf8.count))
    omitted.diagrams = diagrams.omitted
    var text = markdownText(chosen.caps, note: shortenedNote(omitted, limit: limit, fullReport: elsewhere)).text
    text += diagrams.text
    if text.utf8.count <= limit { return text }
    // Names too long for any cap: cut at a line, and say so.
    let cut = "\n_The comment is cut here to fit GitHub's comment limit. \(Markdown.text(elsewhere))_\n"
    var kept = Substring(text).utf8.prefix(max(0, limit - cut.utf8.count))
    if let newline = kept.lastIndex(of: UInt8(ascii: "\n")) { kept = kept[...newline] }
    return String(decoding: kept, as: UTF8.self) + cut
  }

  /// The sentence of a shortened comment: what is left out, and where the rest is.
  func shortenedNote(_ o: MarkdownOmissions, limit: Int, fullReport: String) -> String {
    var parts: [String] = []
    if o.changes > 0 { parts.append(plural(o.changes, "change")) }
    if o.teams > 0 { parts.append(plural(o.teams, "team") + " to notify") }
    if o.readers > 0 { parts.append(plural(o.readers, "affected reader")) }
    if o.versions > 0 { parts.append(plural(o.versions, "version warning")) }
    if o.dangling > 0 { parts.append(plural(o.dangling, "dangling reference")) }
    if o.diagrams > 0 { parts.append(plural(o.diagrams, "diagram")) }
    let what = parts.isEmpty ? "some rows" : parts.joined(separator: ", ")
    return
      "ℹ️ **Shortened** to fit a GitHub comment (at most \(limit) characters): \(what) left out. \(Markdown.text(fullReport))\n\n"
  }

  /// The comment without its diagrams, each list cut to `caps`, and the note of a
  /// shortened comment under the summary.
  func markdownText(_ caps: MarkdownCaps, note: String?) -> (
    text: String, omitted: MarkdownOmissions, caps: MarkdownCaps
  ) {
    var omitted = MarkdownOmissions()
    let shortened = caps.items != .max
    var s = "## Lineage diff\n\n"
    let breaking = changes.filter(\.breaking).count
    s +=
      passed
      ? "✅ **Gate passed**"
      : "❌ **Gate failed**: \(decision.failing.count) breaking change(s) reach readers outside the changing team"
    s += " (threshold: `\(threshold.rawValue)`). \(changes.count) change(s), \(breaking) breaking.\n\n"
    s += "Comparing \(Markdown.code(base)) → \(Markdown.code(head)).\n\n"
    if let note { s += note }
    if !changes.isEmpty {
      // Shortened: failing and breaking changes first.
      var order = Array(changes.indices)
      if shortened {
        let rank: [DiffGate.Status: Int] = [.fails: 0, .breaking: 1, .ignored: 2, .ok: 3]
        order = order.enumerated().sorted {
          let a = rank[decision.status(of: $0.element, in: changes)] ?? 3
          let b = rank[decision.status(of: $1.element, in: changes)] ?? 3
          return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
      }
      s += "| status | product | change | breaks | may break |\n|---|---|---|---:|---:|\n"
      for i in order.prefix(caps.items) {
        let c = changes[i]
        let (b, m) = c.affectedCounts
        var icon =
          switch decision.status(of: i, in: changes) {
          case .fails: "❌ fails"
          case .ignored: "⏸ ignored"
          case .breaking: "⚠️ breaking"
          case .ok: "ok"
          }
        if let e = decision.suppression(of: i) {
          icon += " until \(Markdown.text(e.expires)): \(Markdown.text(e.reason))"
        }
        s +=
          "| \(icon) | \(Markdown.code(c.product)) | \(Markdown.text(c.detail)) | \(c.breaking ? "\(b)" : "") | \(c.breaking ? "\(m)" : "") |\n"
      }
      if order.count > caps.items {
        let rest = order.dropFirst(caps.items)
        omitted.changes = rest.count
        s += "\n… and \(plural(rest.count, "more change")) (\(rest.count { changes[$0].breaking }) breaking).\n"
      }
    }
    // Teams to notify.
    var byTeam: [String: [(String, ImpactReport.Row)]] = [:]
    for c in changes where c.breaking {
      for r in rows(c) { byTeam[r.owner ?? "(no owner)", default: []].append((c.key, r)) }
    }
    if !byTeam.isEmpty {
      s += "\n### Teams to notify\n"
      let teams = byTeam.sorted(by: { $0.key < $1.key })
      for (team, all) in teams.prefix(caps.items) {
        s += "\n#### \(Markdown.text(team))\n\n"
        // Shortened: readers that break first.
        let list = shortened ? all.filter { $0.1.verdict == .breaks } + all.filter { $0.1.verdict != .breaks } : all
        for (key, r) in list.prefix(caps.readers) {
          s +=
            "- \(r.verdict == .breaks ? "**breaks**" : "may break"): \(Markdown.code(r.id)) — \(Markdown.text(r.reason)) (from \(Markdown.code(key)))\n"
        }
        if list.count > caps.readers {
          let rest = list.dropFirst(caps.readers)
          omitted.readers += rest.count
          s += "- … and \(rest.count) more (\(rest.count { $0.1.verdict == .breaks }) break)\n"
        }
      }
      if teams.count > caps.items {
        let rest = teams.dropFirst(caps.items)
        omitted.teams = rest.count
        omitted.readers += rest.reduce(0) { $0 + $1.value.count }
        s += "\n… and \(plural(rest.count, "more team")) to notify.\n"
      }
    }
    let insufficient = versions.filter(\.insufficient)
    if !insufficient.isEmpty {
      s += "\n### Versions\n\n"
      for v in insufficient.prefix(caps.items) {
        s +=
          "- \(Markdown.code(v.product)): needs a **\(v.suggested.rawValue)** bump; \(Markdown.code(v.oldVersion ?? "-")) → \(Markdown.code(v.newVersion ?? "-"))\n"
      }
      if insufficient.count > caps.items {
        omitted.versions = insufficient.count - caps.items
        s += "- … and \(omitted.versions) more\n"
      }
    }
    if !dangling.all.isEmpty {
      s += "\n### Dangling references in the new version\n\n"
      for f in dangling.all.prefix(caps.items) {
        s += "- \(Markdown.code(f.location?.description ?? "")): \(Markdown.text(f.message))\n"
      }
      if dangling.all.count > caps.items {
        omitted.dangling = dangling.all.count - caps.items
        s += "- … and \(omitted.dangling) more\n"
      }
    }
    return (s, omitted, caps)
  }

  /// The diagrams section: each diagram while the section stays within `budget` bytes.
  func markdownDiagrams(budget: Int) -> (text: String, omitted: Int) {
    guard !mermaid.isEmpty else { return ("", 0) }
    var s = "\n### Affected lineage\n"
    var kept = 0
    for (title, text, note) in mermaid {
      let block =
        "\n\(Markdown.code(title))" + (note.map { " (\(Markdown.text($0)))" } ?? "") + "\n\n```mermaid\n" + text
        + "```\n"
      if budget != .max && s.utf8.count + block.utf8.count > budget { continue }
      s += block
      kept += 1
    }
    return kept == 0 ? ("", mermaid.count) : (s, mermaid.count - kept)
  }
}

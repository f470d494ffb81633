/// One entry of an ignore file: a change to let through, why, and until when.
public struct IgnoreEntry: Sendable, Equatable {
  /// The change key, `KIND PRODUCT[.COLUMN]` as ``MeshChange/key`` spells it.
  public var change: String
  /// Why the break is acceptable, as the entry's `reason` says; reports print it beside the change
  /// it lets through.
  public var reason: String
  /// The date after which the entry no longer applies.
  public var expires: CalendarDate
  /// Where the entry is in the ignore file, nil for an entry not read from one.
  public var location: SourceLocation?

  /// Creates an entry.
  ///
  /// - Parameters:
  ///   - change: The change key, `KIND PRODUCT[.COLUMN]`.
  ///   - reason: Why the break is acceptable.
  ///   - expires: The last day the entry applies.
  ///   - location: Where the entry is written, nil when not read from a file.
  public init(change: String, reason: String, expires: CalendarDate, location: SourceLocation? = nil) {
    self.change = change
    self.reason = reason
    self.expires = expires
    self.location = location
  }
}

/// The CI gate over a diff.
public enum DiffGate {
  /// What fails the gate.
  public enum Threshold: String, Sendable, CaseIterable {
    /// A breaking change whose blast radius breaks a reader outside the changing team.
    case breaks
    /// ... or may break one.
    case mayBreak = "may-break"
    /// Any breaking change at all.
    case any
  }

  /// The gate's decision.
  public struct Decision: Sendable {
    /// Indices of the changes that fail the gate.
    public var failing: [Int]
    /// Indices suppressed by an ignore entry, with the entry.
    public var suppressed: [(change: Int, entry: IgnoreEntry)]
    /// Entries past their expiry date: they no longer suppress anything.
    public var expired: [IgnoreEntry]
    /// Entries that matched no change (stale).
    public var unused: [IgnoreEntry]
    /// True when no change fails the gate; suppressed changes and expired or unused ignore
    /// entries do not count against it.
    public var passed: Bool { failing.isEmpty }
  }

  /// The owner of the changed product, and the affected readers outside that team.
  public static func outsiders(_ c: MeshChange) -> [ImpactResult.Affected] {
    guard let r = c.impact, let m = c.impactModel else { return [] }
    let team = m.graph.ownerName(r.product)
    return r.affected.filter { m.graph.ownerName($0.node) != team || team == nil }
  }

  /// Applies the threshold and the ignore entries; an entry applies until its expiry date, `today` included.
  public static func decide(_ changes: [MeshChange], threshold: Threshold, ignores: [IgnoreEntry], today: CalendarDate)
    -> Decision
  {
    var decision = Decision(failing: [], suppressed: [], expired: [], unused: [])
    var used = Set<Int>()
    let live = ignores.enumerated().filter { $0.element.expires >= today }
    decision.expired = ignores.filter { $0.expires < today }
    for (i, c) in changes.enumerated() where c.breaking {
      let outside = outsiders(c)
      let fails: Bool
      switch threshold {
      case .any: fails = true
      case .breaks: fails = outside.contains { $0.verdict == .breaks }
      case .mayBreak: fails = !outside.isEmpty
      }
      guard fails else { continue }
      if let (j, entry) = live.first(where: { $0.element.change == c.key }) {
        used.insert(j)
        decision.suppressed.append((i, entry))
      } else {
        decision.failing.append(i)
      }
    }
    decision.unused = live.filter { !used.contains($0.offset) }.map(\.element)
    return decision
  }
}

extension DiffGate {
  /// Where one change stands after the gate.
  public enum Status: String, Sendable, CaseIterable {
    /// It fails the gate.
    case fails
    /// It would fail the gate, but an ignore entry lets it through.
    case ignored
    /// It is breaking, but its blast radius stays below the threshold.
    case breaking
    /// It is not breaking.
    case ok
  }

  /// The findings of a gated diff, grouped by what they are about. The gate decides
  /// their severities: a change that fails the gate is an error, a breaking one a
  /// warning, any other a note.
  public struct Findings: Sendable {
    /// One per change, in the order of the changes.
    public var changes: [Finding]
    /// `semver`: products whose version bump is smaller than their changes need.
    public var versions: [Finding]
    /// `ignore-expired` and `ignore-unused`: ignore entries past their date, or stale.
    public var ignoreEntries: [Finding]
    /// References of the new version that no longer resolve (errors of the new
    /// version; the gate's decision does not count them).
    public var dangling: MeshDiff.DanglingReferences

    /// Every finding: changes, versions, ignore entries, dangling references.
    public var all: [Finding] { changes + versions + ignoreEntries + dangling.all }
  }

  /// The findings of a diff after the gate's `decision`.
  ///
  /// - Parameters:
  ///   - changes: The changes, as ``MeshDiff/compare(base:head:)`` lists them.
  ///   - versions: The semver advice.
  ///   - decision: The gate's decision over `changes`.
  ///   - dangling: The new version's dangling references.
  /// - Returns: The findings, grouped.
  public static func findings(
    _ changes: [MeshChange], versions: [VersionAdvice], decision: Decision,
    dangling: MeshDiff.DanglingReferences
  ) -> Findings {
    var out = Findings(changes: [], versions: [], ignoreEntries: [], dangling: dangling)
    for (i, c) in changes.enumerated() {
      let (b, m) = c.affectedCounts
      let sev: Severity = decision.failing.contains(i) ? .error : (c.breaking ? .warning : .info)
      var msg = c.detail
      if c.breaking {
        msg += b + m == 0 ? "; nothing downstream is affected" : "; \(b) break, \(m) may break downstream"
      }
      if let e = decision.suppression(of: i) {
        msg += "; ignored until \(e.expires): \(e.reason)"
      }
      out.changes.append(
        Finding(
          rule: c.kind.rawValue, severity: sev, message: msg, subjects: [c.product],
          location: c.location))
    }
    for v in versions where v.insufficient {
      // Located at the product's first change: code scanning needs a place for it.
      let at = changes.first { $0.product == v.product && $0.location != nil }?.location
      let bump = v.actual == .none ? "no bump" : "a " + v.actual.rawValue + " bump"
      out.versions.append(
        Finding(
          rule: .semver, severity: .warning,
          message:
            "\(v.product): changes need a \(v.suggested.rawValue) version bump, but \(v.oldVersion ?? "-") -> \(v.newVersion ?? "-") is \(bump)",
          subjects: [v.product], location: at))
    }
    for e in decision.expired {
      out.ignoreEntries.append(
        Finding(
          rule: .ignoreExpired, severity: .warning,
          message: "ignore entry for '\(e.change)' expired on \(e.expires); it no longer suppresses anything",
          location: e.location, hint: "remove it, or renew it with a new reason"))
    }
    for e in decision.unused {
      out.ignoreEntries.append(
        Finding(
          rule: .ignoreUnused, severity: .info,
          message: "ignore entry for '\(e.change)' matched no change", location: e.location))
    }
    return out
  }
}

extension DiffGate.Decision {
  /// The ignore entry that lets change `i` through, if any.
  ///
  /// - Parameter i: The index of the change.
  /// - Returns: The entry, or nil.
  public func suppression(of i: Int) -> IgnoreEntry? {
    suppressed.first { $0.change == i }?.entry
  }

  /// Where change `i` of `changes` stands after the gate.
  ///
  /// - Parameters:
  ///   - i: The index of the change.
  ///   - changes: The changes the decision was made over.
  /// - Returns: ``DiffGate/Status/fails``, ``DiffGate/Status/ignored``,
  ///   ``DiffGate/Status/breaking`` or ``DiffGate/Status/ok``.
  public func status(of i: Int, in changes: [MeshChange]) -> DiffGate.Status {
    if failing.contains(i) { return .fails }
    if suppressed.contains(where: { $0.change == i }) { return .ignored }
    return changes[i].breaking ? .breaking : .ok
  }
}

extension MeshChange {
  /// How many readers the change breaks and may break (zero and zero without a
  /// computed blast radius).
  public var affectedCounts: (breaks: Int, mayBreak: Int) {
    guard let r = impact, impactModel != nil else { return (0, 0) }
    let b = r.breaksCount
    return (b, r.count - b)
  }
}

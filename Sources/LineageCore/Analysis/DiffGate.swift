/// One entry of an ignore file: a change to let through, why, and until when.
public struct IgnoreEntry: Sendable, Equatable {
  /// The change key, `KIND PRODUCT[.COLUMN]` as ``MeshChange/key`` spells it.
  public var change: String
  public var reason: String
  /// ISO date (`YYYY-MM-DD`) after which the entry no longer applies.
  public var expires: String
  public var location: SourceLocation?

  public init(change: String, reason: String, expires: String, location: SourceLocation? = nil) {
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
    public var passed: Bool { failing.isEmpty }
  }

  /// The owner of the changed product, and the affected readers outside that team.
  public static func outsiders(_ c: MeshChange) -> [ImpactResult.Affected] {
    guard let r = c.impact, let m = c.impactModel else { return [] }
    let team = m.graph.ownerName(r.product)
    return r.affected.filter { m.graph.ownerName($0.node) != team || team == nil }
  }

  /// Applies the threshold and the ignore entries; `today` is an ISO date.
  public static func decide(_ changes: [MeshChange], threshold: Threshold, ignores: [IgnoreEntry], today: String)
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

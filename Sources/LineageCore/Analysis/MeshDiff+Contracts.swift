/// The constraints of data contract columns, compared from a reader's side as
/// datacontract-cli's `breaking --perspective consumer` does: a constraint that allows
/// values it did not (removed, relaxed, or replaced by one that allows others) breaks
/// readers; one that allows fewer does not (it is the producer's concern); one whose
/// effect cannot be ordered is a note.
extension MeshDiff {
  /// How one constraint moved the set of values the contract allows.
  enum ConstraintMove {
    /// It allows fewer values.
    case tightens
    /// It allows values it did not.
    case loosens
    /// Changed in a way that cannot be ordered, or that no check reads.
    case changed
  }

  /// A bound on values: its limit, and whether the limit itself is excluded.
  struct Bound: Equatable {
    var value: Double
    var exclusive: Bool
  }

  /// The stricter of an inclusive and an exclusive lower (or upper) bound.
  static func bound(inclusive: Double?, exclusive: Double?, lower: Bool) -> Bound? {
    switch (inclusive, exclusive) {
    case (nil, nil): return nil
    case (let i?, nil): return Bound(value: i, exclusive: false)
    case (nil, let e?): return Bound(value: e, exclusive: true)
    case (let i?, let e?):
      let stricter = lower ? e >= i : e <= i
      return stricter ? Bound(value: e, exclusive: true) : Bound(value: i, exclusive: false)
    }
  }

  /// How a lower bound (or, with `lower` false, an upper one) moved.
  static func move(_ old: Bound?, _ new: Bound?, lower: Bool) -> ConstraintMove? {
    switch (old, new) {
    case (nil, nil): return nil
    case (nil, _): return .tightens
    case (_, nil): return .loosens
    case (let a?, let b?):
      if a == b { return nil }
      if a.value == b.value { return b.exclusive ? .tightens : .loosens }
      return (b.value > a.value) == lower ? .tightens : .loosens
    }
  }

  /// A number as a contract writes it: `10`, not `10.0`.
  static func number(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
  }

  static func text(_ b: Bound?, lower: Bool) -> String {
    guard let b else { return "none" }
    return (lower ? (b.exclusive ? ">" : ">=") : (b.exclusive ? "<" : "<=")) + " " + number(b.value)
  }

  /// A few values, quoted, for details.
  static func list(_ values: [String]) -> String {
    let shown = values.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
    return values.count > 5 ? shown + " and \(values.count - 5) more" : shown
  }

  /// The data quality rules only in one version, of the dataset (`column` nil) or of a
  /// column: one change per rule, added or removed (a changed rule is both).
  static func compareQuality(
    _ id: String, column: String?, _ old: [String], _ new: [String], at location: SourceLocation?,
    add: (MeshChange.Kind, String, String?, String, Bool, SourceLocation?, SchemaChange?) -> Void
  ) {
    guard old != new else { return }
    let whose = column.map { "column \($0)" } ?? id
    func shown(_ rule: String) -> String { rule.count > 160 ? String(rule.prefix(160)) + "…" : rule }
    var remaining = new
    for rule in old {
      if let k = remaining.firstIndex(of: rule) {
        remaining.remove(at: k)
      } else {
        add(
          .qualityRemoved, id, column, "quality rule of \(whose) removed: \(shown(rule))", false, location, nil)
      }
    }
    for rule in remaining {
      add(.qualityAdded, id, column, "quality rule of \(whose) added: \(shown(rule))", false, location, nil)
    }
  }

  /// Every constraint change between two versions of a contract column, by how it moves
  /// the values allowed: at most one change of each kind, naming every constraint.
  static func compareConstraints(
    _ id: String, _ old: Column, _ new: Column,
    add: (MeshChange.Kind, String, String?, String, Bool, SourceLocation?, SchemaChange?) -> Void
  ) {
    let a = old.constraints ?? ColumnConstraints(), b = new.constraints ?? ColumnConstraints()
    var moves: [(ConstraintMove, String)] = []
    func flag(_ was: Bool, _ now: Bool, _ on: String, _ off: String) {
      if was != now { moves.append(now ? (.tightens, on) : (.loosens, off)) }
    }
    if old.primaryKey != new.primaryKey {
      moves.append(new.primaryKey ? (.tightens, "becomes the primary key") : (.loosens, "is no longer the primary key"))
    }
    flag(a.unique, b.unique, "becomes unique", "is no longer unique")
    switch (a.allowedValues, b.allowedValues) {
    case (nil, let now?): moves.append((.tightens, "allowed values set to \(list(now))"))
    case (let was?, nil): moves.append((.loosens, "allowed values \(list(was)) no longer enforced"))
    case (let was?, let now?):
      let gained = now.filter { !was.contains($0) }.sorted(), lost = was.filter { !now.contains($0) }.sorted()
      if !gained.isEmpty { moves.append((.loosens, "allows \(list(gained))")) }
      if !lost.isEmpty { moves.append((.tightens, "no longer allows \(list(lost))")) }
    case (nil, nil): break
    }
    for lower in [true, false] {
      let was =
        lower
        ? bound(inclusive: a.minimum, exclusive: a.exclusiveMinimum, lower: true)
        : bound(inclusive: a.maximum, exclusive: a.exclusiveMaximum, lower: false)
      let now =
        lower
        ? bound(inclusive: b.minimum, exclusive: b.exclusiveMinimum, lower: true)
        : bound(inclusive: b.maximum, exclusive: b.exclusiveMaximum, lower: false)
      if let m = move(was, now, lower: lower) {
        moves.append((m, "\(lower ? "minimum" : "maximum") \(text(was, lower: lower)) -> \(text(now, lower: lower))"))
      }
    }
    let lengths: [(String, Int?, Int?, Bool)] = [
      ("minLength", a.minLength, b.minLength, true), ("maxLength", a.maxLength, b.maxLength, false),
    ]
    for (name, was, now, lower) in lengths {
      let m = move(
        was.map { Bound(value: Double($0), exclusive: false) }, now.map { Bound(value: Double($0), exclusive: false) },
        lower: lower)
      if let m { moves.append((m, "\(name) \(was.map(String.init) ?? "none") -> \(now.map(String.init) ?? "none")")) }
    }
    switch (a.pattern, b.pattern) {
    case (nil, let p?): moves.append((.tightens, "pattern \(p) added"))
    case (let p?, nil): moves.append((.loosens, "pattern \(p) removed"))
    case (let p?, let q?) where p != q: moves.append((.changed, "pattern \(p) -> \(q)"))
    default: break
    }
    if a.format != b.format {
      moves.append((.changed, "format \(a.format ?? "none") -> \(b.format ?? "none")"))
    }
    switch (a.references, b.references) {
    case (nil, let r?): moves.append((.tightens, "references \(r) added"))
    case (let r?, nil): moves.append((.loosens, "no longer references \(r)"))
    case (let r?, let s?) where r != s: moves.append((.loosens, "references \(r) -> \(s)"))
    default: break
    }
    let name = new.name
    let kinds: [(ConstraintMove, MeshChange.Kind, String)] = [
      (.loosens, .constraintLoosened, "promises less"), (.tightens, .constraintTightened, "promises more"),
      (.changed, .constraintChanged, "changes"),
    ]
    for (move, kind, verb) in kinds {
      let details = moves.filter { $0.0 == move }.map(\.1)
      guard !details.isEmpty else { continue }
      let breaking = move == .loosens
      add(
        kind, id, name, "column \(name) \(verb): " + details.joined(separator: "; "), breaking, new.location,
        breaking ? .loosen : nil)
    }
  }
}

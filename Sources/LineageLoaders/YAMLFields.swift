import LineageCore
internal import Yams

/// A human name for the shape of a YAML node, for type errors.
func describe(_ node: Node) -> String {
  switch node {
  case .mapping: "a mapping"
  case .sequence: "a list"
  case .alias: "an alias"
  case .scalar(let s):
    if node.null != nil && s.style == .plain { "null" } else { "a scalar ('\(s.string.prefix(40))')" }
  }
}

/// Reads the fields of one YAML mapping, reporting missing, mistyped and unknown
/// fields as located findings.
final class Fields {
  let node: Node
  /// The mapping's keys, their nodes and values, in document order (side by side, so
  /// that finding a key compares strings without copying nodes).
  let keys: [String]
  let keyNodes: [Node]
  let values: [Node]
  var context: String
  let diag: FileDiagnostics
  /// Which keys were asked for; the rest are unknown fields.
  var used: [Bool]
  var subject: [String] = []

  /// Returns nil (and reports) when `node` is not a mapping.
  init?(_ node: Node, context: String, diag: FileDiagnostics) {
    guard case .mapping(let m) = node else {
      diag.report("invalid-type", .error, "\(context) must be a mapping, found \(describe(node))", at: node)
      return nil
    }
    self.node = node
    self.context = context
    self.diag = diag
    var keys: [String] = [], keyNodes: [Node] = [], values: [Node] = []
    keys.reserveCapacity(m.count)
    keyNodes.reserveCapacity(m.count)
    values.reserveCapacity(m.count)
    for (k, v) in m {
      guard case .scalar(let s) = k else {
        diag.report(
          "invalid-type", .error, "\(context) has a key that is \(describe(k)); keys must be plain names",
          at: k)
        continue
      }
      keys.append(s.string)
      keyNodes.append(k)
      values.append(v)
    }
    self.keys = keys
    self.keyNodes = keyNodes
    self.values = values
    self.used = [Bool](repeating: false, count: keys.count)
  }

  var location: SourceLocation { diag.location(node) }

  /// The raw value of `key`, marking it used; nil when absent or null.
  func value(_ key: String) -> Node? {
    guard let i = keys.firstIndex(of: key) else { return nil }
    used[i] = true
    let v = values[i]
    if case .scalar(let s) = v, s.style == .plain, v.null != nil { return nil }
    return v
  }

  /// Where `key` was written (its value), or the mapping itself.
  func location(of key: String) -> SourceLocation {
    if let i = keys.firstIndex(of: key) { return diag.location(values[i]) }
    return location
  }

  func missing(_ key: String, hint: String? = nil) {
    diag.report(
      "missing-field", .error, "\(context) is missing required field '\(key)'", at: node, subjects: subject,
      hint: hint)
  }

  func mistyped(_ key: String, _ expected: String, _ found: Node) {
    diag.report(
      "invalid-type", .error, "field '\(key)' of \(context) must be \(expected), found \(describe(found))",
      at: found, subjects: subject)
  }

  /// A scalar field as text. Control characters are rejected.
  func string(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
    guard let v = value(key) else {
      if required { missing(key, hint: hint) }
      return nil
    }
    return text(v, key: key)
  }

  /// A scalar node as text, reporting other shapes.
  func text(_ v: Node, key: String) -> String? {
    guard case .scalar(let s) = v else {
      mistyped(key, "a scalar", v)
      return nil
    }
    if s.string.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" || $0.value == 0x7F }) {
      diag.report(
        "invalid-value", .error, "field '\(key)' of \(context) contains control characters", at: v,
        subjects: subject, hint: "remove them; names must be printable text")
      return nil
    }
    return s.string
  }

  /// An identifier-like scalar: non-empty, no line breaks.
  func identifier(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
    guard let v = value(key) else {
      if required { missing(key, hint: hint) }
      return nil
    }
    guard let s = text(v, key: key) else { return nil }
    return checkIdentifier(s, key: key, at: v)
  }

  func checkIdentifier(_ s: String, key: String, at node: Node) -> String? {
    if s.isEmpty || s.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\t" }) || s != s.trimmed {
      diag.report(
        "invalid-value", .error,
        "field '\(key)' of \(context) must be a non-empty name without line breaks, tabs or surrounding spaces",
        at: node, subjects: subject)
      return nil
    }
    return s
  }

  /// A value out of a fixed set, with a did-you-mean hint.
  func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
    guard let v = value(key), let s = text(v, key: key) else { return nil }
    if let e = E(rawValue: s) { return e }
    let options = E.allCases.map(\.rawValue)
    diag.report(
      "invalid-value", .error,
      "field '\(key)' of \(context) is '\(s)'; expected one of \(options.joined(separator: ", "))", at: v,
      subjects: subject, hint: Suggest.hint(for: s, in: options))
    return nil
  }

  func bool(_ key: String) -> Bool? {
    guard let v = value(key) else { return nil }
    if case .scalar(let s) = v, s.style == .plain, let b = v.bool { return b }
    mistyped(key, "true or false", v)
    return nil
  }

  func number(_ key: String) -> Double? {
    guard let v = value(key) else { return nil }
    if case .scalar(let s) = v, s.style == .plain, let d = v.float { return d }
    mistyped(key, "a number", v)
    return nil
  }

  func sequence(_ key: String) -> [Node]? {
    guard let v = value(key) else { return nil }
    guard case .sequence(let s) = v else {
      mistyped(key, "a list", v)
      return nil
    }
    return Array(s)
  }

  /// A list of scalars, each with its location.
  func strings(_ key: String) -> [(String, SourceLocation)]? {
    guard let items = sequence(key) else { return nil }
    var out: [(String, SourceLocation)] = []
    for item in items {
      if let s = text(item, key: key), let s = checkIdentifier(s, key: key, at: item) {
        out.append((s, diag.location(item)))
      }
    }
    return out
  }

  func mapping(_ key: String, context: String) -> Fields? {
    guard let v = value(key) else { return nil }
    let f = Fields(v, context: context, diag: diag)
    f?.subject = subject
    return f
  }

  /// Reports every key that was never asked for, with a did-you-mean hint; and
  /// duplicate keys.
  func finish(allowed: [String]) {
    for i in keys.indices where !used[i] {
      let hint =
        Suggest.hint(for: keys[i], in: allowed)
        ?? "known fields: \(allowed.joined(separator: ", "))"
      diag.report(
        "unknown-field", .warning, "unknown field '\(keys[i])' in \(context); it is ignored", at: keyNodes[i],
        subjects: subject, hint: hint)
    }
  }
}

extension String {
  var trimmed: String {
    var s = Substring(self)
    while let f = s.first, f == " " { s = s.dropFirst() }
    while let l = s.last, l == " " { s = s.dropLast() }
    return String(s)
  }
}

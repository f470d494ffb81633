internal import LineageCore

/// Shape checks of JSON documents read by the importers (OpenLineage events, dbt
/// manifests and catalogs): every field an importer reads must have, when present,
/// the JSON type its format gives it, and the required ones must be there. A problem
/// means the document was not read completely, so it becomes a load error, named by
/// the path of the offending value (`nodes["model.a"].columns.id.tags[0]`). Fields
/// the importer ignores are not checked; `null` counts as absent.
enum JSONShape {
  /// One problem of a document: its rule (`invalid-type`, `invalid-value`,
  /// `invalid-event`) and a message naming the path of the offending value.
  struct Problem: Equatable, Sendable {
    var rule: Finding.Rule
    var message: String
    var hint: String?
    /// The path of the offending value, when the check knows it.
    var path: [Segment]? = nil
  }

  /// The value, unless it is absent or `null`.
  static func present(_ v: JSONValue?) -> JSONValue? {
    guard let v, !v.isNull else { return nil }
    return v
  }

  /// A value quoted in a message, shortened when long.
  static func quoted(_ s: String) -> String {
    s.count > 80 ? "'" + s.prefix(80) + "...'" : "'" + s + "'"
  }

  /// One step of a path into a document.
  enum Segment: Sendable, Equatable {
    case key(String)
    case index(Int)
  }

  /// `inputs[0].facets.schema.fields[2].name`; a key that is not a plain word is
  /// written `["a.b"]`. A path of one plain key is quoted: `"inputs"`.
  static func text(_ path: [Segment]) -> String {
    func plain(_ k: String) -> Bool {
      !k.isEmpty
        && k.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F }
    }
    if path.count == 1, case .key(let k) = path[0], plain(k) { return "\"\(k)\"" }
    var s = ""
    for seg in path {
      switch seg {
      case .index(let i): s += "[\(i)]"
      case .key(let k) where plain(k): s += (s.isEmpty ? "" : ".") + k
      case .key(let k):
        var escaped = ""
        for ch in k.unicodeScalars {
          switch ch {
          case "\"": escaped += "\\\""
          case "\\": escaped += "\\\\"
          case _ where ch.value < 0x20:
            escaped +=
              "\\u" + String(repeating: "0", count: 4 - String(ch.value, radix: 16).count) + String(ch.value, radix: 16)
          default: escaped.unicodeScalars.append(ch)
          }
        }
        s += "[\"" + escaped + "\"]"
      }
    }
    return s
  }

  enum Kind {
    case object, array, string, bool

    var name: String {
      switch self {
      case .object: "an object"
      case .array: "an array"
      case .string: "a string"
      case .bool: "a boolean"
      }
    }

    func matches(_ v: JSONValue) -> Bool {
      switch (self, v) {
      case (.object, .object), (.array, .array), (.string, .string), (.bool, .bool): true
      default: false
      }
    }
  }

  struct Checker {
    var problems: [Problem] = []
    /// The rule and hint of a required field that is missing.
    var missingRule: Finding.Rule = .invalidEvent
    var missingHint: String? = "the OpenLineage spec requires it; without it the event cannot be read completely"

    typealias Segment = JSONShape.Segment
    typealias Kind = JSONShape.Kind
    func text(_ path: [Segment]) -> String { JSONShape.text(path) }
    func present(_ v: JSONValue?) -> JSONValue? { JSONShape.present(v) }
    func quoted(_ s: String) -> String { JSONShape.quoted(s) }

    init() {}
    init(missingRule: Finding.Rule, missingHint: String?) {
      self.missingRule = missingRule
      self.missingHint = missingHint
    }

    /// Records a problem, located at `path` when given.
    mutating func add(_ rule: Finding.Rule, _ message: String, hint: String? = nil, at path: [Segment]? = nil) {
      problems.append(Problem(rule: rule, message: message, hint: hint, path: path))
    }

    /// The value of `key` when it has the right type; nil when it is absent, `null`
    /// (a problem if `required`) or of another type (a problem).
    mutating func get(
      _ parent: JSONValue, _ key: String, _ path: [Segment], _ kind: Kind,
      required: Bool = false, nonEmpty: Bool = false
    ) -> JSONValue? {
      // The path is built only for a problem: most values are fine, and this runs for
      // every field of every event a server takes.
      guard let v = present(parent[key]) else {
        if required { add(missingRule, "\(text(path + [.key(key)])) is missing", hint: missingHint, at: path) }
        return nil
      }
      guard kind.matches(v) else {
        let p = path + [.key(key)]
        add("invalid-type", "\(text(p)) must be \(kind.name), got \(v.typeName)", at: p)
        return nil
      }
      if nonEmpty, v.string?.isEmpty == true {
        add("invalid-value", "\(text(path + [.key(key)])) must not be empty")
        return nil
      }
      return v
    }

    /// The elements of an array that have the right type, with their paths; the
    /// others are problems.
    mutating func items(_ array: JSONValue, _ path: [Segment], _ kind: Kind) -> [(JSONValue, [Segment])] {
      var out: [(JSONValue, [Segment])] = []
      for (i, v) in (array.array ?? []).enumerated() {
        let p = path + [.index(i)]
        if kind.matches(v) {
          out.append((v, p))
        } else {
          add("invalid-type", "\(text(p)) must be \(kind.name), got \(v.typeName)", at: p)
        }
      }
      return out
    }

    /// The entries of `parent[key]`, an object of objects, when it is one; the entries
    /// that are not objects are problems at their own paths.
    mutating func objects(_ parent: JSONValue, _ key: String, _ path: [Segment])
      -> [(key: String, value: JSONValue, path: [Segment])]
    {
      guard let o = get(parent, key, path, .object)?.object else { return [] }
      var out: [(key: String, value: JSONValue, path: [Segment])] = []
      for (k, v) in o.entries {
        let p = path + [.key(key), .key(k)]
        if v.object != nil {
          out.append((k, v, p))
        } else {
          add("invalid-type", "\(text(p)) must be an object, got \(v.typeName)", at: p)
        }
      }
      return out
    }

    /// The elements of `parent[key]`, an array of `kind`, when it is one.
    mutating func list(
      _ parent: JSONValue, _ key: String, _ path: [Segment], _ kind: Kind,
      required: Bool = false
    ) -> [(JSONValue, [Segment])] {
      guard let a = get(parent, key, path, .array, required: required) else { return [] }
      return items(a, path + [.key(key)], kind)
    }

  }

  /// The line and column where the value at `path` starts in `bytes`, found by a
  /// streaming scan that skips every other value (nothing is built, nothing recurses);
  /// nil when the path is not there.
  static func locate(_ path: [Segment], in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int)? {
    var s = JSONScanner(bytes)
    do throws(JSONScanner.Failure) {
      for seg in path {
        switch seg {
        case .key(let key):
          guard s.peek() == .objectStart else { return nil }
          s.pos += 1
          if s.isEmpty(close: UInt8(ascii: "}")) { return nil }
          let want = Array(key.utf8)
          var found = false
          repeat {
            let k = try s.string { $0.elementsEqual(want) }
            try s.expect(UInt8(ascii: ":"), "':'")
            if k {
              found = true
              break
            }
            try s.skipValue()
          } while try s.next(close: UInt8(ascii: "}"), what: "an object")
          if !found { return nil }
        case .index(let i):
          guard s.peek() == .arrayStart else { return nil }
          s.pos += 1
          if s.isEmpty(close: UInt8(ascii: "]")) { return nil }
          var n = 0
          while n < i {
            try s.skipValue()
            guard try s.next(close: UInt8(ascii: "]"), what: "an array") else { return nil }
            n += 1
          }
        }
      }
      s.skipSpace()
      return s.lineColumn(s.pos)
    } catch {
      return nil
    }
  }
}

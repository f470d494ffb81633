/// A JSON document tree for the importers (dbt manifests, OpenLineage events).
///
/// Built iteratively over ``JSONScanner`` (no recursion on nesting depth), and able
/// to skip the values of keys nobody reads (a dbt manifest's compiled SQL and
/// macros are most of its bytes) without building them.
enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  var string: String? { if case .string(let s) = self { s } else { nil } }
  var object: JSONObject? { if case .object(let o) = self { o } else { nil } }
  var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
  var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
  var number: Double? { if case .number(let n) = self { n } else { nil } }
  var isNull: Bool { if case .null = self { true } else { false } }

  /// `obj["a"]?["b"]`-style access through objects.
  subscript(_ key: String) -> JSONValue? { object?[key] }

  /// The strings of an array value (others skipped).
  var strings: [String] { array?.compactMap(\.string) ?? [] }

  /// What the value is, for error messages.
  var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

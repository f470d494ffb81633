/// A JSON object: keys in document order; lookups are linear, which suits the small
/// objects of manifests and events (large ones are iterated, not searched).
struct JSONObject: Sendable {
  var keys: [String] = []
  var values: [JSONValue] = []

  subscript(_ key: String) -> JSONValue? {
    for i in keys.indices where keys[i] == key { return values[i] }
    return nil
  }

  var count: Int { keys.count }
  var entries: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }
}

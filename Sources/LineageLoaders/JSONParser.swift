/// A syntax error at a byte offset, with its line and column.
struct JSONSyntaxError: Error {
  var message: String
  var line: Int
  var column: Int
}

enum JSONParser {
  /// Parses one JSON value that fills `bytes` (whitespace aside).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, skipping skip: Set<String> = []) throws(JSONSyntaxError)
    -> JSONValue
  {
    var scanner = JSONScanner(bytes)
    do throws(JSONScanner.Failure) {
      let v = try value(&scanner, skip: skip)
      if scanner.peek() != .end {
        throw JSONScanner.Failure(message: "unexpected \(scanner.found()) after the JSON value", offset: scanner.pos)
      }
      return v
    } catch {
      let (l, c) = scanner.lineColumn(error.offset)
      throw JSONSyntaxError(message: error.message, line: l, column: c)
    }
  }

  /// Parses a sequence of JSON values separated by whitespace (newline-delimited
  /// JSON); each comes with the line it starts on.
  static func parseSequence(_ bytes: UnsafeBufferPointer<UInt8>, skipping skip: Set<String> = [])
    throws(JSONSyntaxError) -> [(value: JSONValue, line: Int)]
  {
    var scanner = JSONScanner(bytes)
    var out: [(JSONValue, Int)] = []
    var line = 1, counted = 0
    do throws(JSONScanner.Failure) {
      while scanner.peek() != .end {
        // Line numbers, counted incrementally from the last value's start.
        var i = counted
        while i < scanner.pos {
          if bytes[i] == 10 { line += 1 }
          i += 1
        }
        counted = scanner.pos
        out.append((try value(&scanner, skip: skip), line))
      }
      return out
    } catch {
      let (l, c) = scanner.lineColumn(error.offset)
      throw JSONSyntaxError(message: error.message, line: l, column: c)
    }
  }

  static let maxDepth = 10_000

  /// Open containers, innermost last. Containers live in their own arrays and are
  /// mutated in place there (an enum payload would share its buffer with the stack
  /// and copy on every append, which is quadratic for large objects).
  private struct Stack {
    var isObject: [Bool] = []
    var arrays: [[JSONValue]] = []
    var objects: [JSONObject] = []
    var pendingKeys: [String] = []
    var depth: Int { isObject.count }
  }

  static func value(_ s: inout JSONScanner, skip: Set<String>) throws(JSONScanner.Failure) -> JSONValue {
    var stack = Stack()
    while true {
      // Read one value: a scalar, or the start of a container.
      var current: JSONValue
      switch s.peek() {
      case .objectStart:
        s.pos += 1
        if s.isEmpty(close: UInt8(ascii: "}")) {
          current = .object(JSONObject())
        } else {
          guard stack.depth < maxDepth else {
            throw .init(message: "nesting deeper than \(maxDepth) levels", offset: s.pos)
          }
          guard let key = try firstKey(&s, skip: skip) else {
            current = .object(JSONObject())
            break
          }
          stack.isObject.append(true)
          stack.objects.append(JSONObject())
          stack.pendingKeys.append(key)
          continue
        }
      case .arrayStart:
        s.pos += 1
        if s.isEmpty(close: UInt8(ascii: "]")) {
          current = .array([])
        } else {
          guard stack.depth < maxDepth else {
            throw .init(message: "nesting deeper than \(maxDepth) levels", offset: s.pos)
          }
          stack.isObject.append(false)
          stack.arrays.append([])
          continue
        }
      case .string: current = .string(try s.string { String(decoding: $0, as: UTF8.self) })
      case .number:
        let start = s.pos
        try s.skipNumber()
        let text = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[start..<s.pos]), as: UTF8.self)
        guard let d = Double(text) else { throw .init(message: "invalid number '\(text)'", offset: start) }
        current = .number(d)
      case .literal:
        switch try s.literal() {
        case "true": current = .bool(true)
        case "false": current = .bool(false)
        default: current = .null
        }
      case .objectEnd, .arrayEnd: throw .init(message: "unexpected \(s.found())", offset: s.pos)
      case .end: throw .init(message: "unexpected end of input", offset: s.pos)
      }
      // Attach it to the enclosing containers, closing those that end.
      while true {
        guard let isObject = stack.isObject.last else { return current }
        if isObject {
          let o = stack.objects.count - 1
          stack.objects[o].keys.append(stack.pendingKeys.removeLast())
          stack.objects[o].values.append(current)
          if try s.next(close: UInt8(ascii: "}"), what: "an object"), let next = try firstKey(&s, skip: skip) {
            stack.pendingKeys.append(next)
            break
          }
          stack.isObject.removeLast()
          current = .object(stack.objects.removeLast())
        } else {
          stack.arrays[stack.arrays.count - 1].append(current)
          if try s.next(close: UInt8(ascii: "]"), what: "an array") { break }
          stack.isObject.removeLast()
          current = .array(stack.arrays.removeLast())
        }
      }
    }
  }

  /// Reads `"key":`, skipping the values of keys in `skip` (and their commas), and
  /// returns the first key whose value is wanted, or nil when the object closes.
  private static func firstKey(_ s: inout JSONScanner, skip: Set<String>) throws(JSONScanner.Failure) -> String? {
    while true {
      let key = try s.string { String(decoding: $0, as: UTF8.self) }
      try s.expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
      if skip.isEmpty || !skip.contains(key) { return key }
      try s.skipValue()
      if !(try s.next(close: UInt8(ascii: "}"), what: "an object")) { return nil }
    }
  }
}

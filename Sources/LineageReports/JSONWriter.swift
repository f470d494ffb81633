public import LineageCore

/// A streaming JSON writer into a byte buffer: no intermediate tree, no Codable,
/// escaping done byte by byte. Containers opened with `compact: true` are written on
/// one line, which keeps large arrays of small objects readable and diffable.
public struct JSONWriter {
  /// The bytes written so far (the pieces joined).
  public var bytes: [UInt8] { parts.isEmpty ? tail : output.bytes }

  /// Pieces joined into one buffer, allocated once.
  ///
  /// - Parameter pieces: Byte runs, in order.
  /// - Returns: Their bytes one after another.
  public static func joined(_ pieces: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
    for p in pieces { out += p }
    return out
  }
  /// What is being written now, after ``parts``.
  var tail: [UInt8] = []
  /// What was set aside before ``tail`` (rows laid out when written,
  /// ``rawElementRows(_:)``): the output is these, then ``tail``.
  var parts: [ReportBytes.Part] = []

  /// The output as pieces, in order: writing them one after another gives ``bytes``,
  /// without joining them into one buffer first.
  ///
  /// - Returns: The pieces.
  public func pieces() -> [[UInt8]] { output.pieces }

  /// The output, its long runs of rows laid out only when it is written.
  public var output: ReportBytes { ReportBytes(parts + [.bytes(tail)]) }
  var stack: [(first: Bool, compact: Bool)] = []
  var afterKey = false
  let pretty: Bool

  /// Creates a writer; `pretty` indents containers that are not compact.
  public init(pretty: Bool = true, capacity: Int = 4096) {
    self.pretty = pretty
    tail.reserveCapacity(capacity)
  }

  var compact: Bool { !pretty || (stack.last?.compact ?? false) }

  mutating func separator() {
    if afterKey {
      afterKey = false
      return
    }
    guard !stack.isEmpty else { return }
    if stack[stack.count - 1].first {
      stack[stack.count - 1].first = false
    } else {
      tail.append(UInt8(ascii: ","))
    }
    if !compact {
      tail.append(10)
      for _ in 0..<stack.count { tail.append(32); tail.append(32) }
    }
  }

  /// Opens an object.
  ///
  /// - Parameter compact: Writes the object on one line.
  public mutating func beginObject(compact: Bool = false) { open(UInt8(ascii: "{"), compact) }
  /// Closes the innermost object.
  public mutating func endObject() { close(UInt8(ascii: "}")) }
  /// Opens an array.
  ///
  /// - Parameter compact: Writes the array on one line.
  public mutating func beginArray(compact: Bool = false) { open(UInt8(ascii: "["), compact) }
  /// Closes the innermost array.
  public mutating func endArray() { close(UInt8(ascii: "]")) }

  mutating func open(_ b: UInt8, _ c: Bool) {
    separator()
    tail.append(b)
    stack.append((true, c || compact))
  }

  mutating func close(_ b: UInt8) {
    let top = stack.removeLast()
    if !top.first && pretty && !top.compact {
      tail.append(10)
      for _ in 0..<stack.count { tail.append(32); tail.append(32) }
    }
    tail.append(b)
    if stack.isEmpty && pretty { tail.append(10) }
  }

  /// Writes an object key; the next value belongs to it.
  public mutating func key(_ k: String) {
    separator()
    writeString(k)
    tail.append(UInt8(ascii: ":"))
    if !compact { tail.append(32) }
    afterKey = true
  }

  /// Writes a string value, escaped.
  ///
  /// - Parameter s: The string.
  public mutating func string(_ s: String) {
    separator()
    writeString(s)
  }

  /// Writes an integer value.
  ///
  /// - Parameter v: The integer.
  public mutating func int(_ v: Int) {
    separator()
    tail.append(contentsOf: String(v).utf8)
  }

  /// Writes a number: a whole number without a fraction, `null` when not finite.
  ///
  /// - Parameter v: The number.
  public mutating func double(_ v: Double) {
    separator()
    if v.isFinite {
      if v == v.rounded(), abs(v) < 1e15 {
        tail.append(contentsOf: String(Int(v)).utf8)
      } else {
        tail.append(contentsOf: String(v).utf8)
      }
    } else {
      tail.append(contentsOf: "null".utf8)
    }
  }

  /// Writes `true` or `false`.
  ///
  /// - Parameter v: The value.
  public mutating func bool(_ v: Bool) {
    separator()
    tail.append(contentsOf: (v ? "true" : "false").utf8)
  }

  /// Writes `null`.
  public mutating func null() {
    separator()
    tail.append(contentsOf: "null".utf8)
  }

  /// Writes `s`, or null when nil.
  public mutating func optional(_ s: String?) {
    if let s { string(s) } else { null() }
  }

  /// A `"key": value` pair with a string or null.
  public mutating func field(_ k: String, _ s: String?) {
    key(k)
    optional(s)
  }

  /// A `"key": value` pair with a date, written `YYYY-MM-DD`.
  ///
  /// - Parameters:
  ///   - k: The key.
  ///   - date: The date.
  public mutating func field(_ k: String, _ date: CalendarDate) { field(k, date.description) }

  /// A `"key": value` pair with an integer.
  ///
  /// - Parameters:
  ///   - k: The key.
  ///   - v: The integer.
  public mutating func field(_ k: String, _ v: Int) {
    key(k)
    int(v)
  }

  /// A `"key": value` pair with a Boolean.
  ///
  /// - Parameters:
  ///   - k: The key.
  ///   - v: The value.
  public mutating func field(_ k: String, _ v: Bool) {
    key(k)
    bool(v)
  }

  /// A `"key": [strings]` pair.
  public mutating func field(_ k: String, _ list: [String]) {
    key(k)
    beginArray(compact: true)
    for s in list { string(s) }
    endArray()
  }

  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  mutating func writeString(_ s: String) {
    var s = s
    s.withUTF8 { Self.appendString($0, to: &tail) }
  }

  /// Writes a value whose bytes `body` appends itself (already valid JSON), after the
  /// separator the writer owes: the way large lists write their rows without a call
  /// per field.
  /// Elements of the open array written straight into the buffer by `body`, which
  /// gets the buffer and the bytes to put between two elements (a comma, and the line
  /// break and indent when pretty); it puts none before its first element or after
  /// its last, and writes at least one.
  mutating func rawElements(_ body: (inout [UInt8], _ separator: [UInt8]) -> Void) {
    separator()
    body(&tail, elementSeparator)
  }

  /// What goes between two elements of the open array: a comma, and the line break
  /// and indent when pretty.
  var elementSeparator: [UInt8] {
    compact ? [UInt8(ascii: ",")] : [UInt8(ascii: ","), 10] + repeatElement(32, count: 2 * stack.count)
  }

  /// Writes elements of the open array laid out only when the output is written
  /// (``ChunkedRows``, which `body` makes from the separator to put between two
  /// elements), rather than copied after what was written before.
  mutating func rawElementRows(_ body: (_ separator: [UInt8]) -> ChunkedRows) {
    separator()
    let rows = body(elementSeparator)
    guard rows.count > 0 else { return }
    parts.append(.bytes(tail))
    tail = []
    parts.append(.rows(rows))
  }

  mutating func rawValue(_ body: (inout [UInt8]) -> Void) {
    separator()
    body(&tail)
  }

  /// Appends `b` as a quoted, escaped JSON string: runs that need no escape are copied
  /// whole.
  static func appendString(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var run = 0
    for i in 0..<b.count {
      let c = b[i]
      if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") && c != 0x7F { continue }
      if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i])) }
      switch c {
      case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
      case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
      case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
      case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
      case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
      default: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
      }
      run = i + 1
    }
    if b.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<b.count])) }
    out.append(UInt8(ascii: "\""))
  }

  /// `s` as a quoted, escaped JSON string.
  static func quoted(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var s = s
    s.withUTF8 { appendString($0, to: &out) }
    return out
  }

  /// Appends the decimal digits of `v`.
  static func appendDecimal(_ v: Int, to out: inout [UInt8]) {
    if v < 0 {
      out.append(UInt8(ascii: "-"))
      if v == .min {
        out.append(contentsOf: String(v).utf8.dropFirst())
        return
      }
      appendDecimal(-v, to: &out)
      return
    }
    if v < 10 {
      out.append(UInt8(48 + v))
      return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var n = v, k = 20
      while n > 0 {
        k -= 1
        digits[k] = UInt8(48 + n % 10)
        n /= 10
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
    }
  }
}

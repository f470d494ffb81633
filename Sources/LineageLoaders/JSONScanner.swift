/// A pull scanner over JSON bytes: no document tree, no recursion. Used by loaders
/// that stream large files (graph JSON) and keep only what they need.
struct JSONScanner: ~Copyable {
  let bytes: UnsafeBufferPointer<UInt8>
  var pos = 0
  /// Scratch buffer for strings with escapes.
  var scratch: [UInt8] = []
  /// Length in bytes of the last string read (its unescaped form).
  var lastStringLength = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  struct Failure: Error {
    var message: String
    var offset: Int
  }

  enum Token: Equatable { case objectStart, objectEnd, arrayStart, arrayEnd, string, number, literal, end }

  mutating func skipSpace() {
    while pos < bytes.count {
      let b = bytes[pos]
      if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
    }
  }

  /// The kind of the next value, without consuming it.
  mutating func peek() -> Token {
    skipSpace()
    guard pos < bytes.count else { return .end }
    switch bytes[pos] {
    case UInt8(ascii: "{"): return .objectStart
    case UInt8(ascii: "}"): return .objectEnd
    case UInt8(ascii: "["): return .arrayStart
    case UInt8(ascii: "]"): return .arrayEnd
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
    default: return .literal
    }
  }

  mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
    skipSpace()
    guard pos < bytes.count else { throw Failure(message: "unexpected end of input, expected \(what)", offset: pos) }
    guard bytes[pos] == byte else { throw Failure(message: "expected \(what), found \(found())", offset: pos) }
    pos += 1
  }

  func found() -> String {
    guard pos < bytes.count else { return "end of input" }
    let b = bytes[pos]
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x\(String(b, radix: 16))"
  }

  /// After a value inside a container: consumes `,` and returns true, or consumes the
  /// closing byte and returns false.
  mutating func next(close: UInt8, what: String) throws(Failure) -> Bool {
    skipSpace()
    guard pos < bytes.count else { throw Failure(message: "unexpected end of input inside \(what)", offset: pos) }
    if bytes[pos] == UInt8(ascii: ",") {
      pos += 1
      return true
    }
    if bytes[pos] == close {
      pos += 1
      return false
    }
    throw Failure(
      message: "expected ',' or '\(Character(Unicode.Scalar(close)))' in \(what), found \(found())", offset: pos)
  }

  /// True (and consumed) when the container closes right away.
  mutating func isEmpty(close: UInt8) -> Bool {
    skipSpace()
    if pos < bytes.count, bytes[pos] == close {
      pos += 1
      return true
    }
    return false
  }

  /// Reads a string and calls `body` with its unescaped UTF-8 bytes (valid only
  /// during the call). Strings without escapes are not copied.
  mutating func string<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> R) throws(Failure) -> R {
    try expect(UInt8(ascii: "\""), "a string")
    let start = pos
    while pos < bytes.count {
      let b = bytes[pos]
      if b == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<pos])
        pos += 1
        try validate(slice, at: start)
        lastStringLength = slice.count
        return try body(slice)
      }
      if b == UInt8(ascii: "\\") { break }
      if b < 0x20 { throw Failure(message: "control character in string", offset: pos) }
      pos += 1
    }
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
    while pos < bytes.count {
      let b = bytes[pos]
      if b == UInt8(ascii: "\"") {
        pos += 1
        try validate(scratch, at: start)
        let copy = scratch
        return try copy.withUnsafeBufferPointer { (p) throws(Failure) -> R in try body(p) }
      }
      if b < 0x20 { throw Failure(message: "control character in string", offset: pos) }
      if b != UInt8(ascii: "\\") {
        scratch.append(b)
        pos += 1
        continue
      }
      pos += 1
      guard pos < bytes.count else { break }
      let e = bytes[pos]
      pos += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
      case UInt8(ascii: "b"): scratch.append(8)
      case UInt8(ascii: "f"): scratch.append(12)
      case UInt8(ascii: "n"): scratch.append(10)
      case UInt8(ascii: "r"): scratch.append(13)
      case UInt8(ascii: "t"): scratch.append(9)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if scalar >= 0xD800 && scalar < 0xDC00 {
          guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
            throw Failure(message: "unpaired surrogate in \\u escape", offset: pos)
          }
          pos += 2
          let low = try hex4()
          guard low >= 0xDC00 && low < 0xE000 else { throw Failure(message: "invalid surrogate pair", offset: pos) }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
          throw Failure(message: "unpaired surrogate in \\u escape", offset: pos)
        }
        guard let u = Unicode.Scalar(scalar) else { throw Failure(message: "invalid \\u escape", offset: pos) }
        scratch.append(contentsOf: String(Character(u)).utf8)
      default:
        throw Failure(message: "invalid escape '\\\(Character(Unicode.Scalar(e)))'", offset: pos - 1)
      }
    }
    throw Failure(message: "unterminated string", offset: start - 1)
  }

  mutating func hex4() throws(Failure) -> UInt32 {
    guard pos + 4 <= bytes.count else { throw Failure(message: "truncated \\u escape", offset: pos) }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[pos]
      let d: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
      default: throw Failure(message: "invalid hex digit in \\u escape", offset: pos)
      }
      v = v << 4 | UInt32(d)
      pos += 1
    }
    return v
  }

  func validate<C: Collection>(_ s: C, at offset: Int) throws(Failure) where C.Element == UInt8 {
    // ASCII fast path, then a full UTF-8 check.
    if s.allSatisfy({ $0 < 0x80 }) { return }
    var it = s.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    while true {
      switch parser.parseScalar(from: &it) {
      case .valid: continue
      case .error: throw Failure(message: "invalid UTF-8 in string", offset: offset)
      case .emptyInput: return
      }
    }
  }

  /// Skips one value of any shape, iteratively.
  mutating func skipValue() throws(Failure) {
    var depth = 0
    repeat {
      switch peek() {
      case .objectStart, .arrayStart:
        pos += 1
        depth += 1
        if depth > 10_000 { throw Failure(message: "nesting deeper than 10000 levels", offset: pos) }
        continue
      case .objectEnd, .arrayEnd:
        guard depth > 0 else { throw Failure(message: "unexpected \(found())", offset: pos) }
        pos += 1
        depth -= 1
      case .string:
        try string { _ in () }
        skipSpace()
        if depth > 0, pos < bytes.count, bytes[pos] == UInt8(ascii: ":") {
          pos += 1
          continue
        }
      case .number: try skipNumber()
      case .literal: try literal()
      case .end: throw Failure(message: "unexpected end of input", offset: pos)
      }
      if depth > 0 {
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ",") { pos += 1 }
      }
    } while depth > 0
  }

  mutating func skipNumber() throws(Failure) {
    let start = pos
    if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    while pos < bytes.count {
      let b = bytes[pos]
      if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
        || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
      {
        pos += 1
      } else {
        break
      }
    }
    if pos == start || (pos == start + 1 && bytes[start] == UInt8(ascii: "-")) {
      throw Failure(message: "invalid number", offset: start)
    }
  }

  /// `true`, `false` or `null`; returns which.
  @discardableResult
  mutating func literal() throws(Failure) -> String {
    for word in ["true", "false", "null"] {
      let w = Array(word.utf8)
      if pos + w.count <= bytes.count, bytes[pos..<pos + w.count].elementsEqual(w) {
        pos += w.count
        return word
      }
    }
    throw Failure(message: "unexpected \(found())", offset: pos)
  }

  /// 1-based line and column (in Unicode scalars) of a byte offset.
  func lineColumn(_ offset: Int) -> (Int, Int) {
    var line = 1, col = 1
    var i = 0
    let end = min(offset, bytes.count)
    while i < end {
      let b = bytes[i]
      if b == 10 {
        line += 1
        col = 1
      } else if b & 0xC0 != 0x80 {
        col += 1
      }
      i += 1
    }
    return (line, col)
  }
}

/// Shell-style wildcard matching: `*` matches any run of characters, `?` one character.
public enum Glob {
  /// True when the pattern holds a wildcard character.
  ///
  /// - Parameter s: A selector value.
  /// - Returns: Whether it holds `*` or `?`.
  public static func isPattern(_ s: String) -> Bool { s.utf8.contains { $0 == 42 || $0 == 63 } }

  /// Matches `text` against `pattern` over UTF-8 bytes, iteratively (no recursion).
  ///
  /// - Parameters:
  ///   - pattern: The wildcard pattern.
  ///   - text: The text.
  /// - Returns: Whether the whole text matches.
  /// - Complexity: O(p · t) in the worst case, linear for typical patterns.
  public static func matches(_ pattern: String, _ text: String) -> Bool {
    var p = pattern, t = text
    return p.withUTF8 { pb in t.withUTF8 { tb in matches(pb, tb) } }
  }

  /// Byte-level form of ``matches(_:_:)-(String,String)``.
  ///
  /// - Parameters:
  ///   - p: The pattern as UTF-8.
  ///   - t: The text as UTF-8.
  /// - Returns: Whether the whole text matches.
  /// - Complexity: O(p · t) in the worst case.
  public static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
    var pi = 0, ti = 0
    var star = -1, mark = 0
    while ti < t.count {
      if pi < p.count, p[pi] == 63 || p[pi] == t[ti], p[pi] != 42 {
        // '?' matches one byte; keep a multi-byte scalar together.
        if p[pi] == 63 {
          ti += 1
          while ti < t.count, t[ti] & 0xC0 == 0x80 { ti += 1 }
        } else {
          ti += 1
        }
        pi += 1
      } else if pi < p.count, p[pi] == 42 {
        star = pi
        mark = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == 42 { pi += 1 }
    return pi == p.count
  }
}

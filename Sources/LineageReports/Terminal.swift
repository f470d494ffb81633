/// Styling for terminal text: colour only when wanted, and untrusted text made
/// harmless (control characters, escape sequences) before it reaches the terminal.
public struct TextStyle: Sendable {
  /// Whether ANSI colours are emitted.
  public var color: Bool

  /// Creates a style.
  ///
  /// - Parameter color: Whether ANSI colours are emitted.
  public init(color: Bool) { self.color = color }

  func wrap(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
  /// The bytes that open and close the style `code` (what ``wrap(_:_:)`` puts around
  /// text), empty without colour: for writers that lay rows out in bytes.
  func codes(_ code: String) -> (open: [UInt8], close: [UInt8]) {
    color ? (Array("\u{1B}[\(code)m".utf8), Array("\u{1B}[0m".utf8)) : ([], [])
  }
  /// Bold text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, bold when colour is on.
  public func bold(_ s: String) -> String { wrap(s, "1") }
  /// Dim text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, dim when colour is on.
  public func dim(_ s: String) -> String { wrap(s, "2") }
  /// Red text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, red when colour is on.
  public func red(_ s: String) -> String { wrap(s, "31") }
  /// Green text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, green when colour is on.
  public func green(_ s: String) -> String { wrap(s, "32") }
  /// Yellow text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, yellow when colour is on.
  public func yellow(_ s: String) -> String { wrap(s, "33") }
  /// Blue text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, blue when colour is on.
  public func blue(_ s: String) -> String { wrap(s, "34") }
  /// Magenta text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, magenta when colour is on.
  public func magenta(_ s: String) -> String { wrap(s, "35") }
  /// Cyan text.
  ///
  /// - Parameter s: Text already made terminal-safe.
  /// - Returns: The text, cyan when colour is on.
  public func cyan(_ s: String) -> String { wrap(s, "36") }

  /// The style of a severity label.
  public func severity(_ s: String) -> String {
    switch s {
    case "error": red(bold(s))
    case "warning": yellow(bold(s))
    default: cyan(s)
    }
  }
}

/// Makes untrusted text safe for a terminal: control characters (ESC, CR, BEL, ...)
/// and line breaks become visible escapes such as `\u{1b}` and `\n`.
public func terminalSafe(_ s: String) -> String {
  if !s.unicodeScalars.contains(where: isUnsafeScalar) { return s }
  var out = ""
  for u in s.unicodeScalars {
    if u == "\n" {
      out += "\\n"
    } else if u == "\t" {
      out += "\\t"
    } else if isUnsafeScalar(u) {
      out += "\\u{\(String(u.value, radix: 16))}"
    } else {
      out.unicodeScalars.append(u)
    }
  }
  return out
}

func isUnsafeScalar(_ u: Unicode.Scalar) -> Bool {
  u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) || u.value == 0x2028 || u.value == 0x2029
    || (u.value >= 0x202A && u.value <= 0x202E) || (u.value >= 0x2066 && u.value <= 0x2069)
}

/// Display width of text in a monospace terminal (wide East Asian characters count 2).
func displayWidth(_ s: String) -> Int {
  var w = 0
  for u in s.unicodeScalars {
    switch u.value {
    case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: continue
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
      w += 2
    default: w += 1
    }
  }
  return w
}

/// Lays out rows as aligned columns (two spaces apart), with an indent. Cells are
/// plain text; `styles` colours a column after alignment.
///
/// Written into one byte buffer; a cell's width is measured once, and a cell of
/// ASCII bytes is as wide as it is long.
func table(_ rows: [[String]], indent: String = "  ", styles: [Int: (String) -> String] = [:]) -> String {
  guard let width = rows.map(\.count).max() else { return "" }
  var widths = [Int](repeating: 0, count: width)
  var cellWidths: [Int] = []
  cellWidths.reserveCapacity(rows.count * width)
  var bytes = 0
  for r in rows {
    for (i, c) in r.enumerated() {
      let w = cellWidth(c)
      cellWidths.append(w)
      widths[i] = max(widths[i], w)
      bytes += c.utf8.count
    }
  }
  let styleOf = (0..<width).map { styles[$0] }
  var out: [UInt8] = []
  out.reserveCapacity(bytes + rows.count * (indent.utf8.count + 2 * width + 1))
  var k = 0
  for r in rows {
    let start = out.count
    out.append(contentsOf: indent.utf8)
    for (i, c) in r.enumerated() {
      if !c.isEmpty {
        if let style = styleOf[i] { out.append(contentsOf: style(c).utf8) } else { out.append(contentsOf: c.utf8) }
      }
      if i < r.count - 1 {
        for _ in 0..<(widths[i] - cellWidths[k] + 2) { out.append(32) }
      }
      k += 1
    }
    trimTrailingSpaces(&out, from: start)
    out.append(10)
  }
  return String(decoding: out, as: UTF8.self)
}

/// ``displayWidth(_:)``, counted by bytes when the text is ASCII.
func cellWidth(_ s: String) -> Int {
  var ascii = true
  for b in s.utf8 where b >= 0x80 {
    ascii = false
    break
  }
  return ascii ? s.utf8.count : displayWidth(s)
}

/// Removes the spaces that end the line starting at `start`, as `String` removes
/// trailing " " characters: bytes when the line is ASCII, characters otherwise (a
/// space can end a longer character).
func trimTrailingSpaces(_ out: inout [UInt8], from start: Int) {
  if out[start...].allSatisfy({ $0 < 0x80 }) {
    while out.count > start, out[out.count - 1] == 32 { out.removeLast() }
    return
  }
  var line = String(decoding: out[start...], as: UTF8.self)
  while line.hasSuffix(" ") { line.removeLast() }
  out.removeSubrange(start...)
  out.append(contentsOf: line.utf8)
}

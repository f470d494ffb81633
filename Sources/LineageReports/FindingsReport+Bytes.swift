internal import LineageCore

extension FindingsReport {
  /// ``text(style:summary:)`` as bytes, laid out straight into one buffer: no `String`
  /// per line, and text that needs no escape for the terminal copied as it is.
  ///
  /// - Parameters:
  ///   - style: Colour or not.
  ///   - summary: Whether to end with the verdict and the counts.
  /// - Returns: The same bytes as `Array(text(style:summary:).utf8)`.
  public func textBytes(style: TextStyle, summary: Bool = true) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256 + findings.count * 192)
    out.append(contentsOf: partial.text(style: style).utf8)
    let bold = style.codes("1"), dim = style.codes("2"), cyan = style.codes("36")
    let labels = Severity.allCases.map { Array(style.severity($0 == .info ? "note" : $0.rawValue).utf8) }
    let levels = Severity.allCases
    for f in findings {
      if let l = f.location {
        out += bold.open
        Self.put(l, into: &out)
        out += bold.close
        out += [0x3A, 0x20]  // ": "
      }
      out += labels[levels.firstIndex(of: f.severity) ?? 0]
      out += [0x3A, 0x20]
      Self.putSafe(f.message, into: &out)
      out += dim.open
      out += [0x20, 0x5B]  // " ["
      out.append(contentsOf: f.rule.rawValue.utf8)
      out += [0x5D]  // "]"
      out += dim.close
      out.append(0x0A)
      if let h = f.hint {
        out += [0x20, 0x20, 0x20, 0x20]
        out += cyan.open
        out.append(contentsOf: "hint: ".utf8)
        out += cyan.close
        Self.putSafe(h, into: &out)
        out.append(0x0A)
      }
      for r in f.related {
        out += [0x20, 0x20, 0x20, 0x20]
        out += dim.open
        out.append(contentsOf: "see: ".utf8)
        Self.put(r, into: &out)
        out += dim.close
        out.append(0x0A)
      }
    }
    if summary { out.append(contentsOf: summaryLine(style: style).utf8) }
    return out
  }

  /// A location as its description (`file:line:column`), the file made terminal-safe.
  static func put(_ l: SourceLocation, into out: inout [UInt8]) {
    putSafe(l.file, into: &out)
    guard l.line > 0 else { return }
    out.append(0x3A)
    JSONWriter.appendDecimal(l.line, to: &out)
    guard l.column > 0 else { return }
    out.append(0x3A)
    JSONWriter.appendDecimal(l.column, to: &out)
  }

  /// `s` as ``terminalSafe(_:)`` makes it: printable ASCII is copied as it is.
  static func putSafe(_ s: String, into out: inout [UInt8]) {
    out.append(contentsOf: NodeTable.isPlain(s) ? s.utf8 : terminalSafe(s).utf8)
  }
}

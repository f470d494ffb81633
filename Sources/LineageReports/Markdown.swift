public import LineageCore

/// Markdown text for a pull-request comment: inline code and table cells that no
/// name can break out of.
public enum Markdown {
  /// A rule's id as inline code for a table cell.
  ///
  /// - Parameter rule: The rule.
  /// - Returns: The id in backticks.
  public static func code(_ rule: Finding.Rule) -> String { code(rule.rawValue) }

  /// Inline code for a table cell: backticks in the text lengthen the fence, `|` is
  /// escaped (GitHub splits cells on it even inside code), line breaks become spaces.
  ///
  /// - Parameter s: The text.
  /// - Returns: The inline code.
  public static func code(_ s: String) -> String {
    let t = s.replacingLineBreaks.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    var longest = 0, run = 0
    for c in t { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
    let fence = String(repeating: "`", count: longest + 1)
    let pad = t.hasPrefix("`") || t.hasSuffix("`") ? " " : ""
    return fence + pad + t + pad + fence
  }

  /// A date in a table cell, as `YYYY-MM-DD`.
  ///
  /// - Parameter date: The date.
  /// - Returns: The cell text.
  public static func text(_ date: CalendarDate) -> String { text(date.description) }

  /// Plain text in a table cell: Markdown and HTML specials escaped, `|` too.
  public static func text(_ s: String) -> String {
    var out = ""
    for c in s.replacingLineBreaks {
      switch c {
      case "|": out += "\\|"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "*", "_", "`", "[", "]", "#", "\\", "~": out += "\\" + String(c)
      default: out.append(c)
      }
    }
    return out
  }
}

extension String {
  /// The text with control characters and Unicode line and paragraph separators as spaces.
  var replacingLineBreaks: String {
    String(
      String.UnicodeScalarView(
        unicodeScalars.map { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0 }))
  }
}

public import LineageCore

/// Markdown text for a pull-request comment: inline code and table cells that no
/// name can break out of.
public enum Markdown {
  /// GitHub's limit on the body of a pull-request or issue comment: 65,536 characters
  /// (the API answers "Body is too long (maximum is 65536 characters)"; see
  /// https://docs.github.com/rest/issues/comments#create-an-issue-comment). Reports
  /// count UTF-8 bytes against it, which are never fewer than characters.
  public static let gitHubCommentLimit = 65_536

  /// What a shortened comment says of where the whole report is, when its writer
  /// names no file: the library's words, naming no front end's option.
  public static let fullReportElsewhere = "The whole report is in the text and JSON outputs."

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

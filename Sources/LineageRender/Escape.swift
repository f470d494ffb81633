/// Escaping of untrusted text for each place it can go.
public enum Escape {
  /// Text with control characters and NUL replaced by spaces, and line separators
  /// turned into `\n` characters: nothing that could reach C or a terminal raw.
  public static func clean(_ s: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
    for u in s.unicodeScalars {
      switch u.value {
      case 0x0A, 0x2028, 0x2029: out.unicodeScalars.append("\n")
      case 0x0D: continue
      case 0..<0x20, 0x7F..<0xA0: out.unicodeScalars.append(" ")
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// A DOT quoted string for an escString attribute (`label`, `xlabel`): backslashes
  /// doubled (Graphviz expands `\N`, `\G`, `\n`, ...), quotes escaped, `&` written as
  /// `&amp;` (entities are decoded), newlines as `\n`.
  public static func dotText(_ s: String) -> String { dotQuoted(s, backslash: "\\\\", newline: "\\n", entities: true) }

  /// A DOT quoted string for `tooltip`: Graphviz expands its escapes twice (once as
  /// an escString, once when writing the SVG title), so backslashes are doubled twice.
  public static func dotTooltip(_ s: String) -> String {
    dotQuoted(s, backslash: "\\\\\\\\", newline: "\\n", entities: true)
  }

  /// A DOT quoted string for an attribute that is not escape-processed.
  public static func dotPlain(_ s: String) -> String { dotQuoted(s, backslash: "\\\\", newline: " ", entities: false) }

  /// The shared body of the DOT quoting functions: each differs only in how a
  /// backslash, a line break and `&` are written.
  static func dotQuoted(_ s: String, backslash: String, newline: String, entities: Bool) -> String {
    var out = "\""
    for u in clean(s).unicodeScalars {
      switch u {
      case "\\": out += backslash
      case "\"": out += "\\\""
      case "&" where entities: out += "&amp;"
      case "\n": out += newline
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// Text inside an HTML-like label: XML-escaped, backslashes doubled.
  public static func html(_ s: String) -> String {
    var out = ""
    for u in clean(s).unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\\": out += "\\\\"
      case "\n": out += "<BR/>"
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// A CSS class name: letters, digits, `-` and `_` only (others become `_`).
  public static func cssClass(_ s: String) -> String {
    String(
      String.UnicodeScalarView(
        s.unicodeScalars.map { u in
          (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_")) ? u : "_"
        }))
  }

  /// Text inside a Mermaid quoted label: anything but plain ASCII letters, digits,
  /// spaces and `. _ - : / ( ) ,` written as a `#NNN;` entity, so no character can
  /// end the label or start Mermaid syntax.
  public static func mermaid(_ s: String) -> String {
    var out = ""
    for u in clean(s).unicodeScalars {
      if u == "\n" {
        out += "<br/>"
      } else if u.isASCII
        && (u.properties.isAlphabetic || ("0"..."9").contains(u) || " ._-:/(),+".unicodeScalars.contains(u))
      {
        out.unicodeScalars.append(u)
      } else {
        out += "#\(u.value);"
      }
    }
    return out
  }
}

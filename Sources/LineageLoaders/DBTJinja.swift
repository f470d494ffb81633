internal import Foundation

/// Renders the Jinja of a dbt model's raw code that lineage needs, when a manifest
/// has no compiled code (`dbt parse` writes none).
///
/// Rendered: `{{ ref('m') }}`, `{{ ref('pkg', 'm') }}`, `{{ ref('m', v=2) }}` (also
/// `version=`), `{{ source('s', 't') }}`, `{{ this }}`, `{{ config(...) }}` (nothing),
/// `{{ var('x', default) }}` (the default), `{# comments #}`, and
/// `{% if is_incremental() %} ... {% else %} ... {% endif %}` as if it were false, as
/// on a full refresh. Whitespace control (`{{-`, `-%}`) is accepted. Anything else
/// (macros, loops, `set`, other calls) is not guessed at: the render stops and says
/// what it met, so the model keeps product-level lineage. The output keeps every line
/// break of the input, so SQL positions are positions in the model's file. Nothing
/// recurses; `if` nesting is tracked on a stack.
enum DBTJinja {
  /// What a model's references resolve to: relation names as SQL text.
  struct Context {
    var ref: (_ package: String?, _ name: String, _ version: String?) -> String?
    var source: (_ source: String, _ table: String) -> String?
    var this: String?
  }

  /// The rendered SQL, or what could not be rendered with its 1-based line.
  enum Result: Equatable {
    case sql(String)
    case unsupported(String, line: Int)
  }

  static func render(_ raw: String, _ context: Context) -> Result {
    let text = Array(raw.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    var line = 1
    /// One entry per open `if`: true while its current branch is dropped.
    var skipping: [Bool] = []
    /// True for an `if is_incremental()` (rendered false), whose else branch is kept.
    var incremental: [Bool] = []
    /// True once the `if` at the same depth has had its `else`.
    var hadElse: [Bool] = []
    var dropping: Bool { skipping.contains(true) }
    func emit(_ s: String) { if !dropping { out.append(contentsOf: s.unicodeScalars) } }
    func keepLines(_ scalars: ArraySlice<Unicode.Scalar>) {
      for c in scalars where c == "\n" { out.append("\n") }
    }
    while i < text.count {
      let c = text[i]
      if c == "{", i + 1 < text.count, text[i + 1] == "{" || text[i + 1] == "%" || text[i + 1] == "#" {
        let open = text[i + 1]
        let close: Unicode.Scalar = open == "{" ? "}" : open
        var j = i + 2
        while j + 1 < text.count, !(text[j] == close && text[j + 1] == "}") { j += 1 }
        guard j + 1 < text.count else { return .unsupported("an unclosed '{\(open)'", line: line) }
        let body = String(String.UnicodeScalarView(text[(i + 2)..<j]))
        let startLine = line
        for s in text[i...(j + 1)] where s == "\n" { line += 1 }
        let inner = trimmed(body)
        switch open {
        case "#": break
        case "{":
          if !dropping {
            guard let value = expression(inner, context) else {
              return .unsupported("'{{ \(excerpt(inner)) }}'", line: startLine)
            }
            emit(value)
          }
        default:
          let words = inner.split(separator: " ", maxSplits: 1).map(String.init)
          switch words.first ?? "" {
          case "if":
            let condition = trimmed(words.count > 1 ? words[1] : "")
            if condition.replacingOccurrences(of: " ", with: "") == "is_incremental()" {
              skipping.append(true)
              incremental.append(true)
              hadElse.append(false)
            } else if dropping {
              skipping.append(true)  // inside a dropped branch: drop it whatever it says
              incremental.append(false)
              hadElse.append(false)
            } else {
              return .unsupported("'{% \(excerpt(inner)) %}'", line: startLine)
            }
          case "else":
            guard let last = incremental.last else { return .unsupported("an 'else' without 'if'", line: startLine) }
            if hadElse[hadElse.count - 1] { return .unsupported("a second 'else' in one 'if'", line: startLine) }
            hadElse[hadElse.count - 1] = true
            if last { skipping[skipping.count - 1] = false }
          case "elif":
            guard incremental.last != nil else { return .unsupported("an 'elif' without 'if'", line: startLine) }
            if incremental.last == true { return .unsupported("'{% \(excerpt(inner)) %}'", line: startLine) }
          case "endif":
            guard !skipping.isEmpty else { return .unsupported("an 'endif' without 'if'", line: startLine) }
            skipping.removeLast()
            incremental.removeLast()
            hadElse.removeLast()
          default:
            if !dropping { return .unsupported("'{% \(excerpt(inner)) %}'", line: startLine) }
          }
        }
        keepLines(text[i...(j + 1)])
        i = j + 2
        continue
      }
      if c == "\n" {
        line += 1
        out.append(c)
      } else if !dropping {
        out.append(c)
      }
      i += 1
    }
    if !skipping.isEmpty { return .unsupported("an 'if' without 'endif'", line: line) }
    return .sql(String(out))
  }

  /// `{{ ... }}`: the value of a supported expression, nil otherwise.
  static func expression(_ e: String, _ context: Context) -> String? {
    if e == "this" { return context.this }
    guard let open = e.firstIndex(of: "("), e.hasSuffix(")") else { return nil }
    let name = trimmed(String(e[..<open]))
    guard let args = arguments(String(e[e.index(after: open)..<e.index(before: e.endIndex)])) else { return nil }
    switch name {
    case "config": return ""
    case "ref":
      let version = args.named["v"] ?? args.named["version"]
      switch args.positional.count {
      case 1: return context.ref(nil, args.positional[0], version)
      case 2: return context.ref(args.positional[0], args.positional[1], version)
      default: return nil
      }
    case "source":
      guard args.positional.count == 2 else { return nil }
      return context.source(args.positional[0], args.positional[1])
    case "var":
      guard args.positional.count == 2 else { return nil }
      return args.positional[1]
    default: return nil
    }
  }

  /// Call arguments that are string, number or constant literals, positional or
  /// `name=value`; nil when one is anything else (a variable, an expression).
  static func arguments(_ s: String) -> (positional: [String], named: [String: String])? {
    var positional: [String] = []
    var named: [String: String] = [:]
    let text = Array(s.unicodeScalars)
    var i = 0
    func skipSpace() {
      while i < text.count, text[i] == " " || text[i] == "\n" || text[i] == "\t" || text[i] == "\r" { i += 1 }
    }
    func literal() -> String? {
      skipSpace()
      guard i < text.count else { return nil }
      let q = text[i]
      if q == "'" || q == "\"" {
        var j = i + 1
        var v = String.UnicodeScalarView()
        while j < text.count, text[j] != q {
          v.append(text[j])
          j += 1
        }
        guard j < text.count else { return nil }
        i = j + 1
        return String(v)
      }
      var v = String.UnicodeScalarView()
      while i < text.count,
        text[i].properties.isAlphabetic || ("0"..."9").contains(text[i]) || text[i] == "." || text[i] == "_"
          || text[i] == "-"
      {
        v.append(text[i])
        i += 1
      }
      // Unquoted, only a number or a constant is a literal; a name is a Jinja variable,
      // whose value lineage cannot know.
      let word = String(v)
      if Double(word) != nil { return word }
      switch word {
      case "true", "True": return "true"
      case "false", "False": return "false"
      case "none", "None": return "null"
      default: return nil
      }
    }
    skipSpace()
    if i == text.count { return ([], [:]) }
    while true {
      skipSpace()
      let start = i
      var key = String.UnicodeScalarView()
      while i < text.count, text[i].properties.isAlphabetic || text[i] == "_" {
        key.append(text[i])
        i += 1
      }
      skipSpace()
      if !key.isEmpty, i < text.count, text[i] == "=" {
        i += 1
        guard let v = literal() else { return nil }
        named[String(key)] = v
      } else {
        i = start
        guard let v = literal() else { return nil }
        positional.append(v)
      }
      skipSpace()
      if i == text.count { return (positional, named) }
      guard text[i] == "," else { return nil }
      i += 1
    }
  }

  /// Without surrounding whitespace and Jinja's whitespace-control dashes.
  static func trimmed(_ s: String) -> String {
    var t = Substring(s)
    while let f = t.first, f == " " || f == "\n" || f == "\t" || f == "\r" || f == "-" || f == "+" { t = t.dropFirst() }
    while let l = t.last, l == " " || l == "\n" || l == "\t" || l == "\r" || l == "-" || l == "+" { t = t.dropLast() }
    return String(t)
  }

  static func excerpt(_ s: String) -> String {
    let flat = s.replacingOccurrences(of: "\n", with: " ")
    return flat.count > 60 ? String(flat.prefix(60)) + "..." : flat
  }
}

/// Token kinds. Punctuation has one kind per spelling the parser distinguishes.
enum TokenKind: UInt8, Sendable {
  case ident, quotedIdent, string, number, param
  case lparen, rparen, comma, semicolon, dot, star
  case plus, minus, slash, percent, concat, colon, doubleColon
  case eq, neq, lt, gt, le, ge, nullSafeEq
  case arrow, longArrow, hashArrow, hashLongArrow, fatArrow
  case lbracket, rbracket, lbrace, rbrace
  case caret, amp, pipe, tilde, question, bang
  /// Any other operator spelling (`@>`, `<<`, `!~*`, `&&`, ...).
  case op
  case eof
  /// Bytes the tokenizer could not read; the tokenizer has reported why.
  case error
}

/// One token: a byte range of the input with its 1-based line and column (the column
/// counts Unicode scalars, as editors do).
struct Token: Sendable {
  var kind: TokenKind
  var keyword: Keyword
  var start: Int32
  var end: Int32
  var line: Int32
  var column: Int32
}

/// A problem found by the tokenizer, with its location.
struct LexError: Sendable {
  var message: String
  var line: Int32
  var column: Int32
  var hint: String
}

/// Packs up to 16 lower-cased ASCII bytes into two words, for keyword lookup without
/// allocation.
struct KeywordKey: Hashable, Sendable {
  var a: UInt64
  var b: UInt64
}

/// Keywords in an open-addressing table keyed by the packed bytes: a multiply, a shift
/// and usually one comparison per identifier, no hashing of strings.
struct KeywordTable: Sendable {
  static let bits: UInt64 = 10
  var keys: [KeywordKey]
  var values: [Keyword]

  init() {
    let size = 1 << Int(KeywordTable.bits)
    keys = Array(repeating: KeywordKey(a: 0, b: 0), count: size)
    values = Array(repeating: .none, count: size)
    for (i, s) in Keyword.spellings.enumerated() {
      var a: UInt64 = 0, b: UInt64 = 0
      s.withUTF8Buffer { buf in
        for (j, byte) in buf.enumerated() {
          if j < 8 { a |= UInt64(byte) << (UInt64(j) * 8) } else { b |= UInt64(byte) << (UInt64(j - 8) * 8) }
        }
      }
      var slot = KeywordTable.slot(a, b)
      while values[slot] != .none { slot = (slot + 1) & (size - 1) }
      keys[slot] = KeywordKey(a: a, b: b)
      values[slot] = Keyword(rawValue: UInt8(i + 1)) ?? .none
    }
  }

  @inline(__always) static func slot(_ a: UInt64, _ b: UInt64) -> Int {
    Int(truncatingIfNeeded: ((a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F)) >> (64 - bits))
  }

  @inline(__always) func lookup(_ a: UInt64, _ b: UInt64) -> Keyword {
    var slot = KeywordTable.slot(a, b)
    let mask = (1 << Int(KeywordTable.bits)) - 1
    while true {
      let v = values[slot]
      if v == .none { return .none }
      let k = keys[slot]
      if k.a == a && k.b == b { return v }
      slot = (slot + 1) & mask
    }
  }
}

let keywordTable = KeywordTable()

@inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
  (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c >= 0x80
}

@inline(__always) func isIdentPart(_ c: UInt8) -> Bool {
  isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x24
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

/// The tokenizer: one pass over UTF-8 bytes, producing a contiguous token array. It
/// never allocates per token; keywords are found by packing the bytes into two words.
struct Tokenizer {
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: SQLDialect
  var tokens: [Token] = []
  var errors: [LexError] = []
  /// The shared keyword table, held here so that a lookup does not go through the
  /// global's lazy initialiser.
  private let keywords = keywordTable

  private var i = 0
  private var line: Int32 = 1
  private var lineStart = 0
  private var colPos = 0
  private var col: Int32 = 1

  init(bytes: UnsafeBufferPointer<UInt8>, dialect: SQLDialect, expectedBytes: Int? = nil) {
    self.bytes = bytes
    self.dialect = dialect
    tokens.reserveCapacity((expectedBytes ?? bytes.count) / 4 + 8)
  }

  /// Column (Unicode scalars, 1-based) of byte offset `p` on the current line. Amortised
  /// linear: it only scans forward from the last position asked for.
  private mutating func columnOf(_ p: Int) -> Int32 {
    if colPos < lineStart { colPos = lineStart; col = 1 }
    if p < colPos {
      // Should not happen (positions are asked in order); recount from the line start.
      colPos = lineStart; col = 1
    }
    var c = col
    var k = colPos
    while k < p {
      if bytes[k] & 0xC0 != 0x80 { c += 1 }
      k += 1
    }
    colPos = p
    col = c
    return c
  }

  private mutating func emit(
    _ kind: TokenKind, _ start: Int, _ end: Int, _ line: Int32, _ column: Int32,
    keyword: Keyword = .none
  ) {
    tokens.append(
      Token(
        kind: kind, keyword: keyword, start: Int32(truncatingIfNeeded: start),
        end: Int32(truncatingIfNeeded: end), line: line, column: column))
  }

  private mutating func error(_ message: String, line: Int32, column: Int32, hint: String) {
    errors.append(LexError(message: message, line: line, column: column, hint: hint))
  }

  /// Advances over `[i, end)`, counting the newlines in it.
  @inline(__always)
  private mutating func skipCounting(to end: Int) {
    while i < end {
      if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
      i += 1
    }
  }

  /// Reads the whole text, then the EOF token.
  mutating func run() {
    scan(until: bytes.count)
    finish()
  }

  /// Where the tokenizer stands: the byte after the last token or blank read.
  var position: Int { i }

  /// Starts at byte `offset`, the first byte of line `line`.
  mutating func start(at offset: Int, line: Int32) {
    i = offset
    self.line = line
    lineStart = offset
    colPos = offset
    col = 1
  }

  /// Reads tokens while the position is before `limit`; a token that starts before it
  /// is read whole, so the position may end past `limit`.
  mutating func scan(until limit: Int) {
    let n = bytes.count
    while i < limit {
      let c = bytes[i]
      if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B { i += 1; continue }
      if c == 0x0A { line += 1; i += 1; lineStart = i; continue }
      let start = i
      let tline = line
      let tcol = columnOf(start)
      @inline(__always) func peek(_ k: Int) -> UInt8 { start + k < n ? bytes[start + k] : 0 }
      switch c {
      case 0x2D:  // -
        if peek(1) == 0x2D { skipLineComment(); continue }
        if peek(1) == 0x3E {
          if peek(2) == 0x3E {
            i += 3; emit(.longArrow, start, i, tline, tcol)
          } else {
            i += 2; emit(.arrow, start, i, tline, tcol)
          }
          continue
        }
        i += 1; emit(.minus, start, i, tline, tcol)
      case 0x2F:  // /
        if peek(1) == 0x2A { skipBlockComment(line: tline, column: tcol); continue }
        if peek(1) == 0x2F && dialect.slashSlashComments { skipLineComment(); continue }
        i += 1; emit(.slash, start, i, tline, tcol)
      case 0x23:  // #
        if dialect.hashComments { skipLineComment(); continue }
        if peek(1) == 0x3E {
          if peek(2) == 0x3E {
            i += 3; emit(.hashLongArrow, start, i, tline, tcol)
          } else {
            i += 2; emit(.hashArrow, start, i, tline, tcol)
          }
          continue
        }
        i += 1; emit(.op, start, i, tline, tcol)
      case 0x27:  // '
        scanString(start: start, quote: 0x27, escapes: dialect.backslashEscapes, line: tline, column: tcol)
      case 0x22:  // "
        if dialect.doubleQuoteIsIdentifier {
          scanQuotedIdent(start: start, quote: 0x22, line: tline, column: tcol)
        } else {
          scanString(start: start, quote: 0x22, escapes: true, line: tline, column: tcol)
        }
      case 0x60:  // `
        if dialect.backtickIsIdentifier {
          scanQuotedIdent(start: start, quote: 0x60, line: tline, column: tcol)
        } else {
          i += 1; emit(.op, start, i, tline, tcol)
        }
      case 0x24:  // $
        scanDollar(start: start, line: tline, column: tcol)
      case 0x28: i += 1; emit(.lparen, start, i, tline, tcol)
      case 0x29: i += 1; emit(.rparen, start, i, tline, tcol)
      case 0x2C: i += 1; emit(.comma, start, i, tline, tcol)
      case 0x3B: i += 1; emit(.semicolon, start, i, tline, tcol)
      case 0x2E:  // .
        if isDigit(peek(1)) && !previousEndsOperand() {
          scanNumber(start: start, line: tline, column: tcol)
        } else {
          i += 1; emit(.dot, start, i, tline, tcol)
        }
      case 0x2A: i += 1; emit(.star, start, i, tline, tcol)
      case 0x2B: i += 1; emit(.plus, start, i, tline, tcol)
      case 0x25: i += 1; emit(.percent, start, i, tline, tcol)
      case 0x5B: i += 1; emit(.lbracket, start, i, tline, tcol)
      case 0x5D: i += 1; emit(.rbracket, start, i, tline, tcol)
      case 0x7B: i += 1; emit(.lbrace, start, i, tline, tcol)
      case 0x7D: i += 1; emit(.rbrace, start, i, tline, tcol)
      case 0x5E: i += 1; emit(.caret, start, i, tline, tcol)
      case 0x3F: i += 1; emit(.question, start, i, tline, tcol)
      case 0x7C:  // |
        if peek(1) == 0x7C {
          i += 2; emit(.concat, start, i, tline, tcol)
        } else if peek(1) == 0x3E {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.pipe, start, i, tline, tcol)
        }
      case 0x26:  // &
        if peek(1) == 0x26 {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.amp, start, i, tline, tcol)
        }
      case 0x7E:  // ~
        if peek(1) == 0x2A {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.tilde, start, i, tline, tcol)
        }
      case 0x3A:  // :
        if peek(1) == 0x3A {
          i += 2; emit(.doubleColon, start, i, tline, tcol)
        } else if peek(1) == 0x3D {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.colon, start, i, tline, tcol)
        }
      case 0x3D:  // =
        if peek(1) == 0x3E {
          i += 2; emit(.fatArrow, start, i, tline, tcol)
        } else if peek(1) == 0x3D {
          i += 2; emit(.eq, start, i, tline, tcol)
        } else {
          i += 1; emit(.eq, start, i, tline, tcol)
        }
      case 0x21:  // !
        if peek(1) == 0x3D {
          i += 2; emit(.neq, start, i, tline, tcol)
        } else if peek(1) == 0x7E {
          i += peek(2) == 0x2A ? 3 : 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.bang, start, i, tline, tcol)
        }
      case 0x3C:  // <
        if peek(1) == 0x3D {
          if peek(2) == 0x3E {
            i += 3; emit(.nullSafeEq, start, i, tline, tcol)
          } else {
            i += 2; emit(.le, start, i, tline, tcol)
          }
        } else if peek(1) == 0x3E {
          i += 2; emit(.neq, start, i, tline, tcol)
        } else if peek(1) == 0x3C || peek(1) == 0x40 {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.lt, start, i, tline, tcol)
        }
      case 0x3E:  // >
        if peek(1) == 0x3D {
          i += 2; emit(.ge, start, i, tline, tcol)
        } else if peek(1) == 0x3E {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1; emit(.gt, start, i, tline, tcol)
        }
      case 0x40:  // @
        if peek(1) == 0x3E {
          i += 2; emit(.op, start, i, tline, tcol)
        } else {
          i += 1
          while i < n && (isIdentPart(bytes[i]) || bytes[i] == 0x2E || bytes[i] == 0x2F) { i += 1 }
          emit(.param, start, i, tline, tcol)
        }
      default:
        if isDigit(c) {
          scanNumber(start: start, line: tline, column: tcol)
        } else if isIdentStart(c) {
          scanWord(start: start, line: tline, column: tcol)
        } else {
          // A control character or other byte no dialect gives a meaning to.
          i += 1
          while i < n && bytes[i] < 0x20 && bytes[i] != 0x0A && bytes[i] != 0x09 && bytes[i] != 0x0D { i += 1 }
          emit(.error, start, i, tline, tcol)
          let shown =
            c < 0x20 || c == 0x7F ? "control character U+\(hex4(c))" : "character '\(Character(Unicode.Scalar(c)))'"
          error("unexpected \(shown)", line: tline, column: tcol, hint: "remove it; only SQL text can be read")
        }
      }
    }
  }

  /// Adds the EOF token at the end of the text.
  mutating func finish() {
    let n = bytes.count
    let endCol = columnOf(n)
    emit(.eof, n, n, line, endCol)
  }

  /// True when the previous token ends an operand, so that `.5` after it is a dot.
  private func previousEndsOperand() -> Bool {
    guard let last = tokens.last else { return false }
    if last.end != Int32(truncatingIfNeeded: i) { return false }
    switch last.kind {
    case .ident, .quotedIdent, .rparen, .rbracket, .number, .string: return true
    default: return false
    }
  }

  private mutating func skipLineComment() {
    let n = bytes.count
    while i < n && bytes[i] != 0x0A { i += 1 }
  }

  private mutating func skipBlockComment(line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    i += 2
    var depth = 1
    while i < n {
      let c = bytes[i]
      if c == 0x2A && i + 1 < n && bytes[i + 1] == 0x2F {
        depth -= 1
        i += 2
        if depth == 0 || !dialect.nestedComments { return }
        continue
      }
      if c == 0x2F && i + 1 < n && bytes[i + 1] == 0x2A && dialect.nestedComments {
        depth += 1
        i += 2
        continue
      }
      if c == 0x0A { line += 1; lineStart = i + 1 }
      i += 1
    }
    error("unterminated block comment", line: tline, column: tcol, hint: "close it with '*/'")
  }

  /// Scans a string starting at `start` (the opening quote is at `i`).
  private mutating func scanString(start: Int, quote q: UInt8, escapes: Bool, line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    // BigQuery triple-quoted strings.
    if dialect.rawStrings && i + 2 < n && bytes[i + 1] == q && bytes[i + 2] == q {
      i += 3
      while i < n {
        let c = bytes[i]
        if c == 0x5C && escapes && i + 1 < n {
          if bytes[i + 1] == 0x0A { line += 1; lineStart = i + 2 }; i += 2; continue
        }
        if c == q && i + 2 < n && bytes[i + 1] == q && bytes[i + 2] == q {
          i += 3
          emit(.string, start, i, tline, tcol)
          return
        }
        if c == 0x0A { line += 1; lineStart = i + 1 }
        i += 1
      }
      emit(.error, start, n, tline, tcol)
      error(
        "unterminated string literal", line: tline, column: tcol,
        hint: "close it with \(String(repeating: String(Character(Unicode.Scalar(q))), count: 3))")
      return
    }
    i += 1
    while i < n {
      let c = bytes[i]
      if c == 0x5C && escapes && i + 1 < n {
        if bytes[i + 1] == 0x0A { line += 1; lineStart = i + 2 }
        i += 2
        continue
      }
      if c == q {
        if i + 1 < n && bytes[i + 1] == q { i += 2; continue }
        i += 1
        emit(.string, start, i, tline, tcol)
        return
      }
      if c == 0x0A { line += 1; lineStart = i + 1 }
      i += 1
    }
    emit(.error, start, n, tline, tcol)
    error(
      "unterminated string literal", line: tline, column: tcol,
      hint: "close it with \(Character(Unicode.Scalar(q))) (a quote inside a string is written twice)")
  }

  private mutating func scanQuotedIdent(start: Int, quote q: UInt8, line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    i += 1
    while i < n {
      let c = bytes[i]
      if c == q {
        if i + 1 < n && bytes[i + 1] == q { i += 2; continue }
        i += 1
        emit(.quotedIdent, start, i, tline, tcol)
        return
      }
      if c == 0x5C && q == 0x60 && i + 1 < n { i += 2; continue }
      if c == 0x0A { line += 1; lineStart = i + 1 }
      i += 1
    }
    emit(.error, start, n, tline, tcol)
    error(
      "unterminated quoted identifier", line: tline, column: tcol,
      hint: "close it with \(Character(Unicode.Scalar(q)))")
  }

  private mutating func scanDollar(start: Int, line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    // $1, $2: positional parameters (PostgreSQL) or staged-file columns (Snowflake).
    if i + 1 < n && isDigit(bytes[i + 1]) {
      i += 1
      while i < n && isDigit(bytes[i]) { i += 1 }
      emit(.param, start, i, tline, tcol)
      return
    }
    if dialect.dollarQuoting {
      // $$ ... $$ or $tag$ ... $tag$.
      var j = i + 1
      while j < n && isIdentPart(bytes[j]) && bytes[j] != 0x24 { j += 1 }
      if j < n && bytes[j] == 0x24 && (j == i + 1 || dialect.taggedDollarQuoting) {
        let tagLen = j + 1 - i
        var k = j + 1
        while k < n {
          if bytes[k] == 0x24 && k + tagLen <= n {
            var same = true
            for t in 0..<tagLen where bytes[k + t] != bytes[i + t] { same = false; break }
            if same {
              skipCounting(to: k + tagLen)
              emit(.string, start, i, tline, tcol)
              return
            }
          }
          k += 1
        }
        skipCounting(to: n)
        emit(.error, start, n, tline, tcol)
        error(
          "unterminated dollar-quoted string", line: tline, column: tcol,
          hint:
            "close it with \(String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< start + tagLen]), as: UTF8.self))"
        )
        return
      }
    }
    i += 1
    while i < n && isIdentPart(bytes[i]) { i += 1 }
    emit(.param, start, i, tline, tcol)
  }

  private mutating func scanNumber(start: Int, line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    if bytes[i] == 0x30 && i + 1 < n && (bytes[i + 1] == 0x78 || bytes[i + 1] == 0x58) {
      i += 2
      while i < n && (isDigit(bytes[i]) || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x66)) { i += 1 }
      emit(.number, start, i, tline, tcol)
      return
    }
    while i < n && isDigit(bytes[i]) { i += 1 }
    if i < n && bytes[i] == 0x2E && !(i + 1 < n && bytes[i + 1] == 0x2E) {
      i += 1
      while i < n && isDigit(bytes[i]) { i += 1 }
    }
    if i < n && (bytes[i] == 0x65 || bytes[i] == 0x45) {
      var j = i + 1
      if j < n && (bytes[j] == 0x2B || bytes[j] == 0x2D) { j += 1 }
      if j < n && isDigit(bytes[j]) {
        i = j
        while i < n && isDigit(bytes[i]) { i += 1 }
      }
    }
    // Type suffixes (Databricks 10L, 1.5D, 2BD) belong to the number.
    while i < n && isIdentStart(bytes[i]) && bytes[i] < 0x80 && i - start < 64 {
      let l = bytes[i] | 0x20
      if l == 0x6C || l == 0x64 || l == 0x66 || l == 0x73 || l == 0x79 || l == 0x62 { i += 1 } else { break }
    }
    emit(.number, start, i, tline, tcol)
  }

  private mutating func scanWord(start: Int, line tline: Int32, column tcol: Int32) {
    let n = bytes.count
    i += 1
    while i < n && isIdentPart(bytes[i]) { i += 1 }
    let len = i - start
    // String prefixes: E'..' (PostgreSQL), r'..', b'..', rb'..' (BigQuery), X'..', N'..', B'..'.
    if i < n && len <= 2 && (bytes[i] == 0x27 || (bytes[i] == 0x22 && !dialect.doubleQuoteIsIdentifier)) {
      var raw = false, esc = false, ok = true
      for k in start..<i {
        switch bytes[k] | 0x20 {
        case 0x72: raw = true; ok = ok && dialect.rawStrings
        case 0x65: esc = true; ok = ok && dialect.escapeStrings
        case 0x62, 0x78, 0x6E: break
        default: ok = false
        }
      }
      if ok {
        let escapes = raw ? false : (esc || dialect.backslashEscapes || bytes[i] == 0x22)
        scanString(start: start, quote: bytes[i], escapes: escapes, line: tline, column: tcol)
        return
      }
    }
    var kw = Keyword.none
    if len <= 16 {
      var a: UInt64 = 0, b: UInt64 = 0
      var ascii = true
      for k in 0..<len {
        var ch = bytes[start + k]
        if ch >= 0x80 { ascii = false; break }
        if ch >= 0x41 && ch <= 0x5A { ch |= 0x20 }
        if k < 8 { a |= UInt64(ch) << (UInt64(k) * 8) } else { b |= UInt64(ch) << (UInt64(k - 8) * 8) }
      }
      if ascii { kw = keywords.lookup(a, b) }
    }
    emit(.ident, start, i, tline, tcol, keyword: kw)
  }
}

func hex4(_ c: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return "00" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 15)])
}

public import LineageCore
public import LineageSQL

/// The column lineage of one SQL text (`lineage sql`): per statement its target, the
/// tables it reads, each output column's sources in OpenLineage's vocabulary, and the
/// statement's indirect sources; then the findings.
public struct SQLReport: Sendable {
  /// The dialect the SQL was read in.
  public var dialect: SQLDialect
  /// The file read, or `-` for standard input.
  public var file: String
  /// The lineage of each statement, the statements skipped and the diagnostics.
  public var analysis: SQLAnalysis

  /// Creates a report.
  ///
  /// - Parameters:
  ///   - dialect: The dialect the SQL was read in.
  ///   - file: The file it came from.
  ///   - analysis: The lineage of its statements.
  public init(dialect: SQLDialect, file: String, analysis: SQLAnalysis) {
    self.dialect = dialect
    self.file = file
    self.analysis = analysis
  }

  /// OpenLineage's transformation `type` and `subtype` of a transform.
  public static func openLineage(_ t: Transform) -> (type: String, subtype: String) {
    switch t {
    case .identity: ("DIRECT", "IDENTITY")
    case .transformation: ("DIRECT", "TRANSFORMATION")
    case .aggregation: ("DIRECT", "AGGREGATION")
    case .join: ("INDIRECT", "JOIN")
    case .filter: ("INDIRECT", "FILTER")
    case .groupBy: ("INDIRECT", "GROUP_BY")
    case .sort: ("INDIRECT", "SORT")
    case .window: ("INDIRECT", "WINDOW")
    case .conditional: ("INDIRECT", "CONDITIONAL")
    }
  }

  static func name(_ parts: [String]) -> String { parts.joined(separator: ".") }

  /// The findings as the other reports show them, located in `file`.
  public var findings: [Finding] {
    analysis.findings.map {
      Finding(
        rule: $0.rule, severity: $0.severity, message: $0.message,
        location: SourceLocation(file: file, line: $0.line, column: $0.column),
        hint: $0.hint.isEmpty ? nil : $0.hint)
    }
  }

  /// Exit status 1 when a statement could not be parsed.
  public var failed: Bool { analysis.findings.contains { $0.severity == .error } }

  /// `{"command": "sql", "dialect": ..., "statements": [...], "findings": [...]}`.
  public func json() -> [UInt8] {
    var w = JSONWriter(capacity: 1 << 14)
    w.beginObject()
    w.field("command", "sql")
    w.field("dialect", dialect.rawValue)
    w.field("file", file)
    w.key("statements")
    w.beginArray()
    for s in analysis.statements {
      w.beginObject()
      w.field("kind", s.kind.rawValue)
      w.key("target")
      w.optional(s.target.map(Self.name))
      w.field("line", s.line)
      w.field("column", s.column)
      w.field("reads", s.reads.map(Self.name))
      w.key("columns")
      w.beginArray()
      for c in s.columns {
        w.beginObject()
        w.field("name", c.name)
        if c.isUnexpandedStar { w.field("unexpandedStar", true) }
        w.key("sources")
        sources(&w, c.sources)
        w.endObject()
      }
      w.endArray()
      w.key("indirect")
      sources(&w, s.indirect)
      w.endObject()
    }
    w.endArray()
    w.key("skipped")
    w.beginArray()
    for s in analysis.skipped {
      w.beginObject(compact: true)
      w.field("keyword", s.keyword)
      w.field("line", s.line)
      w.field("column", s.column)
      w.endObject()
    }
    w.endArray()
    w.key("findings")
    w.beginArray()
    for f in analysis.findings {
      w.beginObject(compact: true)
      w.field("rule", f.rule)
      w.field("severity", f.severity.rawValue)
      w.field("message", f.message)
      w.field("file", file)
      w.field("line", f.line)
      w.field("column", f.column)
      if !f.hint.isEmpty { w.field("hint", f.hint) }
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  func sources(_ w: inout JSONWriter, _ list: [ColumnSource]) {
    w.beginArray()
    for src in list {
      let (type, subtype) = Self.openLineage(src.transform)
      w.beginObject(compact: true)
      w.field("table", Self.name(src.table))
      w.field("column", src.column)
      w.field("type", type)
      w.field("subtype", subtype)
      w.field("masking", src.masking)
      w.endObject()
    }
    w.endArray()
  }

  /// One block per statement: its target and reads, then each output column with its
  /// sources; then the statement's indirect sources and the findings.
  public func text(style: TextStyle) -> String {
    var out = ""
    let n = analysis.statements.count
    out += "\(terminalSafe(file)): \(n) statement\(n == 1 ? "" : "s") with lineage (\(dialect.rawValue))"
    if !analysis.skipped.isEmpty { out += ", \(analysis.skipped.count) skipped" }
    out += "\n"
    for (i, s) in analysis.statements.enumerated() {
      out += "\n" + style.bold("statement \(i + 1)") + " (line \(s.line)): \(s.kind.rawValue)"
      if let t = s.target { out += " " + terminalSafe(Self.name(t)) }
      if !s.reads.isEmpty { out += ", reads " + s.reads.map { terminalSafe(Self.name($0)) }.joined(separator: ", ") }
      out += "\n"
      let width = s.columns.map { terminalSafe($0.name).count }.max() ?? 0
      for c in s.columns {
        let name = terminalSafe(c.name)
        let pad = String(repeating: " ", count: max(0, width - name.count))
        if c.isUnexpandedStar {
          out += "  \(name)\(pad)  (not expanded: the schema of what it reads is unknown)\n"
          continue
        }
        let srcs = c.sources.map(Self.describe)
        out +=
          "  \(name)\(pad)  " + (srcs.isEmpty ? style.dim("(no source column)") : srcs.joined(separator: ", ")) + "\n"
      }
      if !s.indirect.isEmpty {
        out += "  " + style.dim("every column:") + " " + s.indirect.map(Self.describe).joined(separator: ", ") + "\n"
      }
    }
    if !analysis.findings.isEmpty {
      out += "\n"
      for f in findings {
        out +=
          "\(terminalSafe(f.location?.description ?? file)): \(style.severity(f.severity.rawValue)): \(terminalSafe(f.message)) [\(f.rule)]\n"
        if let h = f.hint { out += "    hint: \(terminalSafe(h))\n" }
      }
    }
    return out
  }

  /// `shop.orders.amount (aggregation, masked)`.
  static func describe(_ s: ColumnSource) -> String {
    terminalSafe(name(s.table) + "." + s.column) + " (" + s.transform.rawValue + (s.masking ? ", masked" : "") + ")"
  }
}

import LineageCore

@testable import LineageSQL

/// Renders an analysis compactly for assertions and debugging.
func render(_ a: SQLAnalysis) -> String {
  var out: [String] = []
  for s in a.statements {
    out.append(
      "\(s.kind.rawValue) target=\(s.target?.joined(separator: ".") ?? "-") reads=\(s.reads.map { $0.joined(separator: ".") })"
    )
    for c in s.columns {
      out.append(
        "  \(c.name)\(c.isUnexpandedStar ? " [star]" : ""): " + c.sources.map(\.description).joined(separator: ", "))
    }
    if !s.indirect.isEmpty { out.append("  indirect: " + s.indirect.map(\.description).joined(separator: ", ")) }
  }
  for f in a.findings { out.append("! \(f.description)") }
  return out.joined(separator: "\n")
}

/// The sources of one output column as `table.column:transform[:masked]` strings.
func sources(_ a: SQLAnalysis, _ column: String, statement: Int = 0) -> [String] {
  guard statement < a.statements.count,
    let c = a.statements[statement].columns.first(where: { $0.name == column })
  else { return ["<missing \(column)>"] }
  return c.sources.map(short)
}

func short(_ s: ColumnSource) -> String {
  (s.table + [s.column]).joined(separator: ".") + ":" + s.transform.rawValue + (s.masking ? ":masked" : "")
}

func indirect(_ a: SQLAnalysis, statement: Int = 0) -> [String] {
  guard statement < a.statements.count else { return [] }
  return a.statements[statement].indirect.map(short)
}

func rules(_ a: SQLAnalysis) -> [String] { a.findings.map(\.rule) }

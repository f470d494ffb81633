/// Where a node or an edge comes from: declared in a mesh spec, imported from
/// another tool's metadata, observed at run time (OpenLineage), or derived from the
/// SQL that builds it.
public struct Provenance: Hashable, Sendable, CustomStringConvertible {
  /// How a node or edge became known: `declared` by its author (a mesh spec, an OpenLineage
  /// JobEvent's lineage), `imported` from another tool's metadata (a dbt manifest, contracts,
  /// graph JSON), `observed` in OpenLineage run events, or `derived`: read from the SQL that
  /// builds the node (a dbt model's code, a `.sql` file).
  public enum Kind: String, Sendable, Hashable { case declared, imported, observed, derived }
  /// How the node or edge became known.
  public var kind: Kind
  /// The file it was read from.
  public var file: String
  /// Detail such as the format (`dbt manifest v12`) or the OpenLineage job.
  public var detail: String?

  /// Creates a provenance entry.
  ///
  /// - Parameters:
  ///   - kind: How the node or edge was known.
  ///   - file: The file it was read from.
  ///   - detail: The format or the job, when useful.
  public init(_ kind: Kind, file: String, detail: String? = nil) {
    self.kind = kind
    self.file = file
    self.detail = detail
  }

  /// The entry as reports print it: `declared in FILE`, `imported from FILE (DETAIL)`,
  /// `observed in FILE (DETAIL)` or `derived from SQL in FILE (DETAIL)`, the detail only when
  /// there is one.
  public var description: String {
    switch kind {
    case .derived: "derived from SQL in \(file)" + (detail.map { " (\($0))" } ?? "")
    default: "\(kind.rawValue) \(kind == .imported ? "from" : "in") \(file)" + (detail.map { " (\($0))" } ?? "")
    }
  }
}

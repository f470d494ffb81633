public import LineageCore

/// An edge between two listed nodes, with where it comes from.
public struct EdgeRow: Sendable, Equatable {
  /// The upstream node (data flows from it).
  public var from: String
  /// The reading node (data flows into it).
  public var to: String
  /// Where the edge comes from, one entry per source as ``Provenance/description`` prints it
  /// ("observed in events.json (job ...)").
  public var provenance: [String]

  /// The edges among `nodes` whose provenance is known (imported or merged inputs),
  /// sorted by reader, then upstream node.
  public static func rows(_ model: LineageModel, nodes: [Int32]) -> [EdgeRow] {
    let g = model.graph
    // A bare graph declares nothing, so no edge has a provenance.
    guard model.hasDeclarations else { return [] }
    var inSet = Set(nodes)
    var out: [EdgeRow] = []
    for v in nodes {
      guard let decl = model.declaration(of: v) else { continue }
      for input in decl.inputs where !input.provenance.isEmpty {
        guard let u = g.index(of: input.product), inSet.contains(u) else { continue }
        out.append(EdgeRow(from: input.product, to: decl.id, provenance: input.provenance.map(\.description)))
      }
    }
    inSet.removeAll()
    out.sort {
      $0.to != $1.to
        ? $0.to.utf8.lexicographicallyPrecedes($1.to.utf8) : $0.from.utf8.lexicographicallyPrecedes($1.from.utf8)
    }
    return out
  }
}

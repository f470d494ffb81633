public import LineageCore

/// The formats `lineage import` converts into a mesh spec directory, each with the
/// domain its importer gives a node that has none.
public enum ImportFormat: String, Sendable, CaseIterable {
  /// dbt manifests (``DBTManifestImporter``).
  case dbt
  /// OpenLineage events (``OpenLineageImporter``).
  case openlineage
  /// ODCS data contracts (``BitolImporter``).
  case odcs
  /// ODPS data products (``BitolImporter``).
  case odps
  /// `.sql` files (``SQLFilesImporter``).
  case sql

  /// The domain a node imported in this format gets when it declares none: the dbt
  /// package (else the mesh's name), the OpenLineage namespace (else `openlineage`),
  /// `contracts` for ODCS, `products` or `contracts` for ODPS by kind, and `sql`.
  ///
  /// - Parameters:
  ///   - node: The node without a domain.
  ///   - mesh: The imported mesh.
  /// - Returns: The domain to give it.
  public func fallbackDomain(for node: MeshNode, in mesh: Mesh) -> String {
    switch self {
    case .dbt: node.resource?.package ?? mesh.name
    case .openlineage: node.resource?.package.flatMap { $0.isEmpty ? nil : $0 } ?? "openlineage"
    case .odcs: "contracts"
    case .odps: node.kind == .product ? "products" : "contracts"
    case .sql: "sql"
    }
  }
}

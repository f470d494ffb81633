/// Which level a diagram shows.
public enum ViewLevel: String, Sendable, CaseIterable {
  /// One node per product, source and consumer, clustered by domain.
  case product
  /// One node per domain; edges count the product edges between domains.
  case domain
  /// Table-shaped nodes with one row per column; edges from column to column.
  case column
}

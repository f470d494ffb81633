/// How a column is derived from an upstream column, following OpenLineage's
/// transformation types: direct ones (`identity`, `transformation`, `aggregation`)
/// and indirect uses (`join`, `filter`, `group_by`, `sort`, `window`, `conditional`).
public enum Transform: String, Sendable, Hashable, CaseIterable {
  /// Direct: the value is copied unchanged (`identity`), computed from the upstream value
  /// (`transformation`), or computed from several rows of it (`aggregation`).
  case identity, transformation, aggregation
  /// Indirect: the upstream column is used in a join condition (`join`) or a filter such as `WHERE`
  /// (`filter`).
  case join, filter
  /// Indirect: the upstream column is a `GROUP BY` key.
  case groupBy = "group_by"
  /// Indirect: the upstream column orders the rows (`sort`), partitions or orders a window function
  /// (`window`), or decides a `CASE` or `IF` branch (`conditional`).
  case sort, window, conditional

  /// True for indirect uses: the value is not copied but steers the result.
  public var isIndirect: Bool {
    switch self {
    case .identity, .transformation, .aggregation: false
    default: true
    }
  }
}

/// How a column is derived from an upstream column, following OpenLineage's
/// transformation types: direct ones (`identity`, `transformation`, `aggregation`)
/// and indirect uses (`join`, `filter`, `group_by`, `sort`, `window`, `conditional`).
public enum Transform: String, Sendable, Hashable, CaseIterable {
  case identity, transformation, aggregation
  case join, filter
  case groupBy = "group_by"
  case sort, window, conditional

  /// True for indirect uses: the value is not copied but steers the result.
  public var isIndirect: Bool {
    switch self {
    case .identity, .transformation, .aggregation: false
    default: true
    }
  }
}

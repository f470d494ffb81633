/// The blast radius of one change.
public struct ImpactResult: Sendable {
  /// One affected node.
  public struct Affected: Sendable, Equatable {
    /// The affected node (``LineageGraph`` index).
    public var node: Int32
    /// How badly it is hit: the worst verdict of its own affected columns and reads.
    public var verdict: Verdict
    /// Affected column names of this node (empty for a reader of no named column).
    public var columns: [String]
    /// Why, in one sentence.
    public var reason: String
    /// Nodes from the changed product to this one.
    public var path: [Int32]
  }

  /// The changed product.
  public var product: Int32
  /// The changed column, nil for a product-level change.
  public var column: String?
  /// The change whose blast radius this is.
  public var change: SchemaChange
  /// For a retype: how the type changes (`widening`, `narrowing`, ...).
  public var typeChange: SQLType.Change?
  /// Sorted by id.
  public var affected: [Affected]
  /// Column verdicts (column graph index), for diagrams.
  public var columnVerdicts: [Int32: Verdict]
}

extension ImpactResult {
  /// When an impact answer counts as failing (the command line's exit status 1).
  public enum FailOn: String, Sendable, CaseIterable {
    /// Something breaks.
    case breaks
    /// Something breaks or may break.
    case mayBreak = "may-break"
    /// Never.
    case never
  }

  /// Whether this blast radius fails at `threshold`: `breaks` when a node breaks,
  /// `mayBreak` when any node is affected, `never` not at all.
  ///
  /// - Parameter threshold: What fails.
  /// - Returns: True when the result fails at `threshold`.
  public func fails(on threshold: FailOn) -> Bool {
    switch threshold {
    case .breaks: affected.contains { $0.verdict == .breaks }
    case .mayBreak: !affected.isEmpty
    case .never: false
    }
  }
}

/// What a data contract promises about a column's values beyond its type and
/// nullability: the constraints of an ODCS property or a Data Contract Specification
/// field. ``MeshDiff`` compares them from a reader's side (see
/// ``MeshChange/Kind/constraintLoosened``).
///
/// A column declared by a data contract carries a value of this type, possibly with
/// no constraint set; a column declared anywhere else (a mesh spec, dbt, SQL,
/// OpenLineage) carries none (``Column/constraints`` is nil), and its type changes are
/// judged by SQL's rules instead of a contract's.
public struct ColumnConstraints: Hashable, Sendable {
  /// Every value is unique within the dataset.
  public var unique: Bool
  /// The values allowed (a contract's `enum`), nil when any value is.
  public var allowedValues: [String]?
  /// The smallest value allowed (`minimum`).
  public var minimum: Double?
  /// Values must be greater than this (`exclusiveMinimum`).
  public var exclusiveMinimum: Double?
  /// The largest value allowed (`maximum`).
  public var maximum: Double?
  /// Values must be less than this (`exclusiveMaximum`).
  public var exclusiveMaximum: Double?
  /// The shortest text allowed (`minLength`).
  public var minLength: Int?
  /// The longest text allowed (`maxLength`).
  public var maxLength: Int?
  /// A regular expression every value matches (`pattern`).
  public var pattern: String?
  /// A named format every value has (`format`: `email`, `uuid`, ...).
  public var format: String?
  /// The column another one's values must exist in, as the contract writes it
  /// (`references: orders.order_id`, an ODCS relationship's `to`): a foreign key.
  public var references: String?
  /// The column's data quality rules (a contract's `quality` entries), each as a
  /// canonical text (keys sorted, no layout), sorted; compared as wholes by `diff`.
  public var quality: [String] = []

  /// Creates constraints; each argument sets the property of the same name, and none
  /// is set by default.
  ///
  /// - Parameters:
  ///   - unique: Sets ``unique``.
  ///   - allowedValues: Sets ``allowedValues``.
  ///   - minimum: Sets ``minimum``.
  ///   - exclusiveMinimum: Sets ``exclusiveMinimum``.
  ///   - maximum: Sets ``maximum``.
  ///   - exclusiveMaximum: Sets ``exclusiveMaximum``.
  ///   - minLength: Sets ``minLength``.
  ///   - maxLength: Sets ``maxLength``.
  ///   - pattern: Sets ``pattern``.
  ///   - format: Sets ``format``.
  ///   - references: Sets ``references``.
  public init(
    unique: Bool = false, allowedValues: [String]? = nil, minimum: Double? = nil, exclusiveMinimum: Double? = nil,
    maximum: Double? = nil, exclusiveMaximum: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    pattern: String? = nil, format: String? = nil, references: String? = nil
  ) {
    self.unique = unique
    self.allowedValues = allowedValues
    self.minimum = minimum
    self.exclusiveMinimum = exclusiveMinimum
    self.maximum = maximum
    self.exclusiveMaximum = exclusiveMaximum
    self.minLength = minLength
    self.maxLength = maxLength
    self.pattern = pattern
    self.format = format
    self.references = references
  }
}

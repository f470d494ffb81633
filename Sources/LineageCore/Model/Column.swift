/// A column of a node's schema.
public struct Column: Hashable, Sendable {
  /// The column's name as declared; lineage (``ColumnRef/column``) and `inputs[].columns` refer to
  /// the column by it.
  public var name: String
  /// The SQL type as written (`decimal(18,2)`), when declared.
  public var type: String?
  /// Whether the column may hold nulls. Mesh specs default to true, or to false for a primary key
  /// that does not say; a primary key counts as non-null whatever this says.
  public var nullable: Bool
  /// Whether the column is (part of) the node's primary key.
  public var primaryKey: Bool
  /// Data classification such as `pii`.
  public var classification: String?
  /// The value is masked (hashed, tokenised) in this column.
  public var masked: Bool
  /// The previous name, when the column was renamed.
  public var renamedFrom: String?
  /// Free-text documentation of the column, when declared.
  public var description: String?
  /// Column-level lineage: the upstream columns this one derives from.
  public var from: [ColumnRef]
  /// Where the column is declared (its `name` in a mesh spec), nil when not known.
  public var location: SourceLocation?
  /// What a data contract promises about the column's values; nil for a column no data
  /// contract declares (see ``ColumnConstraints``).
  public var constraints: ColumnConstraints?

  /// Creates a column. Each argument sets the property of the same name.
  ///
  /// - Parameters:
  ///   - name: Sets ``name``.
  ///   - type: Sets ``type``.
  ///   - nullable: Sets ``nullable``.
  ///   - primaryKey: Sets ``primaryKey``.
  ///   - classification: Sets ``classification``.
  ///   - masked: Sets ``masked``.
  ///   - renamedFrom: Sets ``renamedFrom``.
  ///   - description: Sets ``description``.
  ///   - from: Sets ``from``.
  ///   - location: Sets ``location``.
  ///   - constraints: Sets ``constraints``.
  public init(
    name: String, type: String? = nil, nullable: Bool = true, primaryKey: Bool = false,
    classification: String? = nil, masked: Bool = false, renamedFrom: String? = nil,
    description: String? = nil, from: [ColumnRef] = [], location: SourceLocation? = nil,
    constraints: ColumnConstraints? = nil
  ) {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.primaryKey = primaryKey
    self.classification = classification
    self.masked = masked
    self.renamedFrom = renamedFrom
    self.description = description
    self.from = from
    self.location = location
    self.constraints = constraints
  }
}

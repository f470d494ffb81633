/// A compact, dialect-normalised summary of what one SQL statement computes: per output
/// column a fingerprint of what determines its values, and per row-level clause kind a
/// fingerprint of what decides which rows every output column sees.
///
/// The loaders make one for each model whose SQL they read (see `SQLFingerprint` in
/// LineageSQL); ``MeshDiff`` compares the shapes of two versions of a model. Fingerprints
/// are stable across whitespace, comments, keyword case, the quoting the dialect ignores,
/// the environment's database and schema names (relations are named by node id where
/// the loader knows it), and renames of table, subquery and CTE aliases: two statements
/// that compute the same thing have equal shapes, and a change to a column's expression
/// changes that column's fingerprint only.
public struct SQLShape: Sendable, Hashable {
  /// The row-level clause kinds: a change to any of them changes the rows of every
  /// output column.
  public enum Clause: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `WHERE`.
    case filter = "WHERE"
    /// The relations read and the `JOIN`s between them (kind, condition, `USING`).
    case join = "JOIN"
    /// `GROUP BY`.
    case groupBy = "GROUP BY"
    /// `HAVING`.
    case having = "HAVING"
    /// `QUALIFY`.
    case qualify = "QUALIFY"
    /// `DISTINCT` and `DISTINCT ON`.
    case distinct = "DISTINCT"
    /// `LIMIT`, `OFFSET`, `TOP` and `FETCH`.
    case limit = "LIMIT"
    /// `UNION`, `INTERSECT`, `EXCEPT` and their branches.
    case setOperation = "UNION"

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// In declaration order.
    public static func < (a: Clause, b: Clause) -> Bool { a.rank < b.rank }
  }

  /// One output column.
  public struct Column: Sendable, Hashable {
    /// The name as the statement gives it.
    public var name: String
    /// What determines its values: its expression, printed canonically with column
    /// references resolved to the relation and column they read.
    public var fingerprint: UInt64

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: The output name.
    ///   - fingerprint: The fingerprint of its expression.
    public init(name: String, fingerprint: UInt64) {
      self.name = name
      self.fingerprint = fingerprint
    }
  }

  /// The output columns in order (empty when the SQL could not be parsed).
  public var columns: [Column]
  /// A fingerprint per row-level clause kind the statement uses (directly or in a CTE
  /// or subquery it reads); absent kinds are not listed.
  public var clauses: [Clause: UInt64]
  /// True when the statement was parsed and its columns are known.
  public var parsed: Bool
  /// A digest of the SQL text as written: tells whether SQL that could not be parsed
  /// changed at all.
  public var textDigest: UInt64
  /// Where each output column is defined: the 1-based line of its expression in the
  /// SQL text, in the order of ``columns``, 0 where it is not known (a column passed
  /// through `*`, or text whose lines do not match the file the loader names). For
  /// pointing at the code, never compared: a shape's meaning is its fingerprints.
  public var columnLines: [Int]

  /// Creates a shape.
  ///
  /// - Parameters:
  ///   - columns: The output columns in order.
  ///   - clauses: The row-level clause fingerprints.
  ///   - parsed: Whether the SQL was parsed.
  ///   - textDigest: A digest of the SQL text.
  ///   - columnLines: The line of each column's definition (0: unknown); empty when
  ///     none is known.
  public init(
    columns: [Column], clauses: [Clause: UInt64], parsed: Bool, textDigest: UInt64, columnLines: [Int] = []
  ) {
    self.columns = columns
    self.clauses = clauses
    self.parsed = parsed
    self.textDigest = textDigest
    self.columnLines = columnLines
  }

  /// The line where the column named `name` (compared without case) is defined, or
  /// nil when it is not known.
  ///
  /// - Parameter name: The column's name.
  /// - Returns: Its 1-based line, or nil.
  public func line(ofColumn name: String) -> Int? {
    let key = name.lowercased()
    guard let k = columns.firstIndex(where: { $0.name.lowercased() == key }), k < columnLines.count,
      columnLines[k] > 0
    else { return nil }
    return columnLines[k]
  }

  /// The shape of SQL that could not be parsed: no columns, only the text's digest.
  ///
  /// - Parameter textDigest: A digest of the SQL text.
  /// - Returns: An unparsed shape.
  public static func unparsed(textDigest: UInt64) -> SQLShape {
    SQLShape(columns: [], clauses: [:], parsed: false, textDigest: textDigest)
  }

  /// The row-level clause kinds whose fingerprints differ between `self` and `other`
  /// (added, removed or changed), in ``Clause`` order.
  ///
  /// - Parameter other: The other version.
  /// - Returns: The clause kinds that differ.
  public func changedClauses(_ other: SQLShape) -> [Clause] {
    Clause.allCases.filter { clauses[$0] != other.clauses[$0] }
  }

  /// FNV-1a, 64 bits: a digest that is the same on every platform and run.
  ///
  /// - Parameter bytes: The bytes.
  /// - Returns: Their digest.
  public static func digest<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h &*= 0x0000_0100_0000_01b3
    }
    return h
  }
}

/// A catalog of tables and their ordered columns, for expanding `*` and resolving
/// unqualified column names.
///
/// Tables are added by their name parts as the database spells them (for example
/// `["JAFFLE", "MAIN", "STG_CUSTOMERS"]`). A name written in SQL with one, two or three
/// parts matches the table whose parts end with it, compared case-insensitively
/// (ASCII); it must match exactly one table. Tables that are not in the schema are
/// allowed: their columns are then unknown.
public struct SQLSchema: Sendable {
  /// One column: its name as the database spells it and, when known, its type.
  public struct Column: Sendable, Hashable {
    /// The name as the database spells it.
    public var name: String
    /// The SQL type as written, when known.
    public var type: String?

    /// Creates a column.
    public init(name: String, type: String? = nil) {
      self.name = name
      self.type = type
    }
  }

  /// One table of the schema.
  public struct Table: Sendable, Hashable {
    /// The name parts as the database spells them.
    public var parts: [String]
    /// The columns in order.
    public var columns: [Column]
  }

  /// The outcome of a lookup.
  public enum Match: Sendable, Hashable {
    /// Exactly one table ends with the name.
    case found(Table)
    /// Several tables end with the name; the candidates' names are given.
    case ambiguous([[String]])
    /// No table ends with the name.
    case none
  }

  private(set) var tables: [Table] = []
  /// Lower-cased last name part to table indices.
  private var byLast: [String: [Int32]] = [:]
  /// Lower-cased full dotted name to table index.
  private var byFull: [String: Int32] = [:]

  /// An empty schema: every table is unknown.
  public init() {}

  /// The number of tables.
  public var count: Int { tables.count }

  /// All tables in the order they were added.
  public var allTables: [Table] { tables }

  /// Adds a table (or replaces the columns of a table added before under the same
  /// parts, compared case-insensitively).
  /// - Parameters:
  ///   - parts: The name parts as the database spells them.
  ///   - columns: The columns in order.
  public mutating func addTable(_ parts: [String], columns: [Column]) {
    _ = add(parts, columns: columns)
  }

  /// As `addTable(_:columns:)`; returns the table's index.
  mutating func add(_ parts: [String], columns: [Column]) -> Int32 {
    let full = parts.map(asciiLowercased).joined(separator: ".")
    if let existing = byFull[full] {
      tables[Int(existing)] = Table(parts: parts, columns: columns)
      return existing
    }
    let id = Int32(tables.count)
    tables.append(Table(parts: parts, columns: columns))
    byFull[full] = id
    byLast[asciiLowercased(parts.last ?? ""), default: []].append(id)
    return id
  }

  /// Adds a table from column names only.
  public mutating func addTable(_ parts: [String], columnNames: [String]) {
    addTable(parts, columns: columnNames.map { Column(name: $0) })
  }

  /// Looks up a name as the SQL writes it (1, 2 or 3 parts).
  public func lookup(_ parts: [String]) -> Match {
    guard let idx = lookupIndex(parts) else {
      let cands = candidates(parts)
      return cands.count > 1 ? .ambiguous(cands.map { tables[Int($0)].parts }) : .none
    }
    return .found(tables[Int(idx)])
  }

  func candidates(_ parts: [String]) -> [Int32] {
    guard let last = parts.last, let list = byLast[asciiLowercased(last)] else { return [] }
    let want = parts.map(asciiLowercased)
    return list.filter { id in
      let have = tables[Int(id)].parts
      guard have.count >= want.count else { return false }
      let off = have.count - want.count
      for k in 0..<want.count where asciiLowercased(have[off + k]) != want[k] { return false }
      return true
    }
  }

  /// The index of the unique table ending with `parts`, preferring an exact full match.
  func lookupIndex(_ parts: [String]) -> Int32? {
    let full = parts.map(asciiLowercased).joined(separator: ".")
    if let exact = byFull[full] { return exact }
    let cands = candidates(parts)
    return cands.count == 1 ? cands[0] : nil
  }
}

/// A SQL dialect: how identifiers and strings are quoted, which comments exist, and
/// how unquoted identifiers are case-folded.
///
/// The dialect only changes the lexical rules and name resolution; the grammar read is
/// the union of what the dialects accept, so that SQL written for one warehouse parses
/// under another as far as it can.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable {
  /// ANSI-ish: `"x"` identifiers, `'...'` strings with `''` escapes, case-insensitive
  /// names (normalised to lower case).
  case generic
  /// Snowflake: unquoted identifiers fold to upper case; `$$...$$` strings; `//` comments.
  case snowflake
  /// BigQuery: backtick identifiers, `"..."`, raw and triple-quoted strings, `#`
  /// comments; names are case-insensitive.
  case bigquery
  /// DuckDB: unquoted identifiers fold to lower case; nested block comments.
  case duckdb
  /// PostgreSQL: unquoted identifiers fold to lower case; `$tag$...$tag$` strings,
  /// `E'...'` escape strings, nested block comments.
  case postgres
  /// Amazon Redshift: like PostgreSQL, names case-insensitive.
  case redshift
  /// Databricks and Spark SQL: backtick identifiers, `"..."` strings, names
  /// case-insensitive.
  case databricks
  /// Trino (and Athena, Presto): names case-insensitive, folded to lower case.
  case trino

  /// The dialect of a dbt adapter (`metadata.adapter_type` of a manifest), or nil for
  /// an adapter this module does not know.
  ///
  /// `spark` maps to `databricks`; `athena` and `presto` to `trino`; `materialize`,
  /// `greenplum`, `alloydb` and `cockroachdb` to `postgres`; `motherduck` to `duckdb`.
  public init?(adapterType: String) {
    switch asciiLowercased(adapterType) {
    case "snowflake": self = .snowflake
    case "bigquery": self = .bigquery
    case "duckdb", "motherduck": self = .duckdb
    case "postgres", "postgresql", "materialize", "greenplum", "alloydb", "cockroachdb": self = .postgres
    case "redshift": self = .redshift
    case "databricks", "spark", "glue": self = .databricks
    case "trino", "athena", "presto", "starburst": self = .trino
    case "generic", "ansi": self = .generic
    default: return nil
    }
  }

  /// True when `"..."` quotes an identifier (false in BigQuery and Databricks, where it
  /// is a string).
  var doubleQuoteIsIdentifier: Bool { self != .bigquery && self != .databricks }
  /// True when `` `...` `` quotes an identifier.
  var backtickIsIdentifier: Bool { self == .bigquery || self == .databricks }
  /// True when a backslash escapes the next character inside `'...'`.
  var backslashEscapes: Bool {
    switch self {
    case .snowflake, .bigquery, .databricks, .redshift: true
    default: false
    }
  }
  /// True when `$$...$$` (and in PostgreSQL `$tag$...$tag$`) is a string.
  var dollarQuoting: Bool { self == .snowflake || self == .postgres || self == .duckdb || self == .generic }
  /// True when `/* ... */` comments nest.
  var nestedComments: Bool { self == .postgres || self == .duckdb || self == .databricks }
  /// True when `#` starts a line comment.
  var hashComments: Bool { self == .bigquery }
  /// True when `//` starts a line comment.
  var slashSlashComments: Bool { self == .snowflake }
  /// True for BigQuery's `r'...'`, `b'...'` and triple-quoted strings (Databricks has
  /// `r'...'` too).
  var rawStrings: Bool { self == .bigquery || self == .databricks }
  /// True for PostgreSQL's `E'...'` escape strings.
  var escapeStrings: Bool { self == .postgres || self == .redshift || self == .duckdb || self == .generic }

  /// How unquoted identifiers are stored by the database.
  enum Folding { case upper, lower }

  /// Snowflake stores unquoted names in upper case; everyone else here in lower case
  /// (or compares case-insensitively, which we normalise to lower case).
  var folding: Folding { self == .snowflake ? .upper : .lower }

  /// True when a quoted identifier is compared exactly (Snowflake and PostgreSQL);
  /// in the other dialects quoting does not change how names compare.
  var quotedIsCaseSensitive: Bool { self == .snowflake || self == .postgres }

  /// True when an unquoted `CURRENT_DATE`, `CURRENT_TIMESTAMP`, ... is the function even
  /// where a table in scope has a column of that name (Snowflake, PostgreSQL); elsewhere
  /// such a column wins.
  var niladicKeywordsWin: Bool { self == .snowflake || self == .postgres }

  /// True when a SELECT item may use an alias defined earlier in the same list.
  var lateralColumnAliases: Bool {
    switch self {
    case .snowflake, .duckdb, .redshift, .databricks, .generic: true
    case .bigquery, .postgres, .trino: false
    }
  }

  /// True when WHERE may name an alias of the SELECT list (Snowflake, DuckDB, Databricks,
  /// and the generic dialect); a column of the FROM clause with that name still wins.
  var whereSeesSelectAliases: Bool {
    switch self {
    case .snowflake, .duckdb, .generic, .databricks: true
    case .bigquery, .postgres, .redshift, .trino: false
    }
  }

  /// True when a quoted name may hold several dotted parts (BigQuery's
  /// `` `project.dataset.table` ``).
  var quotedNamesSplitAtDots: Bool { self == .bigquery }

  /// True when a string literal may alias a select item without AS (`select 1 'x'`).
  var stringAliases: Bool { self == .snowflake || self == .generic || self == .databricks }

  /// True when `v:field` reads a field of a semi-structured value (Snowflake, Databricks).
  var colonFieldAccess: Bool { self == .snowflake || self == .databricks || self == .generic }

  /// True when `x -> ...` may be a lambda; in PostgreSQL and Redshift `->` is only the
  /// JSON operator.
  var arrowLambdas: Bool { self != .postgres && self != .redshift }

  /// True when `$tag$...$tag$` (a named dollar quote) is a string, not only `$$...$$`.
  var taggedDollarQuoting: Bool { self == .postgres || self == .generic }

  /// The name as the database stores an unquoted identifier spelt `text`.
  func fold(_ text: String) -> String {
    folding == .upper ? asciiUppercased(text) : asciiLowercased(text)
  }
}

/// ASCII-only lower-casing: names compare case-insensitively in ASCII; other scalars
/// are left alone (no locale, no Foundation).
@inline(__always)
func asciiLowercased(_ s: String) -> String {
  var needs = false
  for b in s.utf8 where b >= 0x41 && b <= 0x5A { needs = true; break }
  if !needs { return s }
  var bytes = Array(s.utf8)
  for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
  return String(decoding: bytes, as: UTF8.self)
}

/// ASCII-only upper-casing.
@inline(__always)
func asciiUppercased(_ s: String) -> String {
  var needs = false
  for b in s.utf8 where b >= 0x61 && b <= 0x7A { needs = true; break }
  if !needs { return s }
  var bytes = Array(s.utf8)
  for i in bytes.indices where bytes[i] >= 0x61 && bytes[i] <= 0x7A { bytes[i] &= 0xDF }
  return String(decoding: bytes, as: UTF8.self)
}

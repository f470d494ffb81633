/// Node kinds of the arena AST. Each kind documents how it uses the fields of `Node`.
enum NodeKind: UInt8, Sendable {
  // MARK: Lists and statements
  /// A list of node indices (or of token indices, for name and column lists): `list`.
  case list
  /// A statement: flags = `StatementKind` raw value; tok = first token; see `Parser`.
  case statement
  // MARK: Queries
  /// a = WITH list (a `.list` of `.cte`) or -1; b = body; c = ORDER BY list or -1;
  /// flags: 1 = WITH RECURSIVE.
  case query
  /// a = left body, b = right body; tok = the operator token; flags: `SetOpFlags`.
  case setOp
  /// a = index into `Parser.selects`.
  case select
  /// A VALUES body: list = rows, each a `.list` of expressions.
  case values
  /// tok = name token; a = query; b = column list (`.list` of tokens) or -1.
  case cte
  /// a = expression (a `.star` for `*`); tok = alias token or -1.
  case selectItem
  /// `*` or `t.*`: list = qualifier tokens; a = EXCLUDE/EXCEPT tokens (`.list`);
  /// b = REPLACE items (`.list` of `.selectItem`); c = RENAME tokens in pairs (`.list`).
  case star
  // MARK: FROM items (alias: tok = alias token or -1; d = column aliases `.list` or -1)
  /// A table: list = name tokens (a string token for `IDENTIFIER('a.b')`).
  case tableRef
  /// A derived table: a = query; flags 1 = LATERAL.
  case derived
  /// A table function (`FLATTEN(...)`, `UNNEST(...)`, `TABLE(...)`, `generate_series`):
  /// a = the function (`.function`) or, for UNNEST, a `.list` of expressions; b = WITH
  /// OFFSET alias token or -1; flags 1 = LATERAL, 2 = UNNEST.
  case tableFunction
  /// a = left, b = right, c = ON expression or -1; list = USING column tokens;
  /// flags: `JoinFlags`.
  case join
  /// PIVOT/UNPIVOT: a = the item pivoted; b = the aggregates (`.list` of `.selectItem`)
  /// or, for UNPIVOT, the value column tokens (`.list`); c = `.list` of `.pivotIn`, then
  /// for a PIVOT's GROUP BY a `.list` of its expressions; list = every expression inside,
  /// in text order; flags 1 = UNPIVOT.
  case pivot
  /// One FOR ... IN (...) of a PIVOT or UNPIVOT: tok = its first token; a = the FOR
  /// expressions (PIVOT) or name column tokens (UNPIVOT) as a `.list`; b = the IN values
  /// or columns (`.list` of `.selectItem`), or -1 when they are chosen at run time (`ANY`,
  /// a subquery); c = the IN subquery or -1.
  case pivotIn
  // MARK: Expressions
  /// A column reference: list = name part tokens.
  case column
  /// A literal or parameter: tok.
  case literal
  /// A prefix or postfix operator: tok = operator; a = operand.
  case unary
  /// A binary operator: tok = operator; a, b = operands.
  case binary
  /// A function call: tok = name (last part); list = arguments; a = FILTER condition;
  /// b = window (`.window`); c = WITHIN GROUP / argument ORDER BY list; flags 1 = DISTINCT.
  case function
  /// OVER (...): tok = base window name or -1; a = PARTITION BY list; b = ORDER BY list;
  /// d = the frame's first token (`ROWS BETWEEN ...`, through the closing parenthesis),
  /// or -1. (A token index: walkers of child nodes visit a, b, c, never d.)
  case window
  /// A named window of a WINDOW clause: tok = name; a = the `.window`.
  case windowDef
  /// An ORDER BY item: a = expression.
  case orderItem
  /// CASE: a = operand or -1; list = WHEN condition, THEN result pairs; b = ELSE or -1.
  case caseExpr
  /// CAST, TRY_CAST, SAFE_CAST, `::` and INTERVAL: a = operand; for INTERVAL, d = the
  /// first unit token (`DAY`, `HOUR TO SECOND`), or -1 (a token index, not a node).
  case cast
  /// A scalar subquery: a = query.
  case subquery
  /// EXISTS (query): a = query.
  case exists
  /// x [NOT] IN (list): a = x; list = items.
  case inList
  /// x [NOT] IN (query), x op ANY/ALL (query): a = x; b = query.
  case inQuery
  /// x BETWEEN y AND z: a, b, c.
  case between
  /// Element or field access on a value (`v:a.b`, `v[0]`, `(v).f`): a = base;
  /// list = subscript expressions.
  case access
  /// A lambda: list = parameter tokens; a = body.
  case lambda
  /// `name => value` argument: tok = name; a = value.
  case namedArg
}

/// Statement kinds, as stored in a `.statement` node's flags.
enum StatementKindRaw: UInt16 {
  case select = 0
  case createTable, createView, insert, merge, update
}

enum JoinFlags {
  static let inner: UInt16 = 0
  static let left: UInt16 = 1
  static let right: UInt16 = 2
  static let full: UInt16 = 3
  static let cross: UInt16 = 4
  static let semi: UInt16 = 5
  static let kindMask: UInt16 = 7
  static let natural: UInt16 = 8
  static let lateral: UInt16 = 16
  static let comma: UInt16 = 32
}

enum SetOpFlags {
  static let byName: UInt16 = 2
}

/// One AST node. Fields are indices into the arena arrays (`-1` for none); see
/// `NodeKind` for what each kind keeps where.
struct Node: Sendable {
  var kind: NodeKind
  var flags: UInt16 = 0
  var tok: Int32 = -1
  var a: Int32 = -1
  var b: Int32 = -1
  var c: Int32 = -1
  var d: Int32 = -1
  var listStart: Int32 = 0
  var listCount: Int32 = 0
}

/// The clauses of one SELECT, kept out of line because it has many.
struct SelectCore: Sendable {
  var distinctOn: Int32 = -1
  /// `.list` of `.selectItem`.
  var items: Int32 = -1
  /// `.list` of FROM items (comma-separated; each may be a join tree).
  var from: Int32 = -1
  var whereExpr: Int32 = -1
  /// `.list` of grouping expressions (ROLLUP, CUBE and GROUPING SETS flattened).
  var groupBy: Int32 = -1
  var groupByAll = false
  var having: Int32 = -1
  var qualify: Int32 = -1
  /// `.list` of `.windowDef`.
  var windows: Int32 = -1
  /// DuckDB `FROM t` without SELECT: `SELECT *`.
  var implicitStar = false
}

/// Words the parser recognises. Any identifier token that spells one (ASCII
/// case-insensitively, unquoted) carries it; most keywords can still be names.
// swift-format-ignore: AlwaysUseLowerCamelCase
// The cases spell the keywords as SQL does (`try_cast`, `timestamp_ntz`).
enum Keyword: UInt8, Sendable {
  case none = 0
  case `select`, from, `where`, group, by, having, qualify, window,
    order, limit, offset, fetch, top, with, recursive, `as`,
    on, using, join, inner, left, right, full, outer,
    cross, natural, lateral, asof, union, intersect, except, minus,
    all, distinct, name, rollup, cube, grouping, sets, `case`,
    when, then, `else`, end, cast, try_cast, safe_cast, and,
    or, not, `is`, null, `true`, `false`, `in`, exists,
    `any`, `some`, between, like, ilike, rlike, regexp, similar,
    to, interval, over, partition, rows, range, groups, filter,
    within, exclude, replace, rename, unnest, ordinality, pivot, unpivot,
    values, at, before, sample, tablesample, identifier, create, temp,
    temporary, transient, volatile, table, view, `if`, insert, into,
    overwrite, merge, update, set, delete, matched, desc, asc,
    nulls, escape, collate, `for`, of, only, first, next,
    percent, ties, row, `do`, nothing, changes, match_recognize, connect,
    start, local, global, secure, materialized, returning, `default`, include,
    glob, xor, div, mod, array, `struct`, date, time,
    timestamp, datetime, timestamp_ntz, timestamp_ltz, timestamp_tz, extract, position, substring,
    trim, overlay, both, leading, trailing, notnull, isnull, flatten,
    global_temp, last

  /// The spellings, in case order (index + 1 is the raw value).
  static let spellings: [StaticString] = [
    "select", "from", "where", "group", "by", "having", "qualify", "window",
    "order", "limit", "offset", "fetch", "top", "with", "recursive", "as",
    "on", "using", "join", "inner", "left", "right", "full", "outer",
    "cross", "natural", "lateral", "asof", "union", "intersect", "except", "minus",
    "all", "distinct", "name", "rollup", "cube", "grouping", "sets", "case",
    "when", "then", "else", "end", "cast", "try_cast", "safe_cast", "and",
    "or", "not", "is", "null", "true", "false", "in", "exists",
    "any", "some", "between", "like", "ilike", "rlike", "regexp", "similar",
    "to", "interval", "over", "partition", "rows", "range", "groups", "filter",
    "within", "exclude", "replace", "rename", "unnest", "ordinality", "pivot", "unpivot",
    "values", "at", "before", "sample", "tablesample", "identifier", "create", "temp",
    "temporary", "transient", "volatile", "table", "view", "if", "insert", "into",
    "overwrite", "merge", "update", "set", "delete", "matched", "desc", "asc",
    "nulls", "escape", "collate", "for", "of", "only", "first", "next",
    "percent", "ties", "row", "do", "nothing", "changes", "match_recognize", "connect",
    "start", "local", "global", "secure", "materialized", "returning", "default", "include",
    "glob", "xor", "div", "mod", "array", "struct", "date", "time",
    "timestamp", "datetime", "timestamp_ntz", "timestamp_ltz", "timestamp_tz", "extract", "position", "substring",
    "trim", "overlay", "both", "leading", "trailing", "notnull", "isnull", "flatten",
    "global_temp", "last",
  ]
}

/// A set of keywords as a 256-bit mask: membership is a shift and a test, with no
/// hashing and no allocation (the parser asks it once or more per token).
struct KeywordSet: Sendable, ExpressibleByArrayLiteral {
  private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  init(arrayLiteral elements: Keyword...) {
    for k in elements { insert(k) }
  }

  mutating func insert(_ k: Keyword) {
    let bit = UInt64(1) << UInt64(k.rawValue & 63)
    switch k.rawValue >> 6 {
    case 0: words.0 |= bit
    case 1: words.1 |= bit
    case 2: words.2 |= bit
    default: words.3 |= bit
    }
  }

  @inline(__always) func contains(_ k: Keyword) -> Bool {
    let bit = UInt64(1) << UInt64(k.rawValue & 63)
    switch k.rawValue >> 6 {
    case 0: return words.0 & bit != 0
    case 1: return words.1 & bit != 0
    case 2: return words.2 & bit != 0
    default: return words.3 & bit != 0
    }
  }
}

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

/// Function and word classes the lineage analysis needs.
enum SQLNames {
  /// Aggregate functions: their arguments' sources are `.aggregation`.
  static let aggregates: Set<String> = [
    "sum", "count", "avg", "average", "min", "max", "array_agg", "listagg", "string_agg", "any_value", "count_if",
    "countif", "median", "mode", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
    "variance_pop", "variance_samp", "bool_and", "bool_or", "bit_and", "bit_or", "bit_xor", "every",
    "approx_count_distinct", "approx_distinct", "approx_percentile", "approx_quantiles", "approx_top_count",
    "approx_top_sum", "approx_top_k", "percentile_cont", "percentile_disc", "percentile_approx", "object_agg",
    "array_union_agg", "array_unique_agg", "group_concat", "collect_list", "collect_set", "arbitrary", "max_by",
    "min_by", "arg_max", "arg_min", "argmax", "argmin", "corr", "covar_pop", "covar_samp", "kurtosis", "skew",
    "skewness", "logical_and", "logical_or", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
    "xmlagg", "histogram", "product", "fsum", "sumkahan", "kahan_sum", "bitand_agg", "bitor_agg", "bitxor_agg",
    "booland_agg", "boolor_agg", "boolxor_agg", "hash_agg", "hll", "hll_accumulate", "hll_combine",
    "approx_count_distinct_ds_hll", "minhash", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept",
    "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "quantile", "quantile_cont", "quantile_disc",
    "list", "first", "last", "string_agg_distinct", "count_distinct", "sum_distinct", "avg_distinct",
    "approximate", "bitmap_construct_agg", "array_concat_agg", "st_union_agg", "entropy", "geomean",
    "geometric_mean", "mad", "favg", "stddev_sample", "ratio_to_report", "approx_median", "try_avg", "try_sum",
    "checksum_agg", "grouping", "grouping_id", "anyvalue", "count_big", "var", "stdev", "stdevp", "varp",
  ]

  /// True when `name` (lower case) hashes or masks its input.
  static func isMasking(_ name: String) -> Bool {
    if maskingExact.contains(name) { return true }
    let u = name.utf8
    func has(_ prefix: StaticString) -> Bool {
      prefix.withUTF8Buffer { u.starts(with: $0) }
    }
    return has("md5") || has("sha1") || has("sha2") || has("sha3") || has("sha5") || has("mask") || has("redact")
      || has("hash_") || has("hmac") || has("xxhash") || has("murmur") || has("blake") || has("anonymi")
      || has("pseudonymi") || has("tokeni") || has("obfuscate") || has("farm_fingerprint") || has("crc32")
  }

  private static let maskingExact: Set<String> = [
    "hash", "sha", "sha224", "sha256", "sha384", "sha512", "fingerprint", "encrypt", "encrypt_raw", "aes_encrypt",
    "digest", "standard_hash", "ora_hash", "checksum", "binary_checksum", "hashbytes", "fnv_hash", "cityhash64",
    "sip_hash", "siphash", "crc", "hll_hash", "minhash", "uuid_string_hash", "hashtext",
  ]

  /// The argument of a date function that may be a bare date-part keyword
  /// (`DATEADD(day, 1, x)`): its position (given the argument count, per the dialect's
  /// signature), and whether that position takes an expression (PostgreSQL's
  /// `date_trunc(text, ts)`: a name that is a column in scope is then the column) or only
  /// a keyword or literal (Snowflake's `DATE_TRUNC(HOUR, x)`: always the unit). Nil when
  /// no argument of the call is a unit (other arguments are always expressions).
  static func dateUnitArgument(_ name: String, count: Int, dialect: SQLDialect) -> (index: Int, expression: Bool)? {
    let textUnit = dialect == .postgres || dialect == .duckdb || dialect == .trino || dialect == .generic
    switch name {
    case "dateadd", "datediff", "timestampadd", "timestampdiff", "timeadd", "timediff", "datename":
      // Snowflake, Redshift, Databricks, T-SQL: (part, n, x); Spark's two-argument datediff has no unit.
      guard count == 3 else { return nil }
      return (0, dialect == .duckdb)
    case "date_part", "datepart":
      return count == 2 ? (0, textUnit || dialect == .databricks) : nil
    case "datetrunc":
      return count == 2 ? (0, textUnit) : nil
    case "date_trunc":
      if dialect == .bigquery { return count >= 2 ? (1, false) : nil }
      return count >= 2 ? (0, textUnit || dialect == .databricks) : nil
    case "date_diff":
      if dialect == .bigquery { return count == 3 ? (2, false) : nil }
      return count == 3 ? (0, textUnit) : nil
    case "date_add", "date_sub":
      // Trino/DuckDB-style date_add('unit', n, x); BigQuery and Spark forms take no unit.
      guard dialect != .bigquery && dialect != .databricks, count == 3 else { return nil }
      return (0, textUnit)
    case "timestamp_trunc", "datetime_trunc", "time_trunc":
      return count >= 2 ? (1, false) : nil
    case "timestamp_diff", "datetime_diff", "time_diff":
      return count == 3 ? (2, false) : nil
    case "last_day":
      return count == 2 ? (1, false) : nil
    case "trunc":
      return count == 2 && dialect == .snowflake ? (1, false) : nil
    case "time_slice":
      return count >= 3 ? (2, false) : nil
    default:
      return nil
    }
  }

  private static let dateParts: Set<String> = [
    "year", "years", "yy", "yyyy", "yyy", "y", "yr", "yrs", "month", "months", "mm", "mon", "mons", "day", "days", "dd",
    "d", "dayofmonth", "dayofweek", "dayofweekiso", "dow", "dw", "dayofyear", "doy", "dy", "week", "weeks", "wk",
    "ww", "weekofyear", "weekiso", "isoweek", "quarter", "quarters", "qtr", "qtrs", "q", "hour", "hours", "hh",
    "h", "hr", "hrs", "minute", "minutes", "mi", "min", "mins", "m", "second", "seconds", "ss", "s", "sec", "secs",
    "millisecond", "milliseconds", "ms", "msec", "microsecond", "microseconds", "us", "usec", "nanosecond",
    "nanoseconds", "ns", "nsec", "epoch", "epoch_second", "epoch_millisecond", "epoch_microsecond",
    "epoch_nanosecond", "timezone_hour", "timezone_minute", "isodow", "isoyear", "yearofweek", "yearofweekiso",
    "week_of_year", "day_of_week", "day_of_year", "decade", "century", "millennium", "julian", "date", "time",
    "datetime", "iso_week", "isoyearweek", "dayofweek_iso",
  ]

  static func isDatePart(_ text: String) -> Bool { dateParts.contains(asciiLowercased(text)) }

  static func isDatePart(_ tok: Token, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let len = Int(tok.end - tok.start)
    guard len <= 20 else { return false }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
    return isDatePart(text)
  }

  /// Functions called without parentheses, read as values rather than columns.
  static let niladic: Set<String> = [
    "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user",
    "session_user", "current_role", "current_schema", "current_database", "current_catalog", "current_warehouse",
    "current_region", "current_account", "current_session", "current_statement", "current_transaction",
    "current_version", "current_client", "current_ip_address", "sysdate", "systimestamp", "getdate",
  ]

  /// Columns of Snowflake `FLATTEN` output.
  static let flattenColumns = ["SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS"]
}

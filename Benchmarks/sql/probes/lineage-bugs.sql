-- Cases where LineageSQL's column lineage was wrong on 2026-12-03 (docs/sql-crosscheck.md,
-- "Our lineage bugs found"). Run:
--   lineage-bench sql --explain Benchmarks/sql/probes/lineage-bugs.sql --dialect snowflake \
--       --catalog Benchmarks/sql/probes/catalog.json
-- The expected answer is in the comment above each statement.

-- 1. A column named like a date part, as the value argument of a date function.
--    d, m, e <- DB.S.HOURS.HOUR (transformation); u <- DB.S.HOURS.TS (HOUR is the unit).
select date_trunc('day', hour) as d, dateadd('minute', -1, hour) as m, date_part('epoch', hour) as e,
       dateadd(hour, 1, ts) as u
from db.s.hours;

-- 2. EXCEPT / MINUS: values come from the left branch only.
--    x <- DB.S.A.X (identity); DB.S.B.Y is at most a filter.
select x from db.s.a except select y from db.s.b;
select x from db.s.a minus select y from db.s.b;

-- 3. Snowflake METADATA$ pseudo-columns of a known table.
--    f <- DB.S.A.METADATA$FILENAME (identity), no sql-unresolved-column warning.
select metadata$filename as f, x from db.s.a;

-- 4. CURRENT_DATE / CURRENT_TIMESTAMP are not columns.
--    now, today: no source and no warning, over a known table and over an unknown one.
select current_timestamp as now, current_date as today, x from db.s.a;
select current_timestamp as now from db.s.unknown_t;

-- 5. Quoted identifiers are case-sensitive in Snowflake.
--    a <- DB.S.HOURS.HOUR; b: unresolved (the table has no lower-case column "hour").
select "HOUR" as a, "hour" as b from db.s.hours;

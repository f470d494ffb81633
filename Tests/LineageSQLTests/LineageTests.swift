import LineageCore
import Testing

@testable import LineageSQL

/// A small schema used by most lineage tests (DuckDB-style lower-case names).
func shopSchema() -> SQLSchema {
  var s = SQLSchema()
  s.addTable(["shop", "main", "orders"], columnNames: ["order_id", "customer_id", "amount", "status", "ordered_at"])
  s.addTable(["shop", "main", "customers"], columnNames: ["customer_id", "name", "email", "country"])
  s.addTable(["shop", "main", "payments"], columnNames: ["payment_id", "order_id", "amount", "method"])
  return s
}

func analyze(_ sql: String, _ dialect: SQLDialect = .duckdb, schema: SQLSchema = shopSchema()) -> SQLAnalysis {
  SQLLineage.analyze(sql, dialect: dialect, schema: schema)
}

@Suite struct LineageTests {
  @Test func identityTransformationAggregation() {
    let a = analyze(
      "select order_id, amount * 2 as doubled, sum(amount) as total, count(*) as n from orders group by order_id")
    #expect(sources(a, "order_id") == ["shop.main.orders.order_id:identity"])
    #expect(sources(a, "doubled") == ["shop.main.orders.amount:transformation"])
    #expect(sources(a, "total") == ["shop.main.orders.amount:aggregation"])
    #expect(sources(a, "n") == [])
    #expect(indirect(a) == ["shop.main.orders.order_id:group_by"])
    #expect(a.statements[0].reads == [["shop", "main", "orders"]])
    #expect(a.findings.isEmpty)
  }

  @Test func castIsATransformation() {
    let a = analyze("select cast(amount as int) as a1, amount::varchar as a2, try_cast(amount as int) a3 from orders")
    for c in ["a1", "a2", "a3"] { #expect(sources(a, c) == ["shop.main.orders.amount:transformation"]) }
  }

  @Test func indirectSources() {
    let a = analyze(
      """
      select o.order_id, c.name
      from orders o join customers c on o.customer_id = c.customer_id
      where o.status = 'done' and c.country in ('NL')
      order by o.ordered_at
      """)
    #expect(sources(a, "order_id") == ["shop.main.orders.order_id:identity"])
    #expect(sources(a, "name") == ["shop.main.customers.name:identity"])
    #expect(
      indirect(a) == [
        "shop.main.customers.country:filter", "shop.main.customers.customer_id:join",
        "shop.main.orders.customer_id:join", "shop.main.orders.ordered_at:sort", "shop.main.orders.status:filter",
      ])
  }

  @Test func havingAndQualifyAreFilters() {
    let a = analyze(
      """
      select customer_id, sum(amount) as total from orders group by customer_id having count(order_id) > 1
      qualify row_number() over (partition by status order by ordered_at) = 1
      """, .snowflake)
    #expect(indirect(a).contains("shop.main.orders.order_id:filter"))
    #expect(indirect(a).contains("shop.main.orders.status:filter"))
    #expect(indirect(a).contains("shop.main.orders.ordered_at:filter"))
    #expect(indirect(a).contains("shop.main.orders.customer_id:group_by"))
  }

  @Test func caseConditionsAndWindows() {
    let a = analyze(
      """
      select case when status = 'x' then amount else 0 end as amt,
             sum(amount) over (partition by customer_id order by ordered_at) as running
      from orders
      """)
    #expect(sources(a, "amt") == ["shop.main.orders.amount:transformation", "shop.main.orders.status:conditional"])
    #expect(
      sources(a, "running") == [
        "shop.main.orders.amount:aggregation", "shop.main.orders.customer_id:window",
        "shop.main.orders.ordered_at:window",
      ])
  }

  @Test func namedWindows() {
    let a = analyze("select rank() over w as r from orders window w as (partition by customer_id order by amount)")
    #expect(sources(a, "r") == ["shop.main.orders.amount:window", "shop.main.orders.customer_id:window"])
  }

  @Test func masking() {
    let a = analyze(
      """
      select md5(email) as h, sha2(name || email, 256) as h2, upper(md5(email)) as h3, email,
             coalesce(md5(email), email) as mixed
      from customers
      """, .snowflake)
    #expect(sources(a, "h") == ["shop.main.customers.email:transformation:masked"])
    #expect(
      sources(a, "h2") == [
        "shop.main.customers.email:transformation:masked", "shop.main.customers.name:transformation:masked",
      ])
    #expect(sources(a, "h3") == ["shop.main.customers.email:transformation:masked"])
    #expect(sources(a, "email") == ["shop.main.customers.email:identity"])
    // Masked on one path only: not masked.
    #expect(sources(a, "mixed") == ["shop.main.customers.email:transformation"])
  }

  @Test func throughCTEsAndSubqueries() {
    let a = analyze(
      """
      with o as (select order_id, customer_id, amount as amt from orders where status = 'done'),
           c as (select customer_id, name from customers)
      select c.name, agg.total, o2.amt
      from c
      join (select customer_id, sum(amt) as total from o group by customer_id) agg on agg.customer_id = c.customer_id
      left join o as o2 on o2.customer_id = c.customer_id
      """)
    #expect(sources(a, "name") == ["shop.main.customers.name:identity"])
    #expect(sources(a, "total") == ["shop.main.orders.amount:aggregation"])
    #expect(sources(a, "amt") == ["shop.main.orders.amount:identity"])
    #expect(a.statements[0].reads == [["shop", "main", "customers"], ["shop", "main", "orders"]])
    #expect(indirect(a).contains("shop.main.orders.status:filter"))
    #expect(indirect(a).contains("shop.main.orders.customer_id:group_by"))
    #expect(indirect(a).contains("shop.main.customers.customer_id:join"))
  }

  @Test func setOperations() {
    let a = analyze(
      """
      select order_id as id, amount from orders
      union all
      select payment_id, amount * 100 from payments
      except
      select customer_id, 0 from customers
      """)
    #expect(a.statements[0].columns.map(\.name) == ["id", "amount"])
    // EXCEPT's right branch only removes rows: a filter, not a source of the values.
    #expect(sources(a, "id") == ["shop.main.orders.order_id:identity", "shop.main.payments.payment_id:identity"])
    #expect(sources(a, "amount") == ["shop.main.orders.amount:identity", "shop.main.payments.amount:transformation"])
    #expect(indirect(a) == ["shop.main.customers.customer_id:filter"])
  }

  @Test func unionByName() {
    let a = analyze("select amount, order_id from orders union all by name select order_id, amount from payments")
    #expect(sources(a, "order_id") == ["shop.main.orders.order_id:identity", "shop.main.payments.order_id:identity"])
  }

  @Test func lateralColumnAliases() {
    let a = analyze(
      "select amount * 2 as twice, twice + 1 as more, customer_id as cid, cid as again from orders", .snowflake)
    #expect(sources(a, "more") == ["shop.main.orders.amount:transformation"])
    #expect(sources(a, "again") == ["shop.main.orders.customer_id:identity"])
    // A table column wins over an alias of the same name.
    let b = analyze("select amount * 2 as status, status as s from orders", .snowflake)
    #expect(sources(b, "s") == ["shop.main.orders.status:identity"])
  }

  @Test func groupAndOrderByOrdinalsAndAliases() {
    let a = analyze("select upper(status) as st, sum(amount) as total from orders group by 1 order by total desc")
    #expect(indirect(a) == ["shop.main.orders.amount:sort", "shop.main.orders.status:group_by"])
    let b = analyze("select upper(status) as st, count(*) from orders group by st order by 1")
    #expect(indirect(b) == ["shop.main.orders.status:group_by", "shop.main.orders.status:sort"])
    let c = analyze("select status, amount from orders group by all")
    #expect(indirect(c) == ["shop.main.orders.amount:group_by", "shop.main.orders.status:group_by"])
  }

  @Test func usingAndNaturalJoins() {
    let a = analyze("select customer_id, name, amount from orders join customers using (customer_id)")
    #expect(
      sources(a, "customer_id") == [
        "shop.main.customers.customer_id:identity", "shop.main.orders.customer_id:identity",
      ])
    #expect(indirect(a) == ["shop.main.customers.customer_id:join", "shop.main.orders.customer_id:join"])
    let b = analyze("select * from orders natural join customers")
    #expect(
      b.statements[0].columns.map(\.name) == [
        "customer_id", "order_id", "amount", "status", "ordered_at", "name", "email", "country",
      ])
    #expect(
      sources(b, "customer_id") == [
        "shop.main.customers.customer_id:identity", "shop.main.orders.customer_id:identity",
      ])
  }

  @Test func starExpansion() {
    let a = analyze("select * exclude (email, country) from customers")
    #expect(a.statements[0].columns.map(\.name) == ["customer_id", "name"])
    let b = analyze(
      "select c.* replace (upper(name) as name) rename (customer_id as id), o.amount from customers c join orders o using (customer_id)",
      .snowflake)
    #expect(b.statements[0].columns.map(\.name) == ["id", "name", "email", "country", "amount"])
    #expect(sources(b, "name") == ["shop.main.customers.name:transformation"])
    let c = analyze("select * except (email) from customers", .bigquery)
    #expect(c.statements[0].columns.map(\.name) == ["customer_id", "name", "country"])
    let d = analyze("with x as (select customer_id, name from customers) select * from x")
    #expect(d.statements[0].columns.map(\.name) == ["customer_id", "name"])
    #expect(sources(d, "name") == ["shop.main.customers.name:identity"])
  }

  @Test func starOverUnknownTableIsAMarker() {
    let a = analyze("with x as (select * from raw.events) select x.*, user_id from x", .snowflake)
    let cols = a.statements[0].columns
    #expect(cols.count == 2)
    #expect(cols[0].isUnexpandedStar && cols[0].name == "x.*")
    #expect(cols[0].sources.map(short) == ["RAW.EVENTS.*:identity"])
    // A named column through the star resolves to the unknown table.
    #expect(sources(a, "user_id") == ["RAW.EVENTS.USER_ID:identity"])
    #expect(a.findings.map(\.rule) == ["sql-unknown-schema"])
    #expect(a.findings[0].message.contains("RAW.EVENTS"))
  }

  @Test func unknownSchemasAndAmbiguity() {
    let a = SQLLineage.analyze("select id, t.amount from raw.t join raw.u on t.id = u.tid", dialect: .postgres)
    #expect(sources(a, "id") == [])
    #expect(sources(a, "amount") == ["raw.t.amount:identity"])
    #expect(a.findings.map(\.rule) == ["sql-ambiguous-column"])
    #expect(a.findings[0].line == 1 && a.findings[0].column == 8)
    // One unknown table: unqualified columns are its own.
    let b = SQLLineage.analyze("select id, name from raw.t", dialect: .postgres)
    #expect(sources(b, "name") == ["raw.t.name:identity"])
    #expect(b.findings.isEmpty)
    // A known table without the column and one unknown table: the unknown one.
    let c = analyze("select name, event from customers join raw.ev on true", .duckdb)
    #expect(sources(c, "event") == ["raw.ev.event:identity"])
  }

  @Test func unresolvedColumnIsReported() {
    let a = analyze("select nope, o.missing from orders o")
    #expect(a.findings.map(\.rule) == ["sql-unresolved-column", "sql-unresolved-column"])
    #expect(a.findings[0].column == 8)
    #expect(sources(a, "nope") == [])
  }

  @Test func correlatedSubqueries() {
    let a = analyze(
      """
      select c.name,
             (select max(o.amount) from orders o where o.customer_id = c.customer_id) as biggest
      from customers c
      where exists (select 1 from payments p where p.order_id = c.customer_id)
      """)
    #expect(
      sources(a, "biggest") == [
        "shop.main.customers.customer_id:filter", "shop.main.orders.amount:aggregation",
        "shop.main.orders.customer_id:filter",
      ])
    #expect(indirect(a).contains("shop.main.payments.order_id:filter"))
    #expect(indirect(a).contains("shop.main.customers.customer_id:filter"))
  }

  @Test func inSubqueryInSelectIsConditional() {
    let a = analyze("select order_id in (select order_id from payments) as paid from orders")
    #expect(
      sources(a, "paid") == ["shop.main.orders.order_id:transformation", "shop.main.payments.order_id:conditional"])
  }

  @Test func createInsertMergeUpdate() {
    let a = analyze(
      """
      create or replace table shop.main.summary (cid, total) as select customer_id, sum(amount) from orders group by 1;
      insert into shop.main.orders (order_id, amount) select payment_id, amount from payments;
      merge into shop.main.customers t using (select customer_id, email from shop.main.customers) s on t.customer_id = s.customer_id
        when matched and s.email is not null then update set email = lower(s.email)
        when not matched then insert (customer_id, email) values (s.customer_id, s.email);
      update orders set amount = p.amount from payments p where p.order_id = orders.order_id;
      use warehouse x;
      """)
    #expect(a.statements.map(\.kind) == [.createTable, .insert, .merge, .update])
    #expect(a.statements[0].target == ["shop", "main", "summary"])
    #expect(a.statements[0].columns.map(\.name) == ["cid", "total"])
    #expect(sources(a, "total") == ["shop.main.orders.amount:aggregation"])
    #expect(a.statements[1].columns.map(\.name) == ["order_id", "amount"])
    #expect(sources(a, "order_id", statement: 1) == ["shop.main.payments.payment_id:identity"])
    #expect(a.statements[2].target == ["shop", "main", "customers"])
    #expect(
      sources(a, "email", statement: 2) == [
        "shop.main.customers.email:identity", "shop.main.customers.email:transformation",
      ])
    #expect(indirect(a, statement: 2).contains("shop.main.customers.customer_id:join"))
    #expect(sources(a, "amount", statement: 3) == ["shop.main.payments.amount:identity"])
    #expect(indirect(a, statement: 3).contains("shop.main.payments.order_id:filter"))
    #expect(a.statements[3].reads == [["shop", "main", "payments"]])
    #expect(a.skipped.map(\.keyword) == ["USE"])
    #expect(a.findings.isEmpty, "\(a.findings)")
  }

  @Test func insertWithoutColumnsUsesTargetSchema() {
    let a = analyze("insert into payments select order_id, order_id, amount, status from orders")
    #expect(a.statements[0].columns.map(\.name) == ["payment_id", "order_id", "amount", "method"])
  }

  @Test func createViewAndStatementLocations() {
    let a = analyze("\n\n  create view v as select 1 as one;\n select name from customers")
    #expect(a.statements[0].kind == .createView)
    #expect(a.statements[0].line == 3 && a.statements[0].column == 3)
    #expect(a.statements[1].line == 4 && a.statements[1].column == 2)
    #expect(a.statements[1].target == nil)
  }

  @Test func recursiveCTE() {
    let a = analyze(
      """
      with recursive r (n, cid) as (select 1, customer_id from customers union all select n + 1, cid from r where n < 10)
      select cid from r
      """)
    #expect(sources(a, "cid") == ["shop.main.customers.customer_id:identity"])
    #expect(a.statements[0].reads == [["shop", "main", "customers"]])
  }

  @Test func snowflakeSemiStructuredAndFlatten() {
    let a = SQLLineage.analyze(
      """
      select t.v:customer.name::string as cname, t.v:"Quoted"[0] as q, f.value:id::int as item_id
      from raw.events t, lateral flatten(input => t.v:items) f
      """, dialect: .snowflake)
    #expect(sources(a, "cname") == ["RAW.EVENTS.V:transformation"])
    #expect(sources(a, "q") == ["RAW.EVENTS.V:transformation"])
    #expect(sources(a, "item_id") == ["RAW.EVENTS.V:transformation"])
    #expect(!a.hasParseErrors)
    let b = SQLLineage.analyze("select f.value from raw.events, table(flatten(raw.events.arr)) f", dialect: .snowflake)
    #expect(sources(b, "value") == ["RAW.EVENTS.ARR:transformation"])
  }

  @Test func bigQueryUnnestAndStructs() {
    let a = SQLLineage.analyze(
      """
      select e.user.id as uid, item, off, arr[offset(0)] as first_item
      from `proj.ds.events` e, unnest(e.items) as item with offset as off
      """, dialect: .bigquery)
    #expect(sources(a, "uid") == ["proj.ds.events.user:transformation"])
    #expect(sources(a, "item") == ["proj.ds.events.items:transformation"])
    #expect(sources(a, "first_item") == ["proj.ds.events.arr:transformation"])
    #expect(a.statements[0].reads == [["proj", "ds", "events"]])
  }

  @Test func sparkLateralView() {
    let a = SQLLineage.analyze(
      """
      select t.id, x, e.y from db.t lateral view outer explode(t.items) e as x lateral view posexplode(t.tags) p as pos, y2
      join db.u on u.id = t.id
      """, dialect: .databricks)
    #expect(!a.hasParseErrors, "\(a.findings)")
    #expect(sources(a, "x") == ["db.t.items:transformation"])
    #expect(a.statements[0].reads == [["db", "t"], ["db", "u"]])
    #expect(indirect(a) == ["db.t.id:join", "db.u.id:join"])
  }

  @Test func postgresJsonOperators() {
    let a = SQLLineage.analyze("select doc -> 'a' ->> 'b' as x, doc #>> '{a,b}' as y from t", dialect: .postgres)
    #expect(sources(a, "x") == ["t.doc:transformation"])
    #expect(sources(a, "y") == ["t.doc:transformation"])
  }

  @Test func lambdas() {
    let a = SQLLineage.analyze(
      "select list_transform(xs, x -> x + k) as ys, filter(xs, (a, b) -> a > b) as zs from t", dialect: .duckdb)
    #expect(sources(a, "ys") == ["t.k:transformation", "t.xs:transformation"])
    #expect(sources(a, "zs") == ["t.xs:transformation"])
  }

  @Test func datePartsAreNotColumns() {
    let a = SQLLineage.analyze(
      "select dateadd(day, 1, ts) as d, datediff('day', a, b) as e, extract(year from ts) as y from t",
      dialect: .snowflake)
    #expect(sources(a, "d") == ["T.TS:transformation"])
    #expect(sources(a, "e") == ["T.A:transformation", "T.B:transformation"])
    #expect(sources(a, "y") == ["T.TS:transformation"])
  }

  @Test func niladicFunctionsAndPseudoColumnsAreNotColumns() {
    let a = analyze(
      "select current_date as d, current_timestamp, metadata$filename as f, amount from orders", .snowflake)
    #expect(a.findings.isEmpty, "\(a.findings)")
    #expect(sources(a, "d") == [])
    // A real column of that name still wins.
    var s = SQLSchema()
    s.addTable(["t"], columnNames: ["current_date"])
    let b = SQLLineage.analyze("select current_date from t", dialect: .duckdb, schema: s)
    #expect(sources(b, "current_date") == ["t.current_date:identity"])
  }

  @Test func keywordsAsColumnNames() {
    let a = SQLLineage.analyze(
      """
      select date, name, value, type, status, timestamp, key, first, last, left(name, 2) as l, right(name, 1) as r,
             t.date as d2
      from t
      """, dialect: .duckdb)
    #expect(!a.hasParseErrors, "\(a.findings)")
    #expect(
      a.statements[0].columns.map(\.name) == [
        "date", "name", "value", "type", "status", "timestamp", "key", "first", "last", "l", "r", "d2",
      ])
    #expect(sources(a, "l") == ["t.name:transformation"])
  }

  @Test func functionFeatures() {
    let a = analyze(
      """
      select count(distinct customer_id) filter (where status = 'x') as n,
             listagg(status, ',') within group (order by ordered_at) as statuses,
             string_agg(status, ',' order by amount) as s2
      from orders
      """, .snowflake)
    #expect(sources(a, "n") == ["shop.main.orders.customer_id:aggregation", "shop.main.orders.status:conditional"])
    #expect(sources(a, "statuses") == ["shop.main.orders.ordered_at:sort", "shop.main.orders.status:aggregation"])
    #expect(sources(a, "s2") == ["shop.main.orders.amount:sort", "shop.main.orders.status:aggregation"])
  }

  @Test func valuesAndDerivedColumnAliases() {
    let a = analyze("select x.a, x.b from (values (1, 'a'), (2, 'b')) as x(a, b)")
    #expect(a.statements[0].columns.map(\.name) == ["a", "b"])
    #expect(a.findings.isEmpty, "\(a.findings)")
    let b = analyze("select id from (select order_id from orders) as q(id)")
    #expect(sources(b, "id") == ["shop.main.orders.order_id:identity"])
  }

  @Test func unaliasedExpressionsAreNamedByTheirText() {
    let a = analyze("select amount   *  2, count(*) from orders")
    #expect(a.statements[0].columns.map(\.name) == ["amount * 2", "count(*)"])
  }

  @Test func outputIsDeterministic() {
    let sql = "select o.amount + p.amount + o.order_id as x from orders o join payments p using (order_id)"
    let first = render(analyze(sql))
    for _ in 0..<5 { #expect(render(analyze(sql)) == first) }
  }
}

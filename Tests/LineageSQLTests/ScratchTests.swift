import Testing
import LineageCore
@testable import LineageSQL

@Test func scratch() {
  let sqls = [
    "select a, b + 1 as c, sum(d) total from db.s.t where e > 1 group by 1, 2",
    "with x as (select id, amount from orders) select id, sum(amount) as s from x join customers c using (id) group by id order by s",
    "select case when status = 'x' then amount else 0 end as amt, md5(email) as h, row_number() over (partition by cust order by ts) rn from t",
    "create or replace table out.t as select * from src",
  ]
  for s in sqls { print(render(SQLLineage.analyze(s, dialect: .snowflake))); print("---") }
}

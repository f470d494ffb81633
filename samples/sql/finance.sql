create or replace view finance.revenue_by_month as
with monthly as (
    select * from marts.orders where status = 'completed'
)
select
    date_trunc('month', order_date) as month,
    sum(amount) as revenue,
    count(distinct customer_id) as paying_customers
from monthly
group by 1;

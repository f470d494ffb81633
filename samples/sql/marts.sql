create or replace table marts.orders as
with payments as (
    select
        order_id,
        sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
        sum(amount) as total_amount
    from staging.stg_payments
    group by order_id
)
select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    p.credit_card_amount,
    p.total_amount as amount
from staging.stg_orders o
left join payments p using (order_id);

create or replace table marts.customers as
with customer_orders as (
    select
        customer_id,
        min(order_date) as first_order,
        max(order_date) as most_recent_order,
        count(order_id) as number_of_orders,
        sum(amount) as lifetime_value
    from marts.orders
    where status <> 'returned'
    group by customer_id
)
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.email,
    co.first_order,
    co.most_recent_order,
    coalesce(co.number_of_orders, 0) as number_of_orders,
    co.lifetime_value,
    row_number() over (order by co.lifetime_value desc) as value_rank
from staging.stg_customers c
left join customer_orders co on co.customer_id = c.customer_id;

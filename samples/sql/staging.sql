-- Staging views: one per raw table, renamed and typed.
create or replace view staging.stg_customers as
select
    id as customer_id,
    first_name,
    last_name,
    lower(email) as email
from raw.customers;

create or replace view staging.stg_orders as
select
    id as order_id,
    user_id as customer_id,
    order_date,
    status
from raw.orders;

create or replace view staging.stg_payments as
select
    id as payment_id,
    order_id,
    payment_method,
    amount / 100.0 as amount
from raw.payments;

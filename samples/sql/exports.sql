insert into crm.contact_export (customer_id, email_hash, lifetime_value)
select customer_id, sha256(email), lifetime_value
from marts.customers
where number_of_orders > 0;

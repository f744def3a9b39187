-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY orders_account_id ON orders (account_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY orders_account_id;

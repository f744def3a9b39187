CREATE INDEX CONCURRENTLY orders_account_id ON orders (account_id);

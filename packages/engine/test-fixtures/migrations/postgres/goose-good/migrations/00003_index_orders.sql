-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY orders_account_id ON orders (account_id);

-- +goose Down
DROP INDEX CONCURRENTLY orders_account_id;

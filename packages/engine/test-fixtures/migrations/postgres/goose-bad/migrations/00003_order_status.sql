-- +goose Up
CREATE INDEX orders_total ON orders (total);
ALTER TABLE orders ADD COLUMN status text NOT NULL;

-- +goose Down
ALTER TABLE orders DROP COLUMN status;
DROP INDEX orders_total;

-- migrate:up
CREATE INDEX orders_total ON orders (total);
ALTER TABLE orders ADD COLUMN status text NOT NULL;

-- migrate:down
ALTER TABLE orders DROP COLUMN status;
DROP INDEX orders_total;

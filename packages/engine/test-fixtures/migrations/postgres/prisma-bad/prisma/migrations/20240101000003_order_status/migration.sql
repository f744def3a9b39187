-- order status
CREATE INDEX orders_total ON orders (total);
ALTER TABLE orders ADD COLUMN status text NOT NULL;

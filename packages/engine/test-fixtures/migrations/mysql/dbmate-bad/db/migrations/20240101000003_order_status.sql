-- migrate:up
ALTER TABLE orders ADD INDEX orders_total (total);
UPDATE orders SET totl = 0;

-- migrate:down
ALTER TABLE orders DROP INDEX orders_total;

ALTER TABLE orders DROP COLUMN status;
DROP INDEX orders_total;

ALTER TABLE orders DROP INDEX orders_total;

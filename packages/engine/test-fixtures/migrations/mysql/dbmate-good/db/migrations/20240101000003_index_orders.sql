-- migrate:up
ALTER TABLE orders ADD INDEX orders_total (total), ALGORITHM=INPLACE, LOCK=NONE;

-- migrate:down
ALTER TABLE orders DROP INDEX orders_total, ALGORITHM=INPLACE, LOCK=NONE;

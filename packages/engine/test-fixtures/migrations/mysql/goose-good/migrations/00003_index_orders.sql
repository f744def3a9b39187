-- +goose Up
ALTER TABLE orders ADD INDEX orders_total (total), ALGORITHM=INPLACE, LOCK=NONE;

-- +goose Down
ALTER TABLE orders DROP INDEX orders_total, ALGORITHM=INPLACE, LOCK=NONE;

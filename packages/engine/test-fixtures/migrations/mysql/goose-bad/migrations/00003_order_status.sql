-- +goose Up
ALTER TABLE orders ADD INDEX orders_total (total);
UPDATE orders SET totl = 0;

-- +goose Down
ALTER TABLE orders DROP INDEX orders_total;

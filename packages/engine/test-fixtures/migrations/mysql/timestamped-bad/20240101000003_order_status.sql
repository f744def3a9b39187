ALTER TABLE orders ADD INDEX orders_total (total);
UPDATE orders SET totl = 0;

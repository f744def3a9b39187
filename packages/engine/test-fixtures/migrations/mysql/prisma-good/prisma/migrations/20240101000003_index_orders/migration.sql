-- index orders
ALTER TABLE orders ADD INDEX orders_total (total), ALGORITHM=INPLACE, LOCK=NONE;

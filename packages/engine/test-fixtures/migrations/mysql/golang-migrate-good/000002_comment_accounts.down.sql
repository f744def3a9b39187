ALTER TABLE accounts COMMENT = '';

-- comment accounts
ALTER TABLE accounts COMMENT = 'people who order';

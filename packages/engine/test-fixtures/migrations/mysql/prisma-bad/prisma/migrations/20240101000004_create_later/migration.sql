-- create later
CREATE TABLE later (id int);

DROP TABLE later;

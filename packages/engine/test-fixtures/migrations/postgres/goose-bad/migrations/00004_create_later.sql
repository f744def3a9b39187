-- +goose Up
CREATE TABLE later (id int);

-- +goose Down
DROP TABLE later;

-- +goose Up
ALTER TABLE accounts ADD COLUMN nickname varchar(50);

-- +goose Down
ALTER TABLE accounts DROP COLUMN nickname;

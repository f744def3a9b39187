-- +goose Up
ALTER TABLE accounts ADD COLUMN nickname text;

-- +goose Down
ALTER TABLE accounts DROP COLUMN nickname;

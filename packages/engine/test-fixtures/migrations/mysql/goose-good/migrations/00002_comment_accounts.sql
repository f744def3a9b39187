-- +goose Up
ALTER TABLE accounts COMMENT = 'people who order';

-- +goose Down
ALTER TABLE accounts COMMENT = '';

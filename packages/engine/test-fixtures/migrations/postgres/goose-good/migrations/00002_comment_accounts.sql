-- +goose Up
COMMENT ON TABLE accounts IS 'people who order';

-- +goose Down
COMMENT ON TABLE accounts IS NULL;

-- migrate:up
COMMENT ON TABLE accounts IS 'people who order';

-- migrate:down
COMMENT ON TABLE accounts IS NULL;

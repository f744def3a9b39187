COMMENT ON TABLE accounts IS 'people who order';

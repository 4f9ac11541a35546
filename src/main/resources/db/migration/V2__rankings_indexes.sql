-- Rankings (GET /rankings, /rankings/apps) aggregate generations by UTC day over a date range.
-- Each index starts with created_day and carries every column its query reads, so H2 and
-- PostgreSQL can answer from the index alone instead of reading the wide rows.
CREATE INDEX generations_day_model ON generations (created_day, model, tokens_prompt, tokens_completion);
CREATE INDEX generations_day_app ON generations (created_day, app_title, http_referer, tokens_prompt, tokens_completion);
-- generations_day_model starts with created_day too: one index less to update on every insert
DROP INDEX generations_day;

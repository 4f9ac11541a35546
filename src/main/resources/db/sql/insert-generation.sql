INSERT INTO generations (id, created_at, created_day, key_hash, account_id, model, provider_name, upstream_model,
    status, http_status, error_type, streamed, cancelled, finish_reason, native_finish_reason,
    tokens_prompt, tokens_completion, tokens_reasoning, tokens_cached, usage_estimated, total_cost, reserved,
    latency_ms, generation_time_ms, http_referer, app_title, external_user, session_id, instance_id, recovered)
VALUES (:#id, :#created_at, :#created_day, :#key_hash, :#account_id, :#model, :#provider_name, :#upstream_model,
    :#status, :#http_status, :#error_type, :#streamed, :#cancelled, :#finish_reason, :#native_finish_reason,
    :#tokens_prompt, :#tokens_completion, :#tokens_reasoning, :#tokens_cached, :#usage_estimated, :#total_cost, :#reserved,
    :#latency_ms, :#generation_time_ms, :#http_referer, :#app_title, :#external_user, :#session_id, :#instance_id, :#recovered)

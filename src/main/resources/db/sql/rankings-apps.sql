SELECT app_title, http_referer, COUNT(*) AS requests,
    SUM(tokens_prompt) AS prompt_tokens, SUM(tokens_completion) AS completion_tokens
FROM generations
WHERE created_day >= :from AND created_day <= :to
    AND (app_title IS NOT NULL OR http_referer IS NOT NULL)
GROUP BY app_title, http_referer

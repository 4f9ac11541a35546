SELECT created_day, model, COUNT(*) AS requests,
    SUM(tokens_prompt) AS prompt_tokens, SUM(tokens_completion) AS completion_tokens
FROM generations
WHERE created_day >= :from AND created_day <= :to
GROUP BY created_day, model

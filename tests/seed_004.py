"""Seed 004's "Query Models" SQL, verbatim: the queries operators run against our schema."""

GET_ALL_MODELS_WITH_PROVIDER_INFO = """
SELECT
    p.slug as provider,
    m.model_name,
    m.provider_model_id as api_name,
    m.context_length,
    ROUND(m.pricing_prompt::numeric * 1000000, 2) as price_per_1m_input_tokens,
    ROUND(m.pricing_completion::numeric * 1000000, 2) as price_per_1m_output_tokens
FROM models m
JOIN providers p ON m.provider_id = p.id
WHERE p.slug = 'openrouter'
  AND m.is_active = true
ORDER BY m.model_name
LIMIT 10;
"""

SEARCH_BY_NAME = """
-- Search by name
SELECT model_name, provider_model_id as api_name
FROM models
WHERE model_name ILIKE '%gpt-4%'
  AND is_active = true;
"""

MODELS_BY_CAPABILITY = """
-- Get models by capability
SELECT model_name, provider_model_id as api_name
FROM models
WHERE supports_vision = true
  AND is_active = true;
"""

PROVIDER_STATISTICS = """
SELECT
    p.name as provider,
    COUNT(m.id) as total_models,
    COUNT(CASE WHEN m.is_active THEN 1 END) as active_models
FROM providers p
LEFT JOIN models m ON p.id = m.provider_id
GROUP BY p.id, p.name
ORDER BY total_models DESC;
"""

QUERIES = [GET_ALL_MODELS_WITH_PROVIDER_INFO, SEARCH_BY_NAME, MODELS_BY_CAPABILITY, PROVIDER_STATISTICS]

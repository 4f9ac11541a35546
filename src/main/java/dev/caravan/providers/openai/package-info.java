/**
 * The {@code openai} wire format: any OpenAI-compatible upstream (OpenAI, Groq, DeepSeek, Mistral,
 * OpenRouter, vLLM, Ollama). Requests go out nearly as they came; answers are already in our shape.
 */
package dev.caravan.providers.openai;

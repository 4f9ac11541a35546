/** Usage and what it costs: token counts normalized to OpenAI's convention, exact decimal prices. */
package dev.caravan.accounting;

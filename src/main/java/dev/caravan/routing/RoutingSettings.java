package dev.caravan.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code caravan.routing.*}: how long one request may spend across all its attempts and waits,
 * and how often the last candidate is retried after a Retry-After.
 */
@ConfigurationProperties("caravan.routing")
public record RoutingSettings(@DefaultValue("120s") Duration timeBudget, @DefaultValue("1") int maxRetries,
                              @DefaultValue("30s") Duration maxRetryAfter) {
}

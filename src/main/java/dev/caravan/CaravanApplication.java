package dev.caravan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;

/** Caravan: one OpenAI-compatible API in front of many LLM providers, as Camel routes in routes/. */
// Two of Spring Boot's metrics cost more than they tell here (bench/README.md, CPU at 16 connections):
// - logback.events counts log lines through a Logback turbo filter, and with any turbo filter
//   installed every level check of every library (Camel makes several per step of a route) walks
//   the filter chain: 1.6% of Caravan's CPU;
// - http.server.requests observes every HTTP request in a servlet filter: 2.1%. Caravan's own
//   caravan_* metrics (dev.caravan.metrics) count and time its requests per model and provider.
@SpringBootApplication(exclude = {LogbackMetricsAutoConfiguration.class, WebMvcObservationAutoConfiguration.class})
@ConfigurationPropertiesScan
public class CaravanApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaravanApplication.class, args);
    }
}

package dev.caravan;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration;

/** Caravan: one OpenAI-compatible API in front of many LLM providers, as Camel routes in routes/. */
// Not the logback.events metric: it counts log lines through a Logback turbo filter, and with any
// turbo filter installed every level check of every library (Camel makes several per step of a
// route) walks the filter chain: 1.6% of Caravan's CPU at 16 connections (bench/README.md).
@SpringBootApplication(exclude = LogbackMetricsAutoConfiguration.class)
@ConfigurationPropertiesScan
public class CaravanApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaravanApplication.class, args);
    }
}

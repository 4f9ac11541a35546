package dev.caravan.accounting;

import java.time.Clock;
import org.apache.camel.processor.aggregate.AggregateController;
import org.apache.camel.processor.aggregate.DefaultAggregateController;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the accounting routes and classes share. */
@Configuration(proxyBeanMethods = false)
public class AccountingConfiguration {

    /** The clock limit windows, expiries, rate-limit minutes and routing stats are read from; tests replace it. */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Gathers the usage writer's batch: the records of one batched INSERT, as a list. */
    @Bean
    public GroupedBodyAggregationStrategy groupedBodies() {
        return new GroupedBodyAggregationStrategy();
    }

    /** Lets {@link UsageDrain} flush the batch the usage writer is gathering when Caravan stops. */
    @Bean
    public AggregateController usageBatches() {
        return new DefaultAggregateController();
    }
}

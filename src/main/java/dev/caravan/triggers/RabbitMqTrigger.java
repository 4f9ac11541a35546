package dev.caravan.triggers;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code rabbitmq:} component of the AMQP queue route: camel-jms over RabbitMQ's JMS client,
 * so one kind of route serves ActiveMQ and RabbitMQ. Its connection factory is not a bean of its
 * own, or Spring Boot would stop configuring the ActiveMQ one the {@code jms:} component uses.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "caravan.triggers.amqp.enabled", havingValue = "true")
public class RabbitMqTrigger {

    @Bean("rabbitmq")
    JmsComponent rabbitmq(@Value("${caravan.triggers.amqp.uri}") String uri) throws JMSException {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setUri(uri);
        // a requester's temporary reply queue is exclusive to its own connection: publish to it, never declare it
        factory.setDeclareReplyToDestination(false);
        return JmsComponent.jmsComponent(factory);
    }
}

package dev.caravan.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.QueueRequests;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * JMS request/reply on the embedded ActiveMQ broker, with a plain JMS client. Cases: a request
 * answered to its JMSReplyTo with its correlation id, streaming forced off; a failing request
 * answered with the error envelope and copied to the dead-letter queue, without the key; a
 * request without a key refused (401); the consumers bounded by the configured concurrency.
 */
class QueueTriggerTest extends HttpTestBase {

    @Autowired
    private ConnectionFactory broker;

    @Autowired
    private CamelContext camel;

    @Test
    void answersToJmsReplyToWithTheCorrelationId() throws Exception {
        try (QueueRequests client = new QueueRequests(broker)) {
            Message reply = client.request("caravan.chat", chat("caravan/sim-small", true), TRIGGER_KEY, "corr-42");

            assertThat(reply).isNotNull();
            assertThat(reply.getJMSCorrelationID()).isEqualTo("corr-42");
            assertThat(reply.getIntProperty("CaravanStatus")).isEqualTo(200);
            JsonNode answer = json(QueueRequests.text(reply));
            assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
            assertThat(answer.path("usage").path("cost").isNumber()).isTrue();
            assertThat(reply.propertyExists("CaravanApiKey")).isFalse();
        }
    }

    @Test
    void aFailureIsAnsweredAndCopiedToTheDeadLetterQueue() throws Exception {
        try (QueueRequests client = new QueueRequests(broker)) {
            client.drain("caravan.chat.dlq");

            Message reply = client.request("caravan.chat", chat("nobody/no-such-model", false), TRIGGER_KEY, "corr-bad");

            assertThat(reply.getIntProperty("CaravanStatus")).isEqualTo(400);
            assertThat(json(QueueRequests.text(reply)).path("error").path("code").asInt()).isEqualTo(400);
            Message dead = client.receive("caravan.chat.dlq", 10_000);
            assertThat(dead).isNotNull();
            assertThat(dead.getJMSCorrelationID()).isEqualTo("corr-bad");
            assertThat(json(QueueRequests.text(dead)).path("error").path("message").asText()).contains("nobody/no-such-model");
            assertThat(dead.getStringProperty("CaravanRequest")).contains("nobody/no-such-model");
            assertThat(dead.propertyExists("CaravanApiKey")).isFalse();
        }
    }

    @Test
    void aRequestWithoutAKeyIsRefused() throws Exception {
        try (QueueRequests client = new QueueRequests(broker)) {
            Message reply = client.request("caravan.chat", chat("caravan/sim-small", false), null, "corr-nokey");

            assertThat(reply.getIntProperty("CaravanStatus")).isEqualTo(401);
            assertThat(((TextMessage) reply).getText()).contains("CaravanApiKey");
            client.drain("caravan.chat.dlq");
        }
    }

    @Test
    void concurrencyIsBoundedByConfiguration() {
        JmsEndpoint endpoint = (JmsEndpoint) camel.getRoute("queue-chat-completions").getEndpoint();

        assertThat(endpoint.getConcurrentConsumers()).isEqualTo(4);
        assertThat(endpoint.getMaxConcurrentConsumers()).isEqualTo(4);
    }
}

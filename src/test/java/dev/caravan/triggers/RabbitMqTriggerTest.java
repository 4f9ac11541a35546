package dev.caravan.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import dev.caravan.support.HttpTestBase;
import dev.caravan.support.QueueRequests;
import jakarta.jms.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The queue trigger over the real RabbitMQ of this machine (127.0.0.1:5672, guest/guest), through
 * RabbitMQ's JMS client. Skipped where no RabbitMQ answers, except under CI=true, where that is a
 * failure. Cases: a request answered to its JMSReplyTo with its correlation id; a failure answered
 * and copied to the dead-letter queue.
 */
@TestPropertySource(properties = {
        "caravan.triggers.amqp.enabled=true",
        // the other triggers share this context's folders and broker with the main test context: leave them to it
        "caravan.triggers.inboxes.default.enabled=false",
        "caravan.triggers.queue.enabled=false",
        "caravan.triggers.amqp.uri=" + RabbitMqTriggerTest.URI,
        "caravan.triggers.amqp.name=caravan.test.chat",
        "caravan.triggers.amqp.dead-letter=caravan.test.chat.dlq"})
class RabbitMqTriggerTest extends HttpTestBase {

    static final String URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    @BeforeAll
    static void rabbitMqAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("RabbitMQ does not answer on 127.0.0.1:5672 (CI=true requires it): " + e.getMessage());
            }
            assumeTrue(false, "no RabbitMQ on 127.0.0.1:5672");
        }
    }

    @Test
    void answersToJmsReplyToWithTheCorrelationId() throws Exception {
        try (QueueRequests client = new QueueRequests(rabbitMq())) {
            Message reply = client.request("caravan.test.chat", chat("caravan/sim-small", false), TRIGGER_KEY, "rabbit-1");

            assertThat(reply).isNotNull();
            assertThat(reply.getJMSCorrelationID()).isEqualTo("rabbit-1");
            JsonNode answer = json(QueueRequests.text(reply));
            assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
            assertThat(answer.path("model").asText()).isEqualTo("caravan/sim-small");
        }
    }

    @Test
    void aFailureIsAnsweredAndCopiedToTheDeadLetterQueue() throws Exception {
        try (QueueRequests client = new QueueRequests(rabbitMq())) {
            client.drain("caravan.test.chat.dlq");

            Message reply = client.request("caravan.test.chat", "{\"messages\": 3}", TRIGGER_KEY, "rabbit-bad");

            assertThat(json(QueueRequests.text(reply)).path("error").path("code").asInt()).isEqualTo(400);
            Message dead = client.receive("caravan.test.chat.dlq", 10_000);
            assertThat(dead).isNotNull();
            assertThat(dead.getJMSCorrelationID()).isEqualTo("rabbit-bad");
            assertThat(json(QueueRequests.text(dead)).path("error").path("code").asInt()).isEqualTo(400);
        }
    }

    private static RMQConnectionFactory rabbitMq() throws Exception {
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setUri(URI);
        return factory;
    }
}

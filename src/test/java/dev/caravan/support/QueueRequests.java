package dev.caravan.support;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

/**
 * A plain JMS client of the queue trigger, as an integration team's service would be: a request
 * with JMSReplyTo and a correlation id, the reply read from its own temporary queue.
 */
public final class QueueRequests implements AutoCloseable {

    private final Connection connection;
    private final Session session;

    public QueueRequests(ConnectionFactory factory) throws JMSException {
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** Sends one request and waits (at most 20 s) for its reply; null when none came. */
    public Message request(String queue, String body, String apiKey, String correlationId) throws JMSException {
        TemporaryQueue replies = session.createTemporaryQueue();
        TextMessage request = session.createTextMessage(body);
        request.setJMSReplyTo(replies);
        request.setJMSCorrelationID(correlationId);
        if (apiKey != null) {
            request.setStringProperty("CaravanApiKey", apiKey);
        }
        session.createProducer(session.createQueue(queue)).send(request);
        try (MessageConsumer consumer = session.createConsumer(replies)) {
            return consumer.receive(20_000);
        }
    }

    /** The next message on a queue, waiting at most the given time; null when none came. */
    public Message receive(String queue, long millis) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            return consumer.receive(millis);
        }
    }

    /** Empties a queue of what earlier runs left there. */
    public void drain(String queue) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            while (consumer.receive(200) != null) {
                // discarded
            }
        }
    }

    public static String text(Message message) throws JMSException {
        return message instanceof TextMessage text ? text.getText() : new String(message.getBody(byte[].class),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}

package dev.caravan.guide;

import static dev.caravan.support.WorkingCopy.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.catalog.Catalog;
import dev.caravan.catalog.CatalogLoader;
import dev.caravan.support.GuideSnippets;
import dev.caravan.support.QueueRequests;
import dev.caravan.support.WorkingCopy;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.activemq.autoconfigure.ActiveMQProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Every snippet of docs/integration-guide.md, pasted where the guide says into a running Caravan
 * (a working copy of routes/ and the catalog), so the guide cannot drift from what works. Cases:
 * the provider and the model load and serve once the catalog is edited; the routing rule chooses
 * translation requests; the file inbox (its settings given at start, its route added while running)
 * answers a batch; the queue route answers a JMS request; the broker settings bind to Spring Boot's
 * ActiveMQ properties.
 */
class IntegrationGuideTest {

    private static WorkingCopy copy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        copy = WorkingCopy.get();
    }

    @Test
    void providerAndModelSnippetsLoadAndServe() throws Exception {
        String snippets = GuideSnippets.get("provider") + GuideSnippets.get("model");
        Path file = dir.resolve("models.yaml");
        Files.writeString(file, snippets);
        Catalog catalog = new CatalogLoader(s -> s.replaceAll("\\$\\{[A-Z_]+:([^}]*)}", "$1"), name -> "a-key").load(file);
        assertThat(catalog.model("team/qwen-32b").endpoints()).extracting(e -> e.provider().slug()).containsExactly("team-vllm");

        String original = Files.readString(copy.catalog());
        try {
            Files.writeString(copy.catalog(), original
                    .replaceFirst("(?m)^providers:\n", Matcher.quoteReplacement("providers:\n" + items(GuideSnippets.get("provider"))))
                    .replaceFirst("(?m)^models:\n", Matcher.quoteReplacement("models:\n" + items(GuideSnippets.get("model")))));
            assertThat(eventually(() -> copy.get("/providers").body().contains("\"team-vllm\""))).isTrue();
            assertThat(copy.get("/models/team/qwen-32b/endpoints").body()).contains("Qwen/Qwen2.5-32B-Instruct");
        } finally {
            Files.writeString(copy.catalog(), original);
        }
    }

    @Test
    void routingRuleSnippetChoosesTranslations() throws Exception {
        Path rules = copy.routes().resolve("auto-router.camel.yaml");
        String original = Files.readString(rules);
        try {
            Files.writeString(rules, original.replaceFirst("(?m)^            when:\n",
                    Matcher.quoteReplacement("            when:\n" + GuideSnippets.get("routing-rule"))));

            assertThat(eventually(() -> "translate".equals(autoRule("Please translate this into French")))).isTrue();
            assertThat(autoRule("Say hello")).isEqualTo("cheap");
        } finally {
            Files.writeString(rules, original);
        }
    }

    @Test
    void fileInboxSnippetsAnswerABatch() throws Exception {
        Files.writeString(copy.routes().resolve("invoices.camel.yaml"), GuideSnippets.get("inbox-route"));
        CamelContext camel = copy.caravan().bean(CamelContext.class);
        assertThat(eventually(() -> camel.getRoute("file-inbox-invoices") != null)).isTrue();
        Path inbox = copy.dir().resolve("invoices/directory");
        Files.createDirectories(inbox);
        Path staged = copy.dir().resolve("batch.jsonl.tmp");
        Files.writeString(staged, """
                {"custom_id": "invoice-1", "body": {"model": "caravan/sim-small", "messages": [{"role": "user", "content": "Summarize invoice 1"}]}}
                {"model": "caravan/sim-small", "messages": [{"role": "user", "content": "A bare request"}]}
                """);
        Files.move(staged, inbox.resolve("batch.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        Path results = copy.dir().resolve("invoices/outbox/batch.jsonl");
        assertThat(eventually(() -> Files.exists(results) && Files.exists(copy.dir().resolve("invoices/processed/batch.jsonl"))))
                .isTrue();
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(2);
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertThat(first.path("custom_id").asText()).isEqualTo("invoice-1");
        assertThat(first.path("response").path("body").path("object").asText()).isEqualTo("chat.completion");
    }

    @Test
    void queueRouteSnippetAnswersJmsRequests() throws Exception {
        Files.writeString(copy.routes().resolve("team-a.camel.yaml"), GuideSnippets.get("queue-route"));
        CamelContext camel = copy.caravan().bean(CamelContext.class);
        assertThat(eventually(() -> camel.getRoute("queue-team-a") != null)).isTrue();

        try (QueueRequests client = new QueueRequests(copy.caravan().bean(ConnectionFactory.class))) {
            Message reply = client.request("team-a.chat",
                    "{\"model\":\"caravan/sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", WorkingCopy.KEY, "team-a-1");

            assertThat(reply.getJMSCorrelationID()).isEqualTo("team-a-1");
            assertThat(reply.getIntProperty("CaravanStatus")).isEqualTo(200);
        }
    }

    @Test
    void brokerSnippetBindsToSpringBootsActiveMqSettings() {
        ActiveMQProperties broker = new Binder(new MapConfigurationPropertySource(GuideSnippets.properties("broker")))
                .bind("spring.activemq", ActiveMQProperties.class).get();

        assertThat(broker.getBrokerUrl()).isEqualTo("tcp://broker.example.internal:61616");
        assertThat(broker.getUser()).isEqualTo("caravan");
    }

    /** The list items of a snippet, without its top-level key. */
    private static String items(String snippet) {
        return snippet.substring(snippet.indexOf('\n') + 1);
    }

    private static String autoRule(String message) {
        HttpResponse<String> answer = copy.post("/chat/completions",
                "{\"model\":\"caravan/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + message + "\"}]}");
        return answer.headers().firstValue("X-Caravan-Auto-Rule").orElse(null);
    }
}

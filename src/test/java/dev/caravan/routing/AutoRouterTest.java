package dev.caravan.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped rules of routes/auto-router.camel.yaml, through caravan/auto. The test catalog has
 * none of the real providers' models, so each rule's list falls through to its simulator model.
 * Cases: the premium header, tools, images, a long prompt, a code question, and a short plain prompt.
 */
class AutoRouterTest extends HttpTestBase {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "premium   | {\"role\":\"user\",\"content\":\"hi\"}                                              | premium      | caravan/sim-large",
        "tools     | {\"role\":\"user\",\"content\":\"weather?\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}]  | tools | caravan/sim-large",
        "images    | {\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/a.png\"}}]} | images | caravan/sim-large",
        "long      | LONG                                                                                    | long-context | caravan/sim-large",
        "code      | {\"role\":\"user\",\"content\":\"Why does this Java code not compile?\"}              | code         | caravan/sim-large",
        "cheap     | {\"role\":\"user\",\"content\":\"Say hello\"}                                         | cheap        | caravan/sim-small",
    })
    void eachRuleChoosesItsModels(String name, String message, String rule, String model) {
        if (message.equals("LONG")) {
            message = "{\"role\":\"user\",\"content\":\"" + "word ".repeat(30_000) + "\"}";
        }
        String body = "{\"model\":\"caravan/auto\",\"messages\":[" + message + (message.contains("tools") ? "" : "]") + "}";
        HttpResponse<String> response = name.equals("premium")
                ? post("/chat/completions", body, "X-Caravan-Tier", "premium")
                : post("/chat/completions", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Caravan-Auto-Rule")).hasValue(rule);
        assertThat(json(response.body()).path("model").asText()).isEqualTo(model);
    }
}

package dev.caravan.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The management API and authentication, over HTTP.
 * Cases: create returns the plaintext once (hash = SHA-256, label masked), get/list never show it;
 * PATCH name, disabled, limit, limit_reset and bad values (a limit finer than the ledger's 12
 * decimal places is refused, not rounded); delete; /key for the caller; the /v1
 * alias; 401 for a missing, invalid, disabled, expired or deleted key; 403 for a management key on
 * inference and an inference key on management; a management key cannot disable, expire or
 * delete itself (400), another may; and no key plaintext in any log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeysAndAuthenticationTest extends HttpTestBase {

    private static final String MANAGEMENT = "Bearer " + MANAGEMENT_KEY;

    @AfterEach
    void clockBack() {
        clock.reset();
    }

    @Test
    void createShowsThePlaintextOnceAndStoresOnlyItsHash() {
        JsonNode created = createKey("{\"name\":\"ci\",\"limit\":5,\"limit_reset\":\"weekly\"}");
        String key = created.path("key").asText();
        String hash = created.path("data").path("hash").asText();

        assertThat(key).startsWith("sk-car-v1-");
        assertThat(hash).isEqualTo(KeyMaterial.hash(key));
        assertThat(created.path("data").path("label").asText()).contains("...").doesNotContain(key.substring(15, 40));
        assertThat(created.path("data").path("limit").decimalValue()).isEqualByComparingTo("5");
        assertThat(created.path("data").path("limit_reset").asText()).isEqualTo("weekly");
        HttpResponse<String> shown = get("/keys/" + hash, MANAGEMENT_KEY);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(key).contains(hash);
        assertThat(get("/keys", MANAGEMENT_KEY).body()).doesNotContain(key).contains(hash);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM api_keys WHERE hash = ?", Integer.class, hash)).isOne();
    }

    @Test
    void patchChangesTheFieldsAndRefusesBadValues() {
        String hash = createKey("{\"name\":\"before\"}").path("data").path("hash").asText();

        HttpResponse<String> patched = patch("/keys/" + hash, "{\"name\":\"after\",\"limit\":1.5,\"limit_reset\":\"daily\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode data = json(patched.body()).path("data");
        assertThat(data.path("name").asText()).isEqualTo("after");
        assertThat(data.path("limit").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(data.path("limit_remaining").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(data.path("limit_reset").asText()).isEqualTo("daily");

        assertThat(patch("/keys/" + hash, "{\"limit_reset\":\"hourly\"}").statusCode()).isEqualTo(400);
        assertThat(patch("/keys/" + hash, "{\"limit\":-1}").statusCode()).isEqualTo(400);
        // past what the ledger's NUMERIC(30, 12) holds: refused, not a database error (500)
        assertThat(patch("/keys/" + hash, "{\"limit\":1e400}").statusCode()).isEqualTo(400);
        assertThat(post("/keys", "{\"name\":\"x\",\"limit\":1e19}", "Authorization", "Bearer " + MANAGEMENT_KEY)
                .statusCode()).isEqualTo(400);
        assertThat(patch("/keys/" + "0".repeat(64), "{\"name\":\"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aLimitFinerThanTheLedgerKeepsIsRefusedNotRounded() {
        // NUMERIC(30, 12) would store 0.0000000000001 as 0 while the answer echoed what was sent
        String hash = createKey("{\"name\":\"fine\"}").path("data").path("hash").asText();

        assertError(patch("/keys/" + hash, "{\"limit\":0.0000000000001}"), 400, "invalid_request", "limit");
        assertError(patch("/keys/" + hash, "{\"limit\":1.0000000000001}"), 400, "invalid_request", "limit");
        assertError(post("/keys", "{\"name\":\"x\",\"limit\":0.0000000000001}", "Authorization", MANAGEMENT),
                400, "invalid_request", "limit");
        // 12 decimal places, or more that are only trailing zeros, are kept exactly
        assertThat(patch("/keys/" + hash, "{\"limit\":0.000000000001}").statusCode()).isEqualTo(200);
        assertThat(json(get("/keys/" + hash, MANAGEMENT_KEY).body()).path("data").path("limit").decimalValue())
                .isEqualByComparingTo("0.000000000001");
        assertThat(patch("/keys/" + hash, "{\"limit\":2.50000000000000000}").statusCode()).isEqualTo(200);
    }

    @Test
    void theKeyItselfIsShownToItsCaller() {
        JsonNode created = createKey("{\"name\":\"me\",\"limit\":2}");

        JsonNode me = json(get("/key", created.path("key").asText()).body()).path("data");
        assertThat(me.path("hash").asText()).isEqualTo(created.path("data").path("hash").asText());
        assertThat(me.path("is_management_key").asBoolean()).isFalse();
        assertThat(me.path("limit_remaining").decimalValue()).isEqualByComparingTo("2");
        assertThat(json(get("/key", MANAGEMENT_KEY).body()).path("data").path("is_management_key").asBoolean()).isTrue();
        HttpResponse<String> alias = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/keys"))
                .header("Authorization", MANAGEMENT).GET().build());
        assertThat(alias.statusCode()).isEqualTo(200);
    }

    @Test
    void inferenceNeedsAValidInferenceKey() {
        String body = chat("test/sim", false);
        assertError(post("/chat/completions", body, "Authorization", "Nope"), 401, "authentication");
        assertError(post("/chat/completions", body, "Authorization", "Bearer sk-car-v1-unknown"), 401, "authentication");
        assertError(post("/chat/completions", body, "Authorization", MANAGEMENT), 403, "permission_denied");
        assertError(get("/keys", inferenceKey()), 403, "permission_denied");
        assertError(get("/key", "sk-car-v1-unknown"), 401, "authentication");
    }

    @Test
    void disabledExpiredAndDeletedKeysAre401(CapturedOutput output) {
        JsonNode created = createKey("{\"name\":\"short-lived\",\"expires_at\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        String key = created.path("key").asText();
        String hash = created.path("data").path("hash").asText();
        String body = chat("test/sim", false);
        assertThat(post("/chat/completions", body, "Authorization", "Bearer " + key).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));
        assertError(post("/chat/completions", body, "Authorization", "Bearer " + key), 401, "authentication");
        clock.reset();

        patch("/keys/" + hash, "{\"disabled\":true}");
        HttpResponse<String> disabled = post("/chat/completions", body, "Authorization", "Bearer " + key);
        assertError(disabled, 401, "authentication");
        assertThat(disabled.body()).doesNotContain(key);
        patch("/keys/" + hash, "{\"disabled\":false}");
        assertThat(post("/chat/completions", body, "Authorization", "Bearer " + key).statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/keys/" + hash))
                .header("Authorization", MANAGEMENT).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertError(post("/chat/completions", body, "Authorization", "Bearer " + key), 401, "authentication");
        assertThat(output.getAll()).doesNotContain(key).doesNotContain(MANAGEMENT_KEY.substring(8));
    }

    @Test
    void aKeyDisabledOrDeletedByAnotherInstanceIs401NotALimit() {
        // another instance's change reaches this one's key cache only after its TTL; the reserve,
        // which reads the key's row, is the first to see it, and must say what it is
        JsonNode created = createKey("{\"name\":\"changed-elsewhere\"}");
        String bearer = "Bearer " + created.path("key").asText();
        String hash = created.path("data").path("hash").asText();
        String body = chat("test/sim", false);
        assertThat(post("/chat/completions", body, "Authorization", bearer).statusCode()).isEqualTo(200);

        db.update("UPDATE api_keys SET disabled = TRUE WHERE hash = ?", hash);
        HttpResponse<String> disabled = post("/chat/completions", body, "Authorization", bearer);
        assertError(disabled, 401, "authentication");
        assertThat(json(disabled.body()).path("error").path("message").asText()).isEqualTo("This API key is disabled");

        db.update("DELETE FROM api_keys WHERE hash = ?", hash);
        assertError(post("/chat/completions", body, "Authorization", bearer), 401, "authentication");
    }

    @Test
    void aManagementKeyCannotLockItselfOut(@Autowired KeyStore keys) {
        // a second management key of its own, so that a failure here cannot lock out the other tests
        String second = "sk-car-test-second-management-key";
        String hash = KeyMaterial.hash(second);
        Instant now = Instant.now();
        keys.insert(new ApiKey(hash, Bootstrap.ACCOUNT, KeyMaterial.label(second), "second", true, false, null, null,
                null, null, now, null), now);

        assertError(patch("/keys/" + hash, "{\"disabled\":true}", second), 400, "invalid_request", "disabled");
        assertError(patch("/keys/" + hash, "{\"expires_at\":\"2000-01-01T00:00:00Z\"}", second),
                400, "invalid_request", "expires_at");
        assertError(send(HttpRequest.newBuilder(URI.create(baseUrl() + "/keys/" + hash))
                .header("Authorization", "Bearer " + second).DELETE().build()), 400, "invalid_request");
        assertThat(get("/keys", second).statusCode()).isEqualTo(200);
        assertThat(patch("/keys/" + hash, "{\"name\":\"still mine\",\"disabled\":false}", second).statusCode())
                .isEqualTo(200);

        // another management key may still disable or delete it
        assertThat(patch("/keys/" + hash, "{\"disabled\":true}").statusCode()).isEqualTo(200);
        assertError(get("/keys", second), 401, "authentication");
        assertThat(send(HttpRequest.newBuilder(URI.create(baseUrl() + "/keys/" + hash))
                .header("Authorization", MANAGEMENT).DELETE().build()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> patch(String path, String body) {
        return patch(path, body, MANAGEMENT_KEY);
    }

    private HttpResponse<String> patch(String path, String body, String key) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static void assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo(type);
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String param) {
        assertError(response, status, type);
        assertThat(json(response.body()).path("error").path("param").asText()).isEqualTo(param);
    }
}

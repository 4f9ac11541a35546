package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The statuses Tomcat sets before any route runs, answered in the envelope. A stalled body is the
 * one that cannot be provoked quickly over HTTP: Tomcat gives up after its connection timeout (60 s).
 */
class ApiErrorControllerTest {

    private final ApiErrorController controller = new ApiErrorController(ready());

    @Test
    void aBodyThatStoppedArrivingIs408Timeout() throws Exception {
        ResponseEntity<byte[]> response = controller.error(failed(408, "/api/v1/chat/completions"));

        assertThat(response.getStatusCode().value()).isEqualTo(408);
        JsonNode error = Json.MAPPER.readTree(response.getBody()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(408);
        assertThat(error.path("type").asText()).isEqualTo("timeout");
        assertThat(error.path("message").asText()).isEqualTo("The request body did not arrive in time");
    }

    private static MockHttpServletRequest failed(int status, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, path);
        return request;
    }

    private static ApplicationAvailabilityBean ready() {
        ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(ApiErrorControllerTest.class,
                ReadinessState.ACCEPTING_TRAFFIC));
        return availability;
    }
}

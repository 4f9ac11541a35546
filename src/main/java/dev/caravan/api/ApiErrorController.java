package dev.caravan.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failures that never reach a route (unknown path, wrong method, a body Tomcat stopped waiting
 * for) get the same envelope as everything else instead of Spring's Whitelabel or JSON error body.
 * Requests Tomcat cannot even parse never reach a servlet: {@link ErrorEnvelopeValve} answers them.
 */
@RestController
public class ApiErrorController implements ErrorController {

    private final ApplicationAvailability availability;

    public ApiErrorController(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @RequestMapping("/error")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        // The web server opens its port before Camel has loaded the routes (Camel starts once the
        // Spring context is refreshed), and Camel stops them before the port closes: meanwhile
        // every route's path is unknown. A client (and the OpenAI SDKs' retry) should wait and
        // retry, not be told the endpoint does not exist.
        boolean routesUp = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        ApiException error = status == 404 && !routesUp
                ? new ApiException(503, "service_unavailable", "Caravan is starting or stopping; retry shortly",
                        null, null, 1L)
                : forStatus(status, path);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
        if (error.retryAfterSeconds() != null) {
            response.header("Retry-After", String.valueOf(error.retryAfterSeconds()));
        }
        return response.body(ErrorEnvelope.bytes(error));
    }

    /** The envelope for a status set outside any route, by Spring MVC or by Tomcat. */
    static ApiException forStatus(int status, String path) {
        return switch (status) {
            case 400 -> new ApiException(400, "invalid_request", "The request is not valid HTTP");
            case 404 -> ApiException.notFound("No such endpoint: " + path);
            case 405 -> new ApiException(405, "invalid_request", "Method not allowed on " + path);
            // Tomcat answers 408 itself when the request body stops arriving (server.tomcat.connection-timeout)
            case 408 -> new ApiException(408, "timeout", "The request body did not arrive in time");
            case 413 -> new ApiException(413, "payload_too_large", "Request body too large");
            case 415 -> new ApiException(415, "invalid_request", "Content-Type must be application/json");
            default -> status >= 500
                    ? new ApiException(status, "internal_error", "Caravan failed to process the request")
                    : new ApiException(status, "invalid_request", "The request could not be processed");
        };
    }
}

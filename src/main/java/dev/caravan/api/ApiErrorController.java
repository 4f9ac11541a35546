package dev.caravan.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failures that never reach a route (unknown path, wrong method, a request Tomcat rejects) get
 * the same envelope as everything else instead of Spring's Whitelabel or JSON error body.
 */
@RestController
public class ApiErrorController implements ErrorController {

    @RequestMapping("/error")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        ApiException error = switch (status) {
            case 404 -> ApiException.notFound("No such endpoint: " + path);
            case 405 -> new ApiException(405, "invalid_request", "Method not allowed on " + path);
            case 413 -> new ApiException(413, "payload_too_large", "Request body too large");
            case 415 -> new ApiException(415, "invalid_request", "Content-Type must be application/json");
            default -> status >= 500
                    ? new ApiException(status, "internal_error", "Caravan failed to process the request")
                    : new ApiException(status, "invalid_request", "The request could not be processed");
        };
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ErrorEnvelope.bytes(error));
    }
}

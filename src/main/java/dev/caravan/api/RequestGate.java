package dev.caravan.api;

import dev.caravan.metrics.RequestTimer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before Camel reads a byte of it, a POST body that is not JSON (415), that is compressed
 * (415: read as it came, it would fail as invalid JSON, or a plain body labelled compressed would
 * pass) or that declares itself too large (413). platform-http would otherwise parse a form body itself and fail with
 * a bare 500, or read a huge body into memory first.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestGate extends OncePerRequestFilter {

    private final long maxBodyBytes;

    public RequestGate(@Value("${caravan.max-request-size:10MB}") DataSize maxBodySize) {
        this.maxBodyBytes = maxBodySize.toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the start of X-Caravan-Overhead-Ms: as early as Caravan sees the request
        request.setAttribute(RequestTimer.RECEIVED, System.nanoTime());
        if ("POST".equals(request.getMethod())) {
            String contentType = request.getContentType();
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                refuse(response, new ApiException(415, "invalid_request", "Content-Type must be application/json, got "
                        + (contentType == null ? "none" : "'" + contentType + "'")));
                return;
            }
            String encoding = request.getHeader("Content-Encoding");
            if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                refuse(response, new ApiException(415, "invalid_request", "Content-Encoding '" + encoding
                        + "' is not supported: send the body uncompressed"));
                return;
            }
            if (request.getContentLengthLong() > maxBodyBytes) {
                refuse(response, ChatRequests.tooLarge(maxBodyBytes));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, ApiException error) throws IOException {
        byte[] body = ErrorEnvelope.bytes(error);
        response.setStatus(error.status());
        response.setContentType(Responses.JSON);
        response.setContentLength(body.length);
        // the unread body would otherwise be drained, or block the connection
        response.setHeader("Connection", "close");
        response.getOutputStream().write(body);
    }
}

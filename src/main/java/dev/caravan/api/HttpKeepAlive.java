package dev.caravan.api;

import dev.caravan.metrics.RequestTimer;
import dev.caravan.stream.KeepAlive;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keep-alive comments written straight to the servlet response: before the route has an answer
 * (the first one commits the response as a 200 event stream), and between the chunks of a stream
 * platform-http is writing. The stream's watch calls it, only while the request's own thread is
 * blocked on the upstream (ChatStream), so it never writes at the same time as platform-http.
 */
final class HttpKeepAlive implements KeepAlive {

    private static final byte[] COMMENT = ": PROCESSING\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServletResponse response;
    private final String generationId;
    private final RequestTimer timer;
    private boolean committed;

    HttpKeepAlive(HttpServletResponse response, String generationId, RequestTimer timer) {
        this.response = response;
        this.generationId = generationId;
        this.timer = timer;
    }

    @Override
    public void send() throws IOException {
        if (!committed && !response.isCommitted()) {
            committed = true;
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.setHeader("X-Generation-Id", generationId);
            // the headers leave now, while the upstream is still silent: Caravan's share so far
            response.setHeader(RequestTimer.HEADER, timer.overheadHeader());
        }
        response.getOutputStream().write(COMMENT);
        response.flushBuffer();
    }

    @Override
    public boolean committed() {
        return committed;
    }
}

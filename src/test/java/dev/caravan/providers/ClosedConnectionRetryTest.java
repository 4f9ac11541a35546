package dev.caravan.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;

/**
 * The rule both upstream clients resend by, failure by failure. (JsonCallConnectionsTest and
 * UpstreamStreamsTest check it against real connections an upstream closed or reset.)
 */
class ClosedConnectionRetryTest {

    private final ClosedConnectionRetry retry = new ClosedConnectionRetry(null);
    private final HttpPost request = new HttpPost("http://127.0.0.1/v1/chat/completions");

    @Test
    void aReusedConnectionThatEndedOrWasResetUnderTheRequestIsResent() {
        assertThat(retry.retryRequest(request, new NoHttpResponseException("no answer"), 1, sentOn(1))).isTrue();
        assertThat(retry.retryRequest(request, new SocketException("Connection reset"), 1, sentOn(1))).isTrue();
        assertThat(retry.retryRequest(request, new SocketException("Broken pipe"), 1, sentOn(3))).isTrue();
    }

    @Test
    void aResendThatMeetsAnotherClosedConnectionIsResentUpToTheLimit() {
        for (int sends = 1; sends < ClosedConnectionRetry.MAX_EXECUTIONS; sends++) {
            assertThat(retry.retryRequest(request, new NoHttpResponseException("no answer"), sends, sentOn(1)))
                    .as("after %d sends", sends).isTrue();
        }
        assertThat(retry.retryRequest(request, new NoHttpResponseException("no answer"),
                ClosedConnectionRetry.MAX_EXECUTIONS, sentOn(1))).isFalse();
    }

    @Test
    void aNewConnectionThatBreaksUnderTheRequestIsTheUpstreamsFailure() {
        assertThat(retry.retryRequest(request, new NoHttpResponseException("no answer"), 1, sentOn(0))).isFalse();
        assertThat(retry.retryRequest(request, new SocketException("Connection reset"), 1, sentOn(0))).isFalse();
        assertThat(retry.retryRequest(request, new SocketException("Connection reset"), 1, HttpCoreContext.create()))
                .as("no connection recorded").isFalse();
    }

    @Test
    void nothingElseIsResent() {
        // a connection that could not be opened leaves the previous send's connection recorded
        assertThat(retry.retryRequest(request, new ConnectException("Connection refused"), 2, sentOn(1))).isFalse();
        // a slow upstream is the first-token or idle timeout's business: it may be generating
        assertThat(retry.retryRequest(request, new SocketTimeoutException("Read timed out"), 1, sentOn(1))).isFalse();
        assertThat(retry.retryRequest(request, new IOException("anything else"), 1, sentOn(1))).isFalse();
        assertThat(retry.retryRequest(new BasicHttpResponse(503), 1, sentOn(1))).isFalse();
    }

    /** A context whose request went out on a connection that had given {@code answers} answers. */
    private static HttpCoreContext sentOn(long answers) {
        HttpCoreContext context = HttpCoreContext.create();
        context.setEndpointDetails(new EndpointDetails(new InetSocketAddress("127.0.0.1", 443), null, null) {
            @Override
            public long getRequestCount() {
                return answers + 1;
            }

            @Override
            public long getResponseCount() {
                return answers;
            }

            @Override
            public long getSentBytesCount() {
                return 0;
            }

            @Override
            public long getReceivedBytesCount() {
                return 0;
            }
        });
        return context;
    }
}

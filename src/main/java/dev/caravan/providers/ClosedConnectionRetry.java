package dev.caravan.providers;

import java.io.IOException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * What Caravan's upstream clients retry, for JSON calls and streams alike: a request whose
 * connection ended with no answer at all, once, on a new connection; nothing else (a 429 or 503
 * goes back to the attempt loop, which decides; HttpClient's own strategy would sleep through its
 * Retry-After on the request thread).
 *
 * <p>That is what a pooled connection the upstream closed while idle does: the request never
 * reached it. The pool cannot see such a close before it lends the connection (unlike the JDK
 * client, it watches no idle socket), and the check HttpClient can make first costs a read that
 * waits 1 ms, which every call of a quiet gateway would pay: the clients turn it off and rely on
 * this. An upstream that closed one idle connection has usually closed the others (the JDK's HTTP
 * server closes them all after 30 s idle; after 1,000 streams the bench's mock keeps 200), so the
 * pool's idle connections are dropped first: the retry would otherwise be lent another closed one.
 */
record ClosedConnectionRetry(PoolingHttpClientConnectionManager pool) implements HttpRequestRetryStrategy {

    @Override
    public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
        if (!(failure instanceof NoHttpResponseException) || execCount > 1) {
            return false;
        }
        if (pool != null) {
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
        }
        return true;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}

package dev.caravan.providers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * What Caravan's upstream clients retry, for JSON calls and streams alike: a request sent on a
 * pooled connection the upstream had closed; nothing else (a 429 or 503 goes back to the attempt
 * loop, which decides; HttpClient's own strategy would sleep through its Retry-After on the request
 * thread).
 *
 * <p>The pool cannot see such a close before it lends the connection (unlike the JDK client, it
 * watches no idle socket), and the check HttpClient can make first costs a read that waits 1 ms,
 * which every call of a quiet gateway would pay: the clients turn it off and rely on this. The
 * request then meets the upstream's close: the connection ends with no answer, or, when the
 * upstream's reset to the request comes before the read, the read fails with "Connection reset"
 * (or the write with "Broken pipe"). Either is retried when the connection had carried an earlier
 * answer, so a reused one; on a new connection the same failure is the upstream's own, and
 * sending the request again could make it generate (and bill) twice.
 *
 * <p>An upstream that closed one idle connection has usually closed the others (the JDK's HTTP
 * server closes them all after 30 s idle; a restarted upstream has closed every one), so the pool's
 * idle connections are dropped first: the retry would otherwise be lent another closed one. Still,
 * one may be: a server that keeps only so many idle connections (the JDK's keeps 200) closes each
 * one past them as its answer ends, while the client puts it back in the pool, where it is the
 * next one lent (the pool lends the last returned first). So a resend that meets a closed pooled
 * connection again is resent again, up to {@link #MAX_EXECUTIONS} sends (after 1,000 streams
 * through an upstream keeping 5 idle connections, a few requests met 3 closed ones in a row). A
 * request that fails on a new connection is never resent, and a resend mostly goes out on a new
 * one, so an upstream that breaks the connection of one particular request usually sees it twice.
 */
record ClosedConnectionRetry(PoolingHttpClientConnectionManager pool) implements HttpRequestRetryStrategy {

    /** Sends of one request at most; a closed connection fails its send within microseconds. */
    static final int MAX_EXECUTIONS = 8;

    @Override
    public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
        boolean closedUnderTheRequest = failure instanceof NoHttpResponseException
                || failure instanceof SocketException && !(failure instanceof ConnectException);
        if (!closedUnderTheRequest || execCount >= MAX_EXECUTIONS || !reused(context)) {
            return false;
        }
        if (pool != null) {
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
        }
        return true;
    }

    /**
     * Whether the request went out on a connection that had already answered another. (The
     * connection is recorded as the request is sent: a connection that failed before that, as
     * one that could not be opened, leaves the previous execution's, hence connection failures
     * are excluded above.)
     */
    private static boolean reused(HttpContext context) {
        EndpointDetails connection = HttpCoreContext.castOrCreate(context).getEndpointDetails();
        return connection != null && connection.getResponseCount() > 0;
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

package dev.caravan.providers;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpResponseInterceptor;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Refuses an upstream JSON answer larger than {@code caravan.upstream.max-answer-size}. camel-http
 * reads a call's whole answer into memory before the wire route sees it, so a broken upstream
 * sending without end (measured: 400 MB against a 256 MB heap) ran the heap out, and the client got
 * an empty 200. The call fails as an invalid response (502) and its connection is dropped.
 */
final class AnswerSizeLimit implements HttpResponseInterceptor {

    private final long maxBytes;

    AnswerSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Why the call failed, for {@link UpstreamException#fromFailure}. */
    static final class AnswerTooLarge extends IOException {
        AnswerTooLarge(long maxBytes) {
            super("an answer over " + maxBytes + " bytes");
        }
    }

    @Override
    public void process(HttpResponse response, EntityDetails details, HttpContext context) throws IOException {
        if (!(response instanceof ClassicHttpResponse classic) || classic.getEntity() == null) {
            return;
        }
        if (classic.getEntity().getContentLength() > maxBytes) {
            throw new AnswerTooLarge(maxBytes);
        }
        classic.setEntity(new HttpEntityWrapper(classic.getEntity()) {
            @Override
            public InputStream getContent() throws IOException {
                return new Limited(super.getContent());
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (InputStream in = getContent()) {
                    in.transferTo(out);
                }
            }
        });
    }

    private final class Limited extends FilterInputStream {
        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b == -1 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws AnswerTooLarge {
            read += n;
            if (read > maxBytes) {
                throw new AnswerTooLarge(maxBytes);
            }
        }
    }
}

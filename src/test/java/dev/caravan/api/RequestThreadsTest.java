package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RequestThreadsTest extends HttpTestBase {

    @Autowired
    private ThreadPoolExecutor requestThreadPool;

    @Test
    void theWebServerServesRequestsOnThePoolThatWakesTheLastIdleThread() throws InterruptedException {
        assertThat(requestThreadPool.getQueue()).isInstanceOf(LastIdleFirstQueue.class);
        long before = requestThreadPool.getCompletedTaskCount();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/models").statusCode()).isEqualTo(200);
        }
        // a request's task ends a little after its answer has left (the usage record is queued then)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (requestThreadPool.getCompletedTaskCount() < before + 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(requestThreadPool.getCompletedTaskCount()).isGreaterThanOrEqualTo(before + 5);
    }
}

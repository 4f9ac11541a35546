package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

class RequestThreadsTest extends HttpTestBase {

    @Autowired
    private RequestThreads requestThreads;

    @Autowired
    private ApplicationContext context;

    @Test
    void springBootKeepsItsOwnApplicationTaskExecutor() {
        assertThat(context.containsBean("applicationTaskExecutor")).isTrue();
    }

    @Test
    void theWebServerServesRequestsOnThePoolThatWakesTheLastIdleThread() throws InterruptedException {
        ThreadPoolExecutor requestThreadPool = requestThreads.pool();
        assertThat(requestThreadPool.getQueue()).isInstanceOf(LastIdleFirstQueue.class);
        long before = requestThreadPool.getCompletedTaskCount();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/models").statusCode()).isEqualTo(200);
        }
        // a task ends a little after its answer has left, and may have served several requests of
        // one keep-alive connection: that it ran here at all is what shows the wiring
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (requestThreadPool.getCompletedTaskCount() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(requestThreadPool.getCompletedTaskCount()).isGreaterThan(before);
    }
}

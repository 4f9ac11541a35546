package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.HttpTestBase;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RequestThreadsTest extends HttpTestBase {

    @Autowired
    private ThreadPoolExecutor requestThreadPool;

    @Test
    void theWebServerServesRequestsOnThePoolThatWakesTheLastIdleThread() {
        assertThat(requestThreadPool.getQueue()).isInstanceOf(LastIdleFirstQueue.class);
        long before = requestThreadPool.getCompletedTaskCount();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/models").statusCode()).isEqualTo(200);
        }
        assertThat(requestThreadPool.getCompletedTaskCount()).isGreaterThanOrEqualTo(before + 5);
    }
}

package dev.caravan.api;

import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The web server's request threads: Tomcat's pool, sized by {@code server.tomcat.threads.*} as
 * usual, on a {@link LastIdleFirstQueue} so that the thread that went idle last serves the next
 * request. A gateway's requests spend most of their time waiting on an upstream, so its pool grows
 * to as many threads as requests and streams were open at the busiest moment. Tomcat wakes the
 * longest-idle thread for each request, so under any steady load every thread keeps being woken
 * before its 60 s idle timeout: after a burst of 1,000 streams and then 75 s of 4 connections, its
 * pool still held 937 threads (903 MiB resident), this one 56 (822 MiB); and each request ran on
 * the coldest stack. One request at a time with 50 ms pauses (bench/README.md, eighth session):
 * 1.728 ms against 1.773 ms.
 *
 * <p>With virtual threads ({@code spring.threads.virtual.enabled}) Spring Boot gives Tomcat an
 * executor of those instead, and this one steps aside.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnThreading(Threading.PLATFORM)
class RequestThreads implements DisposableBean {

    /** Tomcat's default: a thread above the minimum ends after this long idle. */
    private static final long MAX_IDLE_SECONDS = 60;

    /**
     * Not a bean of its own: Spring Boot makes its {@code applicationTaskExecutor} only when the
     * context holds no {@code Executor}, and this pool must not stand in for it.
     */
    private final ThreadPoolExecutor pool;

    RequestThreads(TomcatServerProperties tomcat) {
        TomcatServerProperties.Threads threads = tomcat.getThreads();
        LastIdleFirstQueue queue = new LastIdleFirstQueue(threads.getMaxQueueCapacity());
        pool = new ThreadPoolExecutor(threads.getMinSpare(), threads.getMax(), MAX_IDLE_SECONDS, TimeUnit.SECONDS,
                queue, new TaskThreadFactory("http-exec-", true, Thread.NORM_PRIORITY));
        queue.setParent(pool);
    }

    @Bean
    TomcatProtocolHandlerCustomizer<AbstractProtocol<?>> lastIdleFirstThreads() {
        return protocol -> protocol.setExecutor(pool);
    }

    ThreadPoolExecutor pool() {
        return pool;
    }

    /** Once the web server has stopped (Tomcat only stops an executor of its own). */
    @Override
    public void destroy() {
        pool.shutdown();
    }
}

package dev.caravan.api;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs each request's route on the web server thread that received it. Camel's default engine
 * hands every request to a second thread pool and waits for it; on this path that hand-off cost a
 * thread wake-up per request, for nothing, since the route itself blocks on its upstream either
 * way. The web server's own pool (server.tomcat.threads.max) is sized for that instead.
 */
@Configuration(proxyBeanMethods = false)
public class InlineHttpEngine {

    /** The name platform-http looks its engine up by. */
    @Bean("platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }
}

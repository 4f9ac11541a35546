package dev.caravan.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.support.CaravanInstance;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

class BootstrapTest {

    /**
     * A script may call Caravan with its CARAVAN_MANAGEMENT_KEY as soon as the port answers: by
     * then the key is in the database.
     */
    @Test
    void theConfiguredKeysExistBeforeTheWebServerOpensItsPort() {
        AtomicReference<Boolean> keyAtOpening = new AtomicReference<>();
        ApplicationListener<WebServerInitializedEvent> opened = new ApplicationListener<>() {
            @Override   // a class, not a lambda: Spring reads the event type it listens to from it
            public void onApplicationEvent(WebServerInitializedEvent event) {
                keyAtOpening.set(event.getApplicationContext().getBean(KeyStore.class)
                        .find(KeyMaterial.hash(CaravanInstance.MANAGEMENT_KEY)).isPresent());
            }
        };

        try (CaravanInstance caravan = new CaravanInstance("bootstrap",
                "jdbc:h2:mem:bootstrap-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", Map.of(), opened)) {
            assertThat(keyAtOpening.get()).as("the management key, as the web server opened its port").isTrue();
            assertThat(caravan.bean(KeyStore.class).find(KeyMaterial.hash(CaravanInstance.MANAGEMENT_KEY))).isPresent();
        }
    }
}

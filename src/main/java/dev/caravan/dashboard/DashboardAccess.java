package dev.caravan.dashboard;

import dev.caravan.keys.ApiKey;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Narrows /key/activity to what the calling key may see before /activity's own step answers it. */
@Component("dashboardAccess")
public class DashboardAccess {

    /** An inference key sees its own rows whatever key_hash it asks for; a management key any, or all. */
    public void ownActivityOnly(Exchange exchange) {
        ApiKey caller = exchange.getProperty(ApiKey.PROPERTY, ApiKey.class);
        if (!caller.management()) {
            exchange.getMessage().setHeader("key_hash", caller.hash());
        }
    }
}

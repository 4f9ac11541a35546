package dev.caravan.routing;

import dev.caravan.catalog.Endpoint;
import java.math.BigDecimal;
import java.util.List;

/**
 * Draw weights for the default choice. Declared catalog weights win (a group an integration team
 * balances 3:1, say); otherwise the inverse square of price (prompt + completion per token), a
 * free endpoint counting as a tenth of the cheapest positive price among the candidates.
 */
final class Weights {

    private Weights() {
    }

    static double[] of(List<Endpoint> endpoints) {
        double[] weights = new double[endpoints.size()];
        if (endpoints.stream().anyMatch(e -> e.weight() != null)) {
            for (int i = 0; i < weights.length; i++) {
                Integer weight = endpoints.get(i).weight();
                weights[i] = weight == null ? 0 : weight;
            }
            return weights;
        }
        double cheapest = endpoints.stream().map(Weights::price).filter(p -> p.signum() > 0)
                .mapToDouble(BigDecimal::doubleValue).min().orElse(1);
        for (int i = 0; i < weights.length; i++) {
            double price = price(endpoints.get(i)).doubleValue();
            double effective = price > 0 ? price : cheapest / 10;
            weights[i] = 1 / (effective * effective);
        }
        return weights;
    }

    private static BigDecimal price(Endpoint endpoint) {
        return endpoint.pricing().prompt().add(endpoint.pricing().completion());
    }
}

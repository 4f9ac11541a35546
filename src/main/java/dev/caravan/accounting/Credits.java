package dev.caravan.accounting;

import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.api.FinishReasons;
import dev.caravan.api.Responses;
import dev.caravan.keys.ApiKey;
import dev.caravan.routing.Attempt;
import dev.caravan.routing.Plan;
import java.util.List;
import dev.caravan.stream.ChatStream;
import dev.caravan.stream.ChunkFramer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Credits around a request: reserve (routes/chat.camel.yaml) holds the request's maximum cost
 * before any upstream is called; record, once the answer is over (JSON written, stream ended or
 * abandoned, or failed), makes its generation record with what it really cost; settle
 * (routes/usage.camel.yaml) charges a batch of those records and releases what they held.
 */
@Component("credits")
public class Credits {

    private static final String STARTED = "caravan.startedNanos";
    private static final Usage NOTHING = new Usage(0, 0, 0, 0, 0, false);

    private final Ledger ledger;
    private final PendingGenerations pending;
    private final Clock clock;
    private final String instanceId;
    private final Duration reservationTtl;

    public Credits(Ledger ledger, PendingGenerations pending, Clock clock,
                   InstanceId instanceId,
                   @Value("${caravan.accounting.reservation-ttl:35m}") Duration reservationTtl) {
        this.ledger = ledger;
        this.pending = pending;
        this.clock = clock;
        this.instanceId = instanceId.value();
        this.reservationTtl = reservationTtl;
    }

    public void reserve(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        ApiKey key = exchange.getProperty(ApiKey.PROPERTY, ApiKey.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        List<Attempt> planned = exchange.getProperty(Plan.PROPERTY, Plan.class).planned();
        // any attempt may be the one that answers: hold enough for the most expensive
        BigDecimal amount = planned.stream().map(a -> MaxCost.of(request, a.endpoint()))
                .max(BigDecimal::compareTo).orElseThrow();
        Attempt first = planned.get(0);
        Instant now = clock.instant();
        Reservation reservation = new Reservation(exchange.getProperty(Responses.GENERATION_ID, String.class),
                key.hash(), key.accountId(), amount, first.model().id(), first.provider().name(), request.stream(),
                instanceId, now, now.plus(reservationTtl));
        ledger.reserve(reservation);
        pending.begin(reservation.generationId());
        exchange.setProperty(Reservation.PROPERTY, reservation);
        exchange.setProperty(Attribution.class.getName(), Attribution.of(exchange.getMessage(), request.body()));
    }

    /**
     * The finished request's generation record, the body the usage writer's queue gets. Nothing is
     * charged yet: the reservation holds the request's money until the usage writer settles it.
     */
    public Generation record(Exchange exchange) {
        Generation generation = generationOf(exchange, exchange.getProperty(Reservation.PROPERTY, Reservation.class));
        pending.finish(generation);
        return generation;
    }

    /**
     * Charges a batch of generation records, in as few transactions as the ledger's batch allows.
     * Settling is keyed by generation id, so a record settled already (a redelivered batch, or one
     * the reservation sweep recovered) is charged once only.
     */
    public void settle(List<Generation> batch) {
        ledger.settle(batch.stream().map(Generation::settlement).toList());
    }

    private Generation generationOf(Exchange exchange, Reservation reservation) {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatStream stream = exchange.getProperty(ChatStream.PROPERTY, ChatStream.class);
        Charge charge = exchange.getProperty(Charge.PROPERTY, Charge.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer httpStatus = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        String status = "success";
        String errorType = null;
        boolean cancelled = false;
        if (stream != null) {
            ChunkFramer framer = stream.framer();
            cancelled = !stream.completed();
            String finish = framer.finishReason();
            charge = new Charge(framer.usage(), framer.cost(), FinishReasons.normalize(finish), finish);
            status = cancelled ? "cancelled" : "error".equals(finish) ? "error" : "success";
        } else if (charge == null) {
            // a Charge means an attempt answered: an earlier attempt's failure, still in
            // EXCEPTION_CAUGHT after a fallback, must not turn it into a free error
            charge = new Charge(NOTHING, BigDecimal.ZERO, null, null);
            status = "error";
            errorType = failure instanceof ApiException api ? api.type() : "internal_error";
        }
        Long started = exchange.getProperty(STARTED, Long.class);
        long latencyMs = started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Attribution attribution = exchange.getProperty(Attribution.class.getName(), Attribution.class);
        return new Generation(reservation.generationId(), reservation.createdAt(), reservation.keyHash(),
                reservation.accountId(), attempt.model().id(), attempt.provider().name(),
                attempt.endpoint().upstreamModel(), status, httpStatus, errorType, stream != null, cancelled,
                charge.finishReason(), charge.nativeFinishReason(), charge.usage(), charge.cost(),
                reservation.amount(), latencyMs, latencyMs, attribution, instanceId, false);
    }
}

package dev.caravan.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Cases: a name as long as the reservations' column is taken; a longer or a blank one stops the start. */
class InstanceIdTest {

    @Test
    void aNameTheRecordsCannotHoldIsRefused() {
        assertThat(new InstanceId("i".repeat(100)).value()).hasSize(100);
        assertThatThrownBy(() -> new InstanceId("i".repeat(101)))
                .hasMessageStartingWith("caravan.instance-id must be 1 to 100 characters (every reservation records it), got 101");
        assertThatThrownBy(() -> new InstanceId(" ")).hasMessageContaining("got 1");
    }
}

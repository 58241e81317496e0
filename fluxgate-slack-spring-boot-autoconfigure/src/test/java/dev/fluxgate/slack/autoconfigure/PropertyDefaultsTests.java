package dev.fluxgate.slack.autoconfigure;

import dev.fluxgate.slack.AsyncSlackListener;
import dev.fluxgate.slack.client.WebClientSlackClient;
import dev.fluxgate.slack.delivery.ChannelPacer;
import dev.fluxgate.slack.delivery.RetryPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults of {@code fluxgate.slack.*} are the core's defaults. The properties spell them out for the
 * configuration metadata; this keeps the two from drifting apart.
 */
class PropertyDefaultsTests {

	private final FluxgateSlackProperties properties = new FluxgateSlackProperties();

	@Test
	void clientDefaultsAreTheClients() {
		assertThat(this.properties.getBaseUrl()).isEqualTo(WebClientSlackClient.DEFAULT_BASE_URL);
		assertThat(this.properties.getTimeout()).isEqualTo(WebClientSlackClient.DEFAULT_TIMEOUT);
	}

	@Test
	void asyncDefaultsAreTheAsyncListeners() {
		assertThat(this.properties.getMode()).isEqualTo(FluxgateSlackProperties.Mode.ASYNC);
		assertThat(this.properties.getQueueCapacity()).isEqualTo(AsyncSlackListener.DEFAULT_QUEUE_CAPACITY);
		assertThat(this.properties.getShutdownTimeout()).isEqualTo(AsyncSlackListener.DEFAULT_CLOSE_TIMEOUT);
		assertThat(this.properties.getCoalescing().getAfter()).isEqualTo(AsyncSlackListener.DEFAULT_COALESCING_AFTER);
	}

	@Test
	void pacingDefaultsAreThePacers() {
		assertThat(this.properties.getPacing().getRate()).isEqualTo(ChannelPacer.DEFAULT_RATE);
		assertThat(this.properties.getPacing().getBurst()).isEqualTo(ChannelPacer.DEFAULT_BURST);
	}

	@Test
	void aReplicaIsNamedByItsHostProcessAndARandomPartUnlessNamedByHand() {
		assertThat(this.properties.getStore()).isEqualTo(FluxgateSlackProperties.Store.MEMORY);
		assertThat(SlackSettings.instanceId(null)).contains("-" + ProcessHandle.current().pid() + "-");
		assertThat(SlackSettings.instanceId(" payment-0 ")).isEqualTo("payment-0");
	}

	@Test
	void retryDefaultsAreTheDefaultPolicys() {
		FluxgateSlackProperties.Retry retry = this.properties.getRetry();
		assertThat(new RetryPolicy(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
				retry.getMaxRetryAfter()))
			.isEqualTo(RetryPolicy.DEFAULT);
	}

}

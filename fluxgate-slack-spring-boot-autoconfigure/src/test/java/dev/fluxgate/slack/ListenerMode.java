package dev.fluxgate.slack;

import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.fluxgate.slack.delivery.RetryPolicy;

/**
 * Builds the sync or the async listener against a {@link SlackStandIn}, so that each thread rule is proven in both.
 */
public enum ListenerMode {

	SYNC {
		@Override
		AbstractSlackListener create(SlackStandIn slack, UnaryOperator<AbstractSlackListener.Builder<?>> customizer) {
			SlackListener.Builder builder = SlackListener.builder().deadline(Duration.ofSeconds(10));
			customizer.apply(configure(builder, slack));
			return builder.build();
		}
	},

	ASYNC {
		@Override
		AbstractSlackListener create(SlackStandIn slack, UnaryOperator<AbstractSlackListener.Builder<?>> customizer) {
			AsyncSlackListener.Builder builder = AsyncSlackListener.builder().coalescing(false);
			customizer.apply(configure(builder, slack));
			return builder.build();
		}
	};

	static final RetryPolicy FAST_RETRIES = new RetryPolicy(5, Duration.ofMillis(50), Duration.ofMillis(200));

	/**
	 * Create the listener against a fixture's stand-in, observed by its recording observer and closed after the test.
	 */
	AbstractSlackListener create(ListenerFixture fixture, UnaryOperator<AbstractSlackListener.Builder<?>> customizer) {
		return fixture.use(create(fixture.slack(), (builder) -> {
			fixture.observe(builder);
			return customizer.apply(builder);
		}));
	}

	AbstractSlackListener create(ListenerFixture fixture) {
		return create(fixture, UnaryOperator.identity());
	}

	AbstractSlackListener create(SlackStandIn slack) {
		return create(slack, UnaryOperator.identity());
	}

	abstract AbstractSlackListener create(SlackStandIn slack,
			UnaryOperator<AbstractSlackListener.Builder<?>> customizer);

	private static <B extends AbstractSlackListener.Builder<B>> B configure(B builder, SlackStandIn slack) {
		return slack.configure(builder)
			.timeout(Duration.ofSeconds(2))
			.retryPolicy(FAST_RETRIES);
	}

}

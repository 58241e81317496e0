package dev.fluxgate.slack.thread;

import dev.fluxgate.slack.delivery.DeliveryObserver;

/**
 * A fallback store over a healthy shared store keeps the thread store contract; its fallback is specified against
 * a real Redis that stops, in {@code RedisStoreApplicationTests}.
 */
class FallbackThreadStoreTests extends ThreadStoreContractTests {

	@Override
	protected ThreadStore createStore() {
		return new FallbackThreadStore(new InMemoryThreadStore(), () -> DeliveryObserver.NONE);
	}

}

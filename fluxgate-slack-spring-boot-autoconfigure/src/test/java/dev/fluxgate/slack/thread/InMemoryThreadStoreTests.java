package dev.fluxgate.slack.thread;

/**
 * The in-memory store keeps the thread store contract.
 */
class InMemoryThreadStoreTests extends ThreadStoreContractTests {

	@Override
	protected ThreadStore createStore() {
		return new InMemoryThreadStore();
	}

}

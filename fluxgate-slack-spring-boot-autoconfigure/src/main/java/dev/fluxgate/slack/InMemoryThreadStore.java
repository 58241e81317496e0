package dev.fluxgate.slack;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ThreadStore} that lives as long as the application.
 */
public class InMemoryThreadStore implements ThreadStore {

	private final ConcurrentMap<String, SlackThread> threads = new ConcurrentHashMap<>();

	@Override
	public Optional<SlackThread> find(String circuitBreaker) {
		return Optional.ofNullable(this.threads.get(circuitBreaker));
	}

	@Override
	public void save(SlackThread thread) {
		this.threads.put(thread.circuitBreaker(), thread);
	}

	@Override
	public boolean remove(String circuitBreaker) {
		return this.threads.remove(circuitBreaker) != null;
	}

	@Override
	public Collection<SlackThread> findAll() {
		return List.copyOf(this.threads.values());
	}

	@Override
	public int count() {
		return this.threads.size();
	}

}

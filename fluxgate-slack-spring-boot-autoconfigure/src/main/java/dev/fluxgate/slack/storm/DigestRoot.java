package dev.fluxgate.slack.storm;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A posted storm digest, whose root lists its breakers' states.
 */
final class DigestRoot {

	final String channel;

	final String ts;

	final String title;

	final String color;

	final Map<String, CircuitBreaker.State> states;

	DigestRoot(String channel, String ts, String title, String color, Map<String, CircuitBreaker.State> states) {
		this.channel = channel;
		this.ts = ts;
		this.title = title;
		this.color = color;
		this.states = new LinkedHashMap<>(states);
	}

	Map<String, CircuitBreaker.State> statesCopy() {
		synchronized (this.states) {
			return new LinkedHashMap<>(this.states);
		}
	}

}

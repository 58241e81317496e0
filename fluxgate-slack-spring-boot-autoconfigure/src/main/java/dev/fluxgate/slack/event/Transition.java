package dev.fluxgate.slack.event;

import java.util.Locale;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * A change of a circuit breaker from one state to another.
 *
 * @param from the state left
 * @param to the state entered
 */
public record Transition(State from, State to) {

	public Transition {
		Objects.requireNonNull(from, "from must not be null");
		Objects.requireNonNull(to, "to must not be null");
	}

	/**
	 * Return the transition between two states.
	 * @param from the state left
	 * @param to the state entered
	 * @return the transition
	 */
	public static Transition of(State from, State to) {
		return new Transition(from, to);
	}

	/**
	 * Parse a key such as {@code closed-to-open} or {@code half-open-to-closed}.
	 * @param key the kebab-case key
	 * @return the transition
	 * @throws IllegalArgumentException if the key is not {@code <state>-to-<state>} of known states
	 */
	public static Transition parse(String key) {
		String normalized = (key != null) ? key.trim().toLowerCase(Locale.ROOT).replace('_', '-') : "";
		int separator = normalized.indexOf("-to-");
		if (separator > 0) {
			State from = state(normalized.substring(0, separator));
			State to = state(normalized.substring(separator + 4));
			if (from != null && to != null) {
				return new Transition(from, to);
			}
		}
		throw new IllegalArgumentException("'" + key + "' is not a transition like closed-to-open; known states are "
				+ String.join(", ", stateKeys()));
	}

	/**
	 * Return this transition as a kebab-case key, such as {@code half-open-to-closed}.
	 * @return the key
	 */
	public String key() {
		return key(this.from) + "-to-" + key(this.to);
	}

	@Override
	public String toString() {
		return this.from + " → " + this.to;
	}

	static String key(State state) {
		return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static java.util.List<String> stateKeys() {
		return java.util.Arrays.stream(State.values()).map(Transition::key).toList();
	}

	private static State state(String key) {
		for (State state : State.values()) {
			if (key(state).equals(key)) {
				return state;
			}
		}
		return null;
	}

}

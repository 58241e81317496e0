package dev.fluxgate.slack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The message templates of a listener: one per known transition plus a fallback for any other.
 */
public final class Templates {

	private static final Templates DEFAULTS;

	static {
		Map<Transition, Template> transitions = new LinkedHashMap<>();
		transitions.put(Transition.of(State.CLOSED, State.OPEN), new Template("🚨 Circuit Breaker Triggered", "#FF4C4C",
				"The request failure rate exceeded the threshold."));
		transitions.put(Transition.of(State.OPEN, State.HALF_OPEN), new Template(
				"🔄 Attempting Circuit Breaker Recovery", "#FFA500", "Testing service status with partial requests."));
		transitions.put(Transition.of(State.HALF_OPEN, State.OPEN), new Template("⚠️ Circuit Breaker Re-triggered",
				"#FF4C4C", "Test request failed, reverting to open state."));
		transitions.put(Transition.of(State.HALF_OPEN, State.CLOSED), new Template("✅ Circuit Breaker Recovered",
				"#36a64f", "Test request succeeded, service is now healthy."));
		DEFAULTS = new Templates(transitions, new Template("ℹ️ Circuit Breaker State Changed", "#808080",
				"Circuit breaker state has been changed."));
	}

	private final Map<Transition, Template> transitions;

	private final Template fallback;

	private Templates(Map<Transition, Template> transitions, Template fallback) {
		this.transitions = Collections.unmodifiableMap(new LinkedHashMap<>(transitions));
		this.fallback = Objects.requireNonNull(fallback, "fallback must not be null");
	}

	/**
	 * Return the templates of the fluxgate Slack listener.
	 * @return the default templates
	 */
	public static Templates defaults() {
		return DEFAULTS;
	}

	/**
	 * Return templates made of exactly the given transition templates and fallback.
	 * @param transitions the template of each transition
	 * @param fallback the template of any transition not in {@code transitions}
	 * @return the templates
	 */
	public static Templates of(Map<Transition, Template> transitions, Template fallback) {
		return new Templates(Objects.requireNonNull(transitions, "transitions must not be null"), fallback);
	}

	/**
	 * Return a copy in which the given transition uses the given template.
	 * @param transition the transition
	 * @param template its template
	 * @return the new templates
	 */
	public Templates with(Transition transition, Template template) {
		Map<Transition, Template> copy = new LinkedHashMap<>(this.transitions);
		copy.put(transition, Objects.requireNonNull(template, "template must not be null"));
		return new Templates(copy, this.fallback);
	}

	/**
	 * Return a copy with the given fallback template.
	 * @param fallback the template of any transition without one of its own
	 * @return the new templates
	 */
	public Templates withFallback(Template fallback) {
		return new Templates(this.transitions, fallback);
	}

	/**
	 * Return the template for a transition, or the fallback.
	 * @param transition the transition
	 * @return its template
	 */
	public Template forTransition(Transition transition) {
		return this.transitions.getOrDefault(transition, this.fallback);
	}

	/**
	 * Return the templates of the transitions that have one of their own.
	 * @return an unmodifiable map
	 */
	public Map<Transition, Template> transitions() {
		return this.transitions;
	}

	/**
	 * Return the template of any other transition.
	 * @return the fallback template
	 */
	public Template fallback() {
		return this.fallback;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Templates that) && this.transitions.equals(that.transitions)
				&& this.fallback.equals(that.fallback);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.transitions, this.fallback);
	}

	@Override
	public String toString() {
		return "Templates" + this.transitions + " fallback=" + this.fallback;
	}

}

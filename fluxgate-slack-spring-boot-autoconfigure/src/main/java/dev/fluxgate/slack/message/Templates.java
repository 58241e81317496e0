package dev.fluxgate.slack.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.fluxgate.slack.event.Transition;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * The message templates of a listener: one per known transition plus a fallback for any other, and the wording of
 * the messages that tell several transitions at once: a storm digest's root and recovery, and a coalesced reply.
 * <p>
 * Digest templates may use {@code {count}}; their title and colour are used. The coalesced template may use
 * {@code {count}}, {@code {states}}, {@code {name}}, {@code {from}}, {@code {to}} and {@code {transition}}; its title
 * and description are used, and the reply takes the colour of its last transition's template.
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
				"Circuit breaker state has been changed."),
				new Template("🚨 {count} more circuit breakers opened", "#FF4C4C",
						"Breakers that trip while Slack holds the channel back are told together."),
				new Template("✅ {count} circuit breakers recovered", "#36a64f",
						"The digest's breakers that are healthy again."),
				new Template("🔁 {count} transitions ({states}) — now {to}", "#808080",
						"{count} transitions came faster than Slack takes messages; the last was {transition}."));
	}

	private final Map<Transition, Template> transitions;

	private final Template fallback;

	private final Template digestOpened;

	private final Template digestRecovered;

	private final Template coalesced;

	private Templates(Map<Transition, Template> transitions, Template fallback, Template digestOpened,
			Template digestRecovered, Template coalesced) {
		this.transitions = Collections.unmodifiableMap(new LinkedHashMap<>(transitions));
		this.fallback = Objects.requireNonNull(fallback, "fallback must not be null");
		this.digestOpened = Objects.requireNonNull(digestOpened, "digestOpened must not be null");
		this.digestRecovered = Objects.requireNonNull(digestRecovered, "digestRecovered must not be null");
		this.coalesced = Objects.requireNonNull(coalesced, "coalesced must not be null");
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
		return new Templates(Objects.requireNonNull(transitions, "transitions must not be null"), fallback,
				DEFAULTS.digestOpened, DEFAULTS.digestRecovered, DEFAULTS.coalesced);
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
		return new Templates(copy, this.fallback, this.digestOpened, this.digestRecovered, this.coalesced);
	}

	/**
	 * Return a copy with the given fallback template.
	 * @param fallback the template of any transition without one of its own
	 * @return the new templates
	 */
	public Templates withFallback(Template fallback) {
		return new Templates(this.transitions, fallback, this.digestOpened, this.digestRecovered, this.coalesced);
	}

	/**
	 * Return a copy with the given storm digest templates.
	 * @param opened the root of a digest, listing the breakers that opened
	 * @param recovered the reply telling the digest's breakers that recovered
	 * @return the new templates
	 */
	public Templates withDigest(Template opened, Template recovered) {
		return new Templates(this.transitions, this.fallback, opened, recovered, this.coalesced);
	}

	/**
	 * Return a copy with the given template for coalesced replies.
	 * @param coalesced the template of one reply telling several transitions of a breaker
	 * @return the new templates
	 */
	public Templates withCoalesced(Template coalesced) {
		return new Templates(this.transitions, this.fallback, this.digestOpened, this.digestRecovered, coalesced);
	}

	/**
	 * Return the template of a storm digest's root.
	 * @return the template
	 */
	public Template digestOpened() {
		return this.digestOpened;
	}

	/**
	 * Return the template of a storm digest's recovery.
	 * @return the template
	 */
	public Template digestRecovered() {
		return this.digestRecovered;
	}

	/**
	 * Return the template of a coalesced reply.
	 * @return the template
	 */
	public Template coalesced() {
		return this.coalesced;
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
				&& this.fallback.equals(that.fallback) && this.digestOpened.equals(that.digestOpened)
				&& this.digestRecovered.equals(that.digestRecovered) && this.coalesced.equals(that.coalesced);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.transitions, this.fallback, this.digestOpened, this.digestRecovered, this.coalesced);
	}

	@Override
	public String toString() {
		return "Templates" + this.transitions + " fallback=" + this.fallback;
	}

}

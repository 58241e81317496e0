package dev.fluxgate.slack.message;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * One circuit breaker's line in the fleet's storm digest: its state and how many instances it is failing on.
 * @param state the state shown: the most severe among the instances it is failing on, or where it recovered
 * @param instances how many instances it is failing on, {@code 0} once it recovered everywhere
 */
public record FleetDigestLine(State state, int instances) {

	@Override
	public String toString() {
		if (this.instances == 0) {
			return this.state.toString();
		}
		return this.state + " on " + this.instances + ((this.instances == 1) ? " instance" : " instances");
	}

}

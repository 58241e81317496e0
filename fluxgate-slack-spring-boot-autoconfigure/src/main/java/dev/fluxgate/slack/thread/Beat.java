package dev.fluxgate.slack.thread;

import java.util.List;
import java.util.Set;

/**
 * What a shared store answered to one replica's heartbeat.
 *
 * @param gone the cycles this replica renewed no longer: its breaker's thread ended, or this replica is no longer a
 * member of it
 * @param abandoned the cycles, of any replica, whose last sign of life is older than the silence asked about: their
 * members may all be gone
 */
public record Beat(Set<String> gone, List<String> abandoned) {

	public Beat {
		gone = Set.copyOf(gone);
		abandoned = List.copyOf(abandoned);
	}

}

package dev.fluxgate.slack.action;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.fluxgate.slack.client.SlackClient;
import dev.fluxgate.slack.client.UsergroupUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An {@link ActionAuthorizer} that lets act the users it lists and the members of the user groups it lists, read
 * with {@code usergroups.users.list} and kept for a while.
 */
public class AllowListAuthorizer implements ActionAuthorizer {

	/** How long a group's members are kept by default. */
	public static final Duration DEFAULT_MEMBERS_TTL = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(AllowListAuthorizer.class);

	private final Set<String> users;

	private final Set<String> groups;

	private final SlackClient client;

	private final Duration membersTtl;

	private final Map<String, Mono<Set<String>>> members = new ConcurrentHashMap<>();

	/**
	 * Create an authorizer.
	 * @param users the user IDs that may act
	 * @param groups the user-group IDs whose members may act
	 * @param client reads the groups' members
	 * @param membersTtl how long a group's members are kept
	 */
	public AllowListAuthorizer(Set<String> users, Set<String> groups, SlackClient client, Duration membersTtl) {
		this.users = Set.copyOf(users);
		this.groups = Set.copyOf(new LinkedHashSet<>(groups));
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.membersTtl = Objects.requireNonNull(membersTtl, "membersTtl must not be null");
	}

	@Override
	public Mono<Boolean> mayAct(String userId) {
		if (userId == null) {
			return Mono.just(false);
		}
		if (this.users.contains(userId)) {
			return Mono.just(true);
		}
		return Flux.fromIterable(this.groups)
			.concatMap((group) -> members(group).map((ids) -> ids.contains(userId)))
			.any(Boolean::booleanValue);
	}

	private Mono<Set<String>> members(String group) {
		return this.members.computeIfAbsent(group, (id) -> this.client.usergroupMembers(id)
			.map(UsergroupUsers::users)
			.<Set<String>>map(Set::copyOf)
			.onErrorResume((ex) -> {
				logger.warn("Could not read the members of Slack user group {} (usergroups.users.list, scope "
						+ "usergroups:read): {}; its members may not act until it can be read", id, ex.getMessage());
				return Mono.just(Set.of());
			})
			.cache((read) -> read.isEmpty() ? Duration.ZERO : this.membersTtl, (ex) -> Duration.ZERO,
					() -> Duration.ZERO));
	}

	@Override
	public String toString() {
		return "AllowListAuthorizer[users=" + this.users + ", groups=" + this.groups + "]";
	}

}

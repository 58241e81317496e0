package dev.fluxgate.slack.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Slack's answer to {@code usergroups.users.list}: the members of a user group.
 *
 * @param ok whether the call succeeded
 * @param users the members' user IDs
 * @param error the error code when {@code ok} is false
 * @param warning a warning Slack adds to a successful call
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsergroupUsers(boolean ok, List<String> users, String error, String warning) implements SlackAnswer {

	public UsergroupUsers {
		users = (users != null) ? List.copyOf(users) : List.of();
	}

}

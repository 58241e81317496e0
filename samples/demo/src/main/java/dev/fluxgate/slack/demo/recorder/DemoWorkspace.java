package dev.fluxgate.slack.demo.recorder;

/**
 * Who the recorder says the demo's workspace, app and user are.
 */
public final class DemoWorkspace {

	/** The workspace's ID, which {@code auth.test} answers and every click carries. */
	public static final String TEAM_ID = "T0DEMO";

	/** The user the page clicks as, allowed by {@code fluxgate.slack.actions.allowed-users}. */
	public static final String USER_ID = "U0DEMO";

	/** A user group whose only member is {@link #USER_ID}. */
	public static final String GROUP_ID = "S0DEMO";

	private DemoWorkspace() {
	}

}

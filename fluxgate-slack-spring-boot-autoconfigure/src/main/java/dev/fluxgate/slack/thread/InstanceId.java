package dev.fluxgate.slack.thread;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The default name of a replica: its host name, its process id and a random part made once per process, so that two
 * processes never share one, even on one host network or where every container's process id is 1.
 */
public final class InstanceId {

	private static final String OF_THIS_PROCESS = host() + "-" + ProcessHandle.current().pid() + "-"
			+ HexFormat.of().formatHex(new SecureRandom().generateSeed(3));

	private InstanceId() {
	}

	/**
	 * Return this process's default instance id.
	 * @return the instance id, the same for the whole process
	 */
	public static String generate() {
		return OF_THIS_PROCESS;
	}

	private static String host() {
		String host = System.getenv("HOSTNAME");
		if (host != null && !host.isBlank()) {
			return host.trim();
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}

package dev.fluxgate.slack.thread;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;

/**
 * The default name of a replica: its host name, its process id and a random part made once per process, so that two
 * processes never share one, even on one host network or where every container's process id is 1.
 */
public final class InstanceId {

	private static final String OF_THIS_PROCESS = host() + "-" + ProcessHandle.current().pid() + "-" + random();

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
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "unknown-host";
		}
	}

	private static String random() {
		String random = Long.toString(new SecureRandom().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
		return "0".repeat(6 - random.length()) + random;
	}

}

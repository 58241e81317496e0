package dev.fluxgate.slack.client;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The rules for a Web API base URL the bot token may be sent to: http(s) with a host, no credentials in it, and plain
 * http only on loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}).
 */
public final class SlackBaseUrl {

	private static final Pattern IPV4_LOOPBACK = Pattern
		.compile("127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}");

	private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@]*@");

	private SlackBaseUrl() {
	}

	/**
	 * Return why a base URL cannot be used.
	 * @param baseUrl the base URL
	 * @return the reason, or {@code null} when it can be used
	 */
	public static String problem(String baseUrl) {
		URI uri;
		try {
			uri = URI.create((baseUrl != null) ? baseUrl : "");
		}
		catch (IllegalArgumentException ex) {
			return "it is not a URL: " + mask(ex.getMessage());
		}
		if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
			return "it is not an http(s) URL with a host";
		}
		if (uri.getRawUserInfo() != null) {
			return "it carries credentials (user:password@), which would travel with every call and show in logs";
		}
		if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
			return "plain http would send the bot token across the network unencrypted";
		}
		return null;
	}

	/**
	 * Whether a host is this machine's loopback: {@code localhost}, an address in {@code 127.0.0.0/8}, or
	 * {@code [::1]}. Never looks a name up.
	 * @param host the host
	 * @return whether it is loopback
	 */
	public static boolean isLoopback(String host) {
		return "localhost".equalsIgnoreCase(host) || IPV4_LOOPBACK.matcher(host).matches() || "[::1]".equals(host)
				|| "::1".equals(host);
	}

	/**
	 * Return a base URL fit for a message: with any credentials in it replaced by {@code ******}.
	 * @param baseUrl the base URL, or {@code null}
	 * @return the masked URL
	 */
	public static String mask(String baseUrl) {
		return (baseUrl != null) ? USER_INFO.matcher(baseUrl).replaceAll("******@") : null;
	}

}

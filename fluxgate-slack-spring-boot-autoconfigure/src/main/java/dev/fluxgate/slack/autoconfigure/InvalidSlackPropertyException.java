package dev.fluxgate.slack.autoconfigure;

/**
 * A {@code fluxgate.slack.*} setting that cannot work, with what to do about it.
 */
public class InvalidSlackPropertyException extends RuntimeException {

	private final String property;

	private final String value;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the property's name
	 * @param value the value as shown to the user, never a secret
	 * @param reason why it cannot work
	 * @param action what to do about it
	 */
	public InvalidSlackPropertyException(String property, String value, String reason, String action) {
		super("Invalid " + property + " (" + value + "): " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	public String getReason() {
		return this.reason;
	}

	public String getAction() {
		return this.action;
	}

}

package dev.fluxgate.slack.message;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Title, attachment colour and description of the message posted for a transition.
 *
 * @param title message title, emoji allowed
 * @param color hex colour of the attachment's side bar, {@code #RRGGBB}
 * @param description detailed description of the state change
 */
public record Template(String title, String color, String description) {

	private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

	public Template {
		Objects.requireNonNull(title, "title must not be null");
		Objects.requireNonNull(color, "color must not be null");
		Objects.requireNonNull(description, "description must not be null");
		if (!isColor(color)) {
			throw new IllegalArgumentException("color '" + color + "' is not a hex colour like #FF4C4C");
		}
	}

	/**
	 * Whether the given text is a colour Slack accepts for an attachment, {@code #RRGGBB}.
	 * @param color the text to check
	 * @return whether it is a hex colour
	 */
	public static boolean isColor(String color) {
		return color != null && COLOR.matcher(color).matches();
	}

	/**
	 * Return a copy with the given fields replaced, keeping this template's value where one is {@code null}.
	 * @param title the new title or {@code null}
	 * @param color the new colour or {@code null}
	 * @param description the new description or {@code null}
	 * @return the merged template
	 */
	public Template merge(String title, String color, String description) {
		return new Template((title != null) ? title : this.title, (color != null) ? color : this.color,
				(description != null) ? description : this.description);
	}

}

package io.github.visitorcounter.privacy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Decides, before anything is stored, whether a visit may be counted. A visit that may
 * not is still answered with the count; the {@code Visit-Not-Counted} header says why.
 */
@Component
public class CountingPolicy {

	private final boolean respectDnt;

	private final List<String> botUserAgents;

	private final List<IpRange> excludedRanges;

	public CountingPolicy(PrivacyProperties properties) {
		this.respectDnt = properties.respectDnt();
		this.botUserAgents = properties.botFilter().enabled() ? properties.botFilter()
			.userAgents()
			.stream()
			.map((fragment) -> fragment.toLowerCase(Locale.ROOT))
			.filter((fragment) -> !fragment.isBlank())
			.toList() : null;
		this.excludedRanges = properties.excludedIps().stream().map(IpRange::parse).toList();
	}

	/** Why the visit must not be counted, or empty when it may be. */
	public Optional<String> notCountedReason(Client client) {
		if (!this.excludedRanges.isEmpty()) {
			byte[] address = IpRange.literalOrNull(client.address());
			if (this.excludedRanges.stream().anyMatch((range) -> range.contains(address))) {
				return Optional.of("excluded-address");
			}
		}
		if (this.respectDnt && (client.doNotTrack() || client.globalPrivacyControl())) {
			return Optional.of("do-not-track");
		}
		if (this.botUserAgents != null && isBot(client.userAgent())) {
			return Optional.of("bot");
		}
		return Optional.empty();
	}

	private boolean isBot(String userAgent) {
		if (userAgent == null || userAgent.isBlank()) {
			return true;
		}
		String lowerCase = userAgent.toLowerCase(Locale.ROOT);
		return this.botUserAgents.stream().anyMatch(lowerCase::contains);
	}

}

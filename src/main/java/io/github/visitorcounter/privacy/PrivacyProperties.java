package io.github.visitorcounter.privacy;

import java.util.List;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which visits are answered but not counted.
 *
 * @param respectDnt skip visits that send {@code DNT: 1} or {@code Sec-GPC: 1}
 * @param botFilter skip known crawlers and requests without a {@code User-Agent}
 * @param excludedIps addresses and CIDR ranges that are never counted (the owner's own
 * network, say)
 */
@Validated
@ConfigurationProperties("visitors")
public record PrivacyProperties(@DefaultValue("false") boolean respectDnt, @DefaultValue @Valid BotFilter botFilter,
		@DefaultValue List<@ValidIpRange String> excludedIps) {

	/**
	 * @param enabled whether crawlers are filtered
	 * @param userAgents case-insensitive fragments of crawler {@code User-Agent}s
	 */
	public record BotFilter(@DefaultValue("true") boolean enabled, @DefaultValue( {
			"bot", "crawl", "spider", "slurp", "mediapartners", "facebookexternalhit", "bingpreview", "embedly",
			"preview", "lighthouse", "pingdom", "uptime", "monitor", "validator",
			"archiver" }) List<String> userAgents){

	}

}

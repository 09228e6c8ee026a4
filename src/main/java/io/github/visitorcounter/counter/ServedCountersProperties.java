package io.github.visitorcounter.counter;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which counters a deployment serves, bound from {@code visitors.*}.
 *
 * @param counters the counters served: names, and patterns in which {@code *} stands for
 * any run of name characters (such as {@code post-*}); empty serves any name
 * @param maxCounters most counters that visits may create: counters matched by a pattern,
 * or any name when {@code counters} is empty; listed names and counters the owner creates
 * do not count against it
 */
@Validated
@ConfigurationProperties("visitors")
public record ServedCountersProperties(
		@DefaultValue List<@Pattern(regexp = "[a-z0-9*][a-z0-9._*-]{0,63}",
				message = "must be a counter name, or a pattern of name characters and *") String> counters,
		@DefaultValue("1000") @Min(0) int maxCounters) {

}

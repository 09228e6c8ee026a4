package io.github.visitorcounter.counter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How changed counts are announced, bound from {@code visitors.live.*}.
 *
 * @param sharded publish changes with {@code SPUBLISH} on sharded channels (Redis 7.0+,
 * stays on the counter's shard in a cluster); {@code false} uses {@code PUBLISH} for
 * Redis 6, where a cluster broadcasts every message to every node
 */
@ConfigurationProperties("visitors.live")
public record ChannelProperties(@DefaultValue("true") boolean sharded) {

	/** The Redis command that announces a changed count. */
	String publishCommand() {
		return this.sharded ? "SPUBLISH" : "PUBLISH";
	}

}

package io.github.visitorcounter.system;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Health checks, bound from {@code visitors.health.*}.
 *
 * @param redisCheckInterval least time between two checks of Redis, however often the
 * health endpoints are polled
 */
@Validated
@ConfigurationProperties("visitors.health")
record HealthProperties(@DefaultValue("30s") @DurationMin(millis = 0) Duration redisCheckInterval) {

}

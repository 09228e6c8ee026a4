package io.github.visitorcounter.counter;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The pages of a counter, bound from {@code visitors.pages.*} (environment:
 * {@code VISITORS_PAGES_*}).
 *
 * @param maxPerCounter the most pages a counter holds: a visit to a page past it is
 * answered, and counted for the counter, but the page is not created; it bounds the keys
 * one counter may make
 */
@Validated
@ConfigurationProperties("visitors.pages")
public record PageProperties(@DefaultValue("10000") @Min(1) int maxPerCounter) {

}

package io.github.visitorcounter.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ActiveProfiles;

/**
 * Starts the application under test with the {@value #PROFILE} profile
 * ({@code application-nolimits.properties}): no rate limit and no new-visitor cap, for
 * tests that send many requests from one address and expect every one of them counted.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ActiveProfiles(WithoutLimits.PROFILE)
public @interface WithoutLimits {

	/** For an application a test starts by itself. */
	String PROFILE = "nolimits";

}

package io.github.visitorcounter.counter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

/**
 * The value is a valid counter name ({@link CounterNames#PATTERN}); {@code null} is
 * valid, for the routes whose bare path is the default counter.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = CounterNames.PATTERN)
@ReportAsSingleViolation
@Target({ ElementType.PARAMETER, ElementType.FIELD, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface CounterName {

	String message() default CounterNames.MESSAGE;

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}

package io.github.visitorcounter.privacy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The value is an IP address or CIDR range that {@link IpRange} can parse.
 */
@Documented
@Constraint(validatedBy = ValidIpRange.Validator.class)
@Target({ ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@interface ValidIpRange {

	String message() default "must be an IP address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<ValidIpRange, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			try {
				return value == null || IpRange.parse(value) != null;
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

	}

}

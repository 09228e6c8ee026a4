package io.github.visitorcounter.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Matches only when {@code VISITORS_ADMIN_TOKEN} ({@code visitors.admin-token}) is set
 * and not blank.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@ConditionalOnExpression("!'${visitors.admin-token:}'.isBlank()")
@interface ConditionalOnAdminToken {

}

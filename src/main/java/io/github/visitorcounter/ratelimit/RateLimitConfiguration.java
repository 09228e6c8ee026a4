package io.github.visitorcounter.ratelimit;

import io.github.visitorcounter.counter.RegistrationScript;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the request budget and the new-visitor cap to the registration script, which
 * enforces both atomically with the visit.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	RegistrationScript.Limits registrationLimits(RateLimitProperties budget, NewVisitorCapProperties cap) {
		return new RegistrationScript.Limits(budget.enabled() ? budget.requests() : 0, budget.window(),
				cap.enabled() ? cap.perIp() : 0, cap.window());
	}

}

package io.github.visitorcounter.counter;

import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis model: the key layout, the digests that stand for ids and addresses, and the
 * scripts. The limits the registration script enforces come from the feature that owns
 * them, as a {@link RegistrationScript.Limits} bean.
 */
@Configuration(proxyBeanMethods = false)
class CounterConfiguration {

	private static final Log logger = LogFactory.getLog(CounterConfiguration.class);

	/** Decides which day a visit belongs to; tests replace it to simulate days. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	VisitDays visitDays(DayProperties days, Clock clock) {
		return new VisitDays(days, clock);
	}

	@Bean
	CounterKeys counterKeys(CounterProperties properties) {
		if (!properties.hasIdSecret()) {
			logger.warn("VISITORS_ID_SECRET is not set: visitor ids are hashed with the built-in default key. "
					+ "Set it to a long random value before going live; changing it later makes every visitor count again.");
		}
		return new CounterKeys(properties.keyPrefix(), new KeyedHasher(properties.effectiveIdSecret()));
	}

	@Bean
	LuaScripts luaScripts(StringRedisTemplate redis) {
		return new LuaScripts(redis, RegistrationScript.SCRIPT, AdminFailuresScript.SCRIPT, DailyUniquesScript.SCRIPT,
				CounterRegistry.SCRIPT, PageStore.SCRIPT, CounterAdministration.RESET_PAGE_SCRIPT);
	}

	@Bean
	RegistrationScript registrationScript(LuaScripts scripts, CounterKeys keys, CounterRegistry registry,
			CounterProperties counters, VisitDays days, ChannelProperties channels, RegistrationScript.Limits limits,
			PageProperties pages) {
		return new RegistrationScript(scripts, keys, registry, counters, days, channels, limits, pages);
	}

	@Bean
	AdminFailuresScript adminFailuresScript(LuaScripts scripts, CounterKeys keys) {
		return new AdminFailuresScript(scripts, keys);
	}

	@Bean
	DailyUniquesScript dailyUniquesScript(LuaScripts scripts, CounterKeys keys, VisitDays days, ServedCounters served) {
		return new DailyUniquesScript(scripts, keys, days, served);
	}

	@Bean
	CounterStore counterStore(StringRedisTemplate redis, CounterKeys keys, ServedCounters served) {
		return new CounterStore(redis, keys, served);
	}

	@Bean
	PageStore pageStore(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys, ServedCounters served) {
		return new PageStore(redis, scripts, keys, served);
	}

	@Bean
	ServedCounters servedCounters(ServedCountersProperties properties) {
		return new ServedCounters(properties);
	}

	@Bean
	CounterRegistry counterRegistry(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys,
			ServedCounters served) {
		return new CounterRegistry(redis, scripts, keys, served);
	}

	@Bean
	CounterAdministration counterAdministration(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys,
			CounterRegistry registry, CounterProperties counters, VisitDays days) {
		return new CounterAdministration(redis, scripts, keys, registry, counters, days);
	}

}

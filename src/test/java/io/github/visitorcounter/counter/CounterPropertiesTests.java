package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.VisitorCounterApplication;
import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.web.CorsProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class CounterPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, CounterConfiguration.class)
		// Never connected: the beans that hold them only need them to exist.
		.withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
		.withBean(Limits.class, () -> new Limits(0, Duration.ofSeconds(10), 0, Duration.ofHours(1)));

	@Test
	void hasSensibleDefaults() {
		this.contextRunner.run((context) -> {
			CounterProperties properties = context.getBean(CounterProperties.class);
			assertThat(properties.keyPrefix()).isEqualTo("visitors");
			assertThat(properties.dedupeTtl()).isNull();
			assertThat(properties.effectiveDedupeTtl()).isZero();
			assertThat(context.getBean(CorsProperties.class).allowedOrigins()).isEmpty();
			assertThat(properties.effectiveIdSecret()).isEqualTo(CounterProperties.DEFAULT_ID_SECRET);
			assertThat(context.getBean(PageProperties.class).maxPerCounter()).isEqualTo(10_000);
		});
	}

	@Test
	void bindsTheEnvironmentForm() {
		Map<String, Object> variables = Map.of("VISITORS_DEDUPE_TTL", "30d", "VISITORS_KEY_PREFIX", "mysite",
				"VISITORS_ID_SECRET", "0123456789abcdef0123", "VISITORS_ALLOWED_ORIGINS",
				"https://a.example,https://b.example", "VISITORS_PAGES_MAX_PER_COUNTER", "250");
		StandardEnvironment environment = new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				return variables;
			}

		};
		new ApplicationContextRunner(() -> {
			AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
			context.setEnvironment(environment);
			return context;
		}).withUserConfiguration(PropertiesConfiguration.class).run((context) -> {
			CounterProperties properties = context.getBean(CounterProperties.class);
			assertThat(properties.dedupeTtl()).isEqualTo(Duration.ofDays(30));
			assertThat(properties.keyPrefix()).isEqualTo("mysite");
			assertThat(properties.effectiveIdSecret()).isEqualTo("0123456789abcdef0123");
			assertThat(context.getBean(CorsProperties.class).allowedOrigins())
				.isEqualTo(List.of("https://a.example", "https://b.example"));
			assertThat(context.getBean(PageProperties.class).maxPerCounter()).isEqualTo(250);
		});
	}

	@Test
	void warnsAtStartUpWhenNoIdSecretIsSet(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).contains("VISITORS_ID_SECRET is not set"));
	}

	@Test
	void staysQuietWhenAnIdSecretIsSet(CapturedOutput output) {
		this.contextRunner.withPropertyValues("visitors.id-secret=0123456789abcdef0123")
			.run((context) -> assertThat(output).doesNotContain("VISITORS_ID_SECRET is not set"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			visitors.dedupe-ttl=0s                         | visitors.dedupeTtl
			visitors.dedupe-ttl=500ms                      | visitors.dedupeTtl
			visitors.key-prefix=has space                  | visitors.keyPrefix
			visitors.key-prefix=:colon                     | visitors.keyPrefix
			visitors.id-secret=short                       | visitors.idSecret
			visitors.allowed-origins=https://site.example/ | visitors.allowedOrigins[0]
			visitors.allowed-origins=*                     | visitors.allowedOrigins[0]
			visitors.excluded-ips=192.0.2.0/24,intranet    | visitors.excludedIps[1]
			visitors.rate-limit.requests=0                 | visitors.rate-limit.requests
			visitors.new-visitor-cap.window=0s             | visitors.new-visitor-cap.window
			visitors.pages.max-per-counter=0               | visitors.pages.maxPerCounter
			""")
	void refusesToStartWithAnInvalidSettingAndNamesIt(String setting, String property, CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(VisitorCounterApplication.class).properties(setting, "server.port=0")
					.run()
					.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: " + property)
			.contains("Reason: ");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ CounterProperties.class, ServedCountersProperties.class, DayProperties.class,
			ChannelProperties.class, CorsProperties.class, PageProperties.class })
	static class PropertiesConfiguration {

	}

}

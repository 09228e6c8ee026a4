package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.VisitorCounterApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class VisitorPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, VisitorConfiguration.class);

	@Test
	void hasSensibleDefaults() {
		this.contextRunner.run((context) -> {
			VisitorProperties properties = context.getBean(VisitorProperties.class);
			assertThat(properties.keyPrefix()).isEqualTo("visitors");
			assertThat(properties.dedupeTtl()).isNull();
			assertThat(properties.dedupeTtlSeconds()).isZero();
			assertThat(properties.allowedOrigins()).isEmpty();
			assertThat(properties.effectiveIdSecret()).isEqualTo(VisitorProperties.DEFAULT_ID_SECRET);
		});
	}

	@Test
	void bindsTheEnvironmentForm() {
		Map<String, Object> variables = Map.of("VISITORS_DEDUPE_TTL", "30d", "VISITORS_KEY_PREFIX", "mysite",
				"VISITORS_ID_SECRET", "0123456789abcdef0123", "VISITORS_ALLOWED_ORIGINS",
				"https://a.example,https://b.example");
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
			VisitorProperties properties = context.getBean(VisitorProperties.class);
			assertThat(properties.dedupeTtl()).isEqualTo(Duration.ofDays(30));
			assertThat(properties.keyPrefix()).isEqualTo("mysite");
			assertThat(properties.effectiveIdSecret()).isEqualTo("0123456789abcdef0123");
			assertThat(properties.allowedOrigins()).isEqualTo(List.of("https://a.example", "https://b.example"));
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
			""")
	void refusesToStartWithAnInvalidSettingAndNamesIt(String setting, String property, CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(VisitorCounterApplication.class).web(WebApplicationType.NONE)
				.properties(setting)
				.run()
				.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: " + property)
			.contains("Reason: ");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VisitorProperties.class)
	static class PropertiesConfiguration {

	}

}

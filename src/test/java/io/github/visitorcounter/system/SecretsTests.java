package io.github.visitorcounter.system;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTests {

	@ParameterizedTest
	@ValueSource(strings = { "VISITORS_ADMIN_TOKEN", "visitors.admin-token", "adminToken", "VISITORS_ID_SECRET",
			"spring.data.redis.password", "SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_PRIVATE_KEY",
			"spring.ssl.bundle.jks.redis.key.password", "spring.ssl.bundle.pem.redis.keystore.private-key-password",
			"AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS" })
	void knowsASecretByTheEndOfItsName(String name) {
		assertThat(Secrets.isSecret(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "VISITORS_KEY_PREFIX", "REDIS_URL", "spring.ssl.bundle.pem.redis.keystore.certificate",
			"spring.data.redis.ssl.bundle", "visitors.allowed-origins" })
	void leavesOtherSettingsAlone(String name) {
		assertThat(Secrets.isSecret(name)).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					Invalid Redis URL 'rediss://default:Upstash-T0ken@host:6379' | Invalid Redis URL 'rediss://default:******@host:6379'
					redis://:pw@localhost                                         | redis://:******@localhost
					rediss://T0KEN@eu1.upstash.io:6379/0                          | rediss://******@eu1.upstash.io:6379/0
					url=redis://user:p@ss:word@host,next                          | url=redis://user:******@host,next
					https://example.com/path?a=b@c                                | https://example.com/path?a=b@c
					""")
	void masksThePasswordOfAnyUrl(String text, String masked) {
		assertThat(Secrets.none().redact(text)).isEqualTo(masked);
	}

	@Test
	void masksTheEnvironmentsSecretsWhereverTheyStand() {
		Secrets secrets = secrets(
				Map.of("VISITORS_ADMIN_TOKEN", "0123456789abcdef", "VISITORS_KEY_PREFIX", "blogsite1"));
		assertThat(secrets.redact("token 0123456789abcdef, prefix blogsite1"))
			.isEqualTo("token ******, prefix blogsite1");
	}

	@Test
	void masksAShortSecretOnlyWhereItStandsQuoted() {
		Secrets secrets = secrets(Map.of("REDIS_PASSWORD", "redis", "REDIS_URL", "redis://:pw@localhost"));
		assertThat(secrets.redact("Value: \"redis\", rejected value [redis], 'pw': redis is down"))
			.isEqualTo("Value: \"******\", rejected value [******], '******': redis is down");
	}

	private static Secrets secrets(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", variables));
		return Secrets.in(environment);
	}

}

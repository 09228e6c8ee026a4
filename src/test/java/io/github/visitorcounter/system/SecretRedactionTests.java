package io.github.visitorcounter.system;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.visitorcounter.VisitorCounterApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-ups that fail, with secrets in the environment as an operator sets them: whatever
 * Spring Boot or the application prints about the failure, no secret is in it, rejected
 * or not, while the failure is still explained.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretRedactionTests {

	private static final String ADMIN_TOKEN = "Adm1n-T0ken-15c";

	private static final String ID_SECRET = "Id-S3cret-15chr";

	private static final String REDIS_PASSWORD = "R3dis-Pa55word-Upstash";

	/** A real certificate: public, and readable, so that the key is what fails. */
	private static final String CERTIFICATE = """
			-----BEGIN CERTIFICATE-----
			MIIBgDCCASWgAwIBAgIUJ9yIljN1QMRAU5b5c9hWEG7v9DowCgYIKoZIzj0EAwIw
			FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNDIyMzYzM1oYDzIxMjYxMTEw
			MjIzNjMzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
			PQMBBwNCAASa8mvXUaaELjRZaYvNxz5/1ua21MAYKkYvMe+rwMuJ6DqbQUTZq1iY
			yZrCBu3vdq/Z2V8kNhKGwHn//lGNrJmmo1MwUTAdBgNVHQ4EFgQU3eumc/9PymhS
			hBL7MmogTeQy2ocwHwYDVR0jBBgwFoAU3eumc/9PymhShBL7MmogTeQy2ocwDwYD
			VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAxgwW6++hVJyNVI6BiT/9
			egDlwiLpYHAXfMjcq12SYNsCIQCZmpUqLAgaMBkJQmrfwq8Ng3I/QIZg/xh9dF8e
			KrGflg==
			-----END CERTIFICATE-----
			""";

	private static final String PRIVATE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4";

	@Test
	void aRejectedAdminTokenIsNotPrinted(CapturedOutput output) {
		failToStart(Map.of("VISITORS_ADMIN_TOKEN", ADMIN_TOKEN, "REDIS_URL",
				"rediss://default:" + REDIS_PASSWORD + "@redis.example:6379"));
		assertThat(output).contains("VISITORS_ADMIN_TOKEN")
			.contains("must be at least 16 characters")
			.doesNotContain(ADMIN_TOKEN)
			.doesNotContain(REDIS_PASSWORD);
	}

	@Test
	void aShortRejectedAdminTokenIsNotPrintedEither(CapturedOutput output) {
		failToStart(Map.of("VISITORS_ADMIN_TOKEN", "letmein"));
		assertThat(output).contains("VISITORS_ADMIN_TOKEN").doesNotContain("letmein");
	}

	@Test
	void aRejectedIdSecretIsNotPrinted(CapturedOutput output) {
		failToStart(Map.of("VISITORS_ID_SECRET", ID_SECRET, "VISITORS_ADMIN_TOKEN", ADMIN_TOKEN + "-long-enough"));
		assertThat(output).contains("VISITORS_ID_SECRET")
			.contains("must be at least 16 characters")
			.doesNotContain(ID_SECRET)
			.doesNotContain(ADMIN_TOKEN);
	}

	@Test
	void theRedisPasswordIsNotPrintedWhenTheUrlIsInvalid(CapturedOutput output) {
		failToStart(Map.of("REDIS_URL", "rediss://default:" + REDIS_PASSWORD + "%zz@redis.example:6379"));
		assertThat(output).contains("spring.data.redis.url").doesNotContain(REDIS_PASSWORD);
	}

	@Test
	void aShortRedisPasswordIsNotPrintedWhenTheUrlIsInvalid(CapturedOutput output) {
		failToStart(Map.of("REDIS_URL", "redis://:pw1%zz@redis.example:6379"));
		assertThat(output).contains("spring.data.redis.url").doesNotContain("pw1");
	}

	@Test
	void theRedisPasswordIsNotPrintedWhenTheHostIsInvalid(CapturedOutput output) {
		failToStart(Map.of("REDIS_URL", "rediss://" + REDIS_PASSWORD + "@:port", "VISITORS_ADMIN_TOKEN", "short"));
		assertThat(output).contains("APPLICATION FAILED TO START").doesNotContain(REDIS_PASSWORD);
	}

	@Test
	void sslBundleKeyMaterialIsNotPrinted(CapturedOutput output) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_CERTIFICATE", CERTIFICATE);
		// Without its PEM armour, as a copy and paste may leave it: taken for a file
		// name.
		environment.put("SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_PRIVATE_KEY", PRIVATE_KEY);
		environment.put("SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_PRIVATE_KEY_PASSWORD", "K3y-Passw0rd-Bundle");
		environment.put("SPRING_DATA_REDIS_SSL_BUNDLE", "redis");
		environment.put("REDIS_URL", "rediss://default:" + REDIS_PASSWORD + "@redis.example:6379");
		failToStart(environment);
		assertThat(output).contains("Error reading certificate or key from file '******'")
			.doesNotContain(PRIVATE_KEY.substring(20, 50))
			.doesNotContain("K3y-Passw0rd-Bundle")
			.doesNotContain(REDIS_PASSWORD);
	}

	@Test
	void armouredButBrokenKeyMaterialIsNotPrinted(CapturedOutput output) {
		failToStart(Map.of("SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_CERTIFICATE", CERTIFICATE,
				"SPRING_SSL_BUNDLE_PEM_REDIS_KEYSTORE_PRIVATE_KEY",
				"-----BEGIN PRIVATE KEY-----\n" + PRIVATE_KEY + "\n-----END PRIVATE KEY-----\n",
				"SPRING_DATA_REDIS_SSL_BUNDLE", "redis"));
		assertThat(output).contains("Error loading private key").doesNotContain(PRIVATE_KEY.substring(20, 50));
	}

	private static void failToStart(Map<String, String> variables) {
		StandardEnvironment environment = new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				return new LinkedHashMap<>(variables);
			}

		};
		SpringApplication application = new SpringApplication(VisitorCounterApplication.class);
		application.setEnvironment(environment);
		application.setDefaultProperties(Map.of("server.port", "0"));
		assertThatException().isThrownBy(() -> application.run().close());
	}

}

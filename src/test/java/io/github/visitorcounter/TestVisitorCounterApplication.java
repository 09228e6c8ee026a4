package io.github.visitorcounter;

import io.github.visitorcounter.testing.TestRedisConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * Runs the application at development time against a throwaway Redis:
 * {@code ./mvnw spring-boot:test-run}.
 */
public class TestVisitorCounterApplication {

	public static void main(String[] args) {
		SpringApplication.from(VisitorCounterApplication::main).with(TestRedisConfiguration.class).run(args);
	}

}

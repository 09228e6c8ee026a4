package io.github.visitorcounter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Self-hostable visitor counter: counts each anonymous browser once, in Redis.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VisitorCounterApplication {

	public static void main(String[] args) {
		SpringApplication.run(VisitorCounterApplication.class, args);
	}

}

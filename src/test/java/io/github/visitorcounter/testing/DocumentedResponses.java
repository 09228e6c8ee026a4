package io.github.visitorcounter.testing;

import java.util.List;
import java.util.Optional;

import io.github.visitorcounter.testing.OpenApiContract.Checked;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose requests got a response that the published OpenAPI document does not
 * describe: an undeclared status, media type or header, a body off its schema, a problem
 * type the route does not declare. Registered for every test class by JUnit's extension
 * auto-detection ({@code META-INF/services}), so that every response of every API test is
 * checked.
 */
public class DocumentedResponses implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	private static final int SHOWN = 20;

	@Override
	public void beforeAll(ExtensionContext context) {
		// What a previous class left behind (a stream still closing) is not this class's.
		ApiExchanges.drain();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		check(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		check(context);
	}

	private static void check(ExtensionContext context) {
		List<String> violations = ApiExchanges.drain()
			.stream()
			.map((exchange) -> OpenApiContract.published()
				.check(exchange)
				.filter((checked) -> !checked.violations().isEmpty())
				.map((checked) -> describe(exchange, checked)))
			.flatMap(Optional::stream)
			.toList();
		if (!violations.isEmpty()) {
			throw new AssertionError(context.getDisplayName() + ": " + violations.size()
					+ " responses the OpenAPI document (" + OpenApiContract.DOCUMENT + ") does not describe:\n"
					+ String.join("\n", violations.subList(0, Math.min(SHOWN, violations.size()))));
		}
	}

	private static String describe(ApiExchanges.Exchange exchange, Checked checked) {
		return exchange.method() + " " + exchange.path() + " -> " + exchange.status() + " " + exchange.headers() + " "
				+ exchange.body() + "\n    " + String.join("\n    ", checked.violations());
	}

}
